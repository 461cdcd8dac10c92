"""The report form: read what was typed, check what the engine does not, and build the
engine's ``ComplaintReport``. Values come back as typed so an error page keeps them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.complaints.intake import MAX_DESCRIPTION, ComplaintReport
from engine.complaints.visibility import reporter_actor
from web.report.choices import UNSURE, Choices

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from engine.people import Account

TEXT_FIELDS = (
    "matter_id",
    "township_id",
    "village_id",
    "grid_id",
    "latitude",
    "longitude",
    "description",
    "reporter_name",
    "reporter_phone",
)
MAX_NAME = 32


@dataclass
class ReportDraft:
    """What the person typed, the errors found so far ({field: message}), and who they are."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    mode: str = "public"  # public | resident | grid

    @property
    def consent(self) -> bool:
        return self.values.get("consent") == "yes"


def mode_of(account: Account | None) -> str:
    if account is not None and account.role == "grid_worker":
        return "grid"
    if account is not None and account.role == "resident":
        return "resident"
    return "public"


def _number(draft: ReportDraft, name: str) -> float | None:
    text = draft.values.get(name, "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        draft.errors[name] = "请填写数字（或点“获取当前位置”自动填写）"
        return None


def read_report(
    form: MultiDict[str, str], account: Account | None, choices: Choices
) -> ReportDraft:
    """Check the fields the engine leaves to the page: choices, numbers, what each kind of
    reporter must give. The engine checks the rest again when the report is submitted."""
    values = {name: (form.get(name) or "").strip() for name in TEXT_FIELDS}
    values["reporter_phone"] = "".join(values["reporter_phone"].split())
    values["consent"] = "yes" if form.get("consent") else ""
    draft = ReportDraft(values, mode=mode_of(account))
    errors = draft.errors
    org = choices.organisation

    matter = values["matter_id"]
    if not matter:
        errors["matter_id"] = "请选择事项类别；拿不准可以选“不确定，由调度中心判定”"
    elif matter != UNSURE and matter not in choices.catalog.matters_by_id:
        errors["matter_id"] = "所选事项不在现行清单中，请重新选择"

    township = values["township_id"]
    if township and township not in org.townships_by_id:
        errors["township_id"] = "所选乡镇不存在"
    village = org.villages_by_id.get(values["village_id"])
    if not values["village_id"]:
        errors["village_id"] = "请选择问题所在的村（社区）"
    elif village is None:
        errors["village_id"] = "所选村（社区）不存在"
    elif township and village.township_id != township:
        errors["village_id"] = f"{village.name}不属于所选乡镇，请重新选择"
    elif values["grid_id"] and values["grid_id"] not in {g.id for g in village.grids}:
        errors["grid_id"] = f"所选网格不属于{village.name}"

    latitude, longitude = _number(draft, "latitude"), _number(draft, "longitude")
    if (latitude is None) != (longitude is None) and not errors.keys() & {"latitude", "longitude"}:
        errors["latitude"] = "经纬度须同时填写，或都不填"

    if not values["description"]:
        errors["description"] = "请描述遇到的问题"
    elif len(values["description"]) > MAX_DESCRIPTION:
        errors["description"] = f"问题描述不能超过 {MAX_DESCRIPTION} 字"

    if draft.mode == "grid":
        if not values["reporter_name"]:
            errors["reporter_name"] = "代群众反映须填写群众姓名"
        elif len(values["reporter_name"]) > MAX_NAME:
            errors["reporter_name"] = f"姓名不能超过 {MAX_NAME} 字"
        if not draft.consent:
            errors["consent"] = "代群众反映须先取得群众本人同意"
    elif draft.mode == "public" and not values["reporter_phone"]:
        errors["reporter_phone"] = "请留下手机号：用于回访，也用于在进度查询页评价办理结果"
    return draft


def build_report(draft: ReportDraft, account: Account | None, photos: list[str]) -> ComplaintReport:
    values = draft.values
    latitude = float(values["latitude"]) if values["latitude"] else None
    longitude = float(values["longitude"]) if values["longitude"] else None
    common = {
        "village_id": values["village_id"],
        "description": values["description"],
        "matter_id": None if values["matter_id"] == UNSURE else values["matter_id"],
        "grid_id": values["grid_id"] or None,
        "latitude": latitude,
        "longitude": longitude,
        "photos": tuple(photos),
        "reporter_phone": values["reporter_phone"] or None,
    }
    if draft.mode == "grid" and account is not None:
        return ComplaintReport(
            channel="grid",
            reporter_name=values["reporter_name"],
            grid_worker=account.username,
            consent=draft.consent,
            **common,
        )
    if draft.mode == "resident" and account is not None:
        return ComplaintReport(channel="web", reporter_account=account.username, **common)
    return ComplaintReport(channel="web", **common)


def actor_of(account: Account | None) -> str:
    """Who the audit log names: the groups the visibility rules look for."""
    return reporter_actor(account)
