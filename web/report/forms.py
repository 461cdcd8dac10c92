"""The report form: read what was typed, check what the engine does not, and build the
engine's ``ComplaintReport``. Values come back as typed so an error page keeps them."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.complaints.intake import MAX_DESCRIPTION, ComplaintReport
from engine.complaints.visibility import reporter_actor
from web.report.choices import UNSURE, Choices
from web.report.geometry import place

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from engine.people import Account
    from rules.locating import Polygon

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
    notes: dict[str, str] = field(default_factory=dict)  # what the page decided for them

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
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        draft.errors[name] = "请填写数字（或在地图上点选、点“用我现在的位置”自动填写）"
        return None
    return number


def _first_chosen(form: MultiDict[str, str], name: str) -> str:
    """The page offers a matter twice (a suggestion and the full list): the first one set."""
    return next((v.strip() for v in form.getlist(name) if v and v.strip()), "")


def _place_from_position(
    draft: ReportDraft,
    choices: Choices,
    position: tuple[float, float],
    areas: Mapping[str, Iterable[Polygon]],
) -> None:
    """A pin or a GPS position outside the county is refused; inside it, it fills the
    village when none was chosen (the nearest village, said on the page)."""
    org = choices.organisation
    lat, lon = position
    found = place(lat, lon, villages=org.villages, areas=areas)
    county = org.county.get("name") or "本县"
    if found is None:
        draft.errors["latitude"] = (
            f"这个位置不在{county}范围内。请在地图上重新点选问题所在位置，"
            "或清空经纬度，在下面选择村（社区）"
        )
        return
    values = draft.values
    if values["village_id"]:
        return
    values["village_id"], values["township_id"] = found.village_id, found.township_id
    township = org.townships_by_id[found.township_id].name
    village = org.villages_by_id[found.village_id].name
    draft.notes["place"] = f"已按现场位置定位到：{township} {village}"


def read_report(
    form: MultiDict[str, str],
    account: Account | None,
    choices: Choices,
    *,
    areas: Mapping[str, Iterable[Polygon]] | None = None,
) -> ReportDraft:
    """Check the fields the engine leaves to the page: choices, numbers, where the pin is,
    what each kind of reporter must give. The engine checks the rest again when the report
    is submitted. ``areas`` are the township polygons a position is checked against."""
    values = {name: (form.get(name) or "").strip() for name in TEXT_FIELDS}
    values["matter_id"] = _first_chosen(form, "matter_id")
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

    latitude, longitude = _number(draft, "latitude"), _number(draft, "longitude")
    if (latitude is None) != (longitude is None) and not errors.keys() & {"latitude", "longitude"}:
        errors["latitude"] = "经纬度须同时填写，或都不填"
    elif latitude is not None and longitude is not None:
        _place_from_position(draft, choices, (latitude, longitude), areas or {})

    township = values["township_id"]
    if township and township not in org.townships_by_id:
        errors["township_id"] = "所选乡镇不存在"
    village = org.villages_by_id.get(values["village_id"])
    if not values["village_id"]:
        errors["village_id"] = "请选择问题所在的村（社区），或在上面的地图上点一下问题所在位置"
    elif village is None:
        errors["village_id"] = "所选村（社区）不存在"
    elif township and village.township_id != township:
        errors["village_id"] = f"{village.name}不属于所选乡镇，请重新选择"
    elif values["grid_id"] and values["grid_id"] not in {g.id for g in village.grids}:
        errors["grid_id"] = f"所选网格不属于{village.name}"

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
