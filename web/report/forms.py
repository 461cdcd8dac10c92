"""The report form: parse what was typed into the engine's ``ComplaintReport`` and show the
engine's field errors. Values come back as typed so an error page keeps them."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.complaints import ComplaintReport, check_report, reporter_actor
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
    """Parse the form into the engine's report and show the engine's verdict on it
    (:func:`engine.complaints.check_report`, the same check every channel meets). What is
    the page's own is only the parsing: numbers, the "不确定" choice, and a pin or GPS
    position that stands for a village. ``areas`` are the township polygons a position is
    checked against."""
    values = {name: (form.get(name) or "").strip() for name in TEXT_FIELDS}
    values["matter_id"] = _first_chosen(form, "matter_id")
    values["reporter_phone"] = "".join(values["reporter_phone"].split())
    values["consent"] = "yes" if form.get("consent") else ""
    draft = ReportDraft(values, mode=mode_of(account))
    latitude, longitude = _number(draft, "latitude"), _number(draft, "longitude")
    if latitude is not None and longitude is not None:
        _place_from_position(draft, choices, (latitude, longitude), areas or {})
    parsed = dict(draft.errors)
    if parsed.keys() & {"latitude", "longitude"}:
        # A coordinate that is no number is the message; not "fill in both" besides.
        latitude = longitude = None
    report = build_report(draft, account, [], position=(latitude, longitude))
    draft.errors.clear()
    draft.errors.update(check_report(report, choices.catalog))
    draft.errors.update(parsed)
    return draft


def build_report(
    draft: ReportDraft,
    account: Account | None,
    photos: list[str],
    *,
    position: tuple[float | None, float | None] | None = None,
) -> ComplaintReport:
    values = draft.values
    latitude, longitude = position or (_float(values["latitude"]), _float(values["longitude"]))
    common = {
        "village_id": values["village_id"],
        "township_id": values["township_id"] or None,
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


def _float(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def actor_of(account: Account | None) -> str:
    """Who the audit log names: the groups the visibility rules look for."""
    return reporter_actor(account)
