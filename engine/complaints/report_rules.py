"""The one check of a report, field by field, with the messages people read next to the field.

Every channel goes through it: the report page (before it offers the form again), the JSON
API and Open311 (inside the desk's step, against the catalog in force at that moment). A
channel only parses its own format into a :class:`~engine.complaints.intake.ComplaintReport`;
what the fields mean is decided here, once, in the same words for everyone.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.complaints.intake import ComplaintReport
    from responsibility_catalog import Catalog

CHANNELS = {
    "app": "手机客户端",
    "grid": "网格员代报",
    "hotline": "热线",
    "web": "网页",
    "open311": "Open311 接口",
}
MAX_DESCRIPTION = 4000  # GeoReport v2's limit; one limit for every channel
MAX_REPORTER_NAME = 64  # the column's width (PostgreSQL refuses longer, SQLite would not)
_SURROGATE = re.compile("[\ud800-\udfff]")
_PHONE = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")

MATTER_NOT_CHOSEN = "请选择事项类别；拿不准可以选“不确定，由调度中心判定”"
MATTER_UNKNOWN = "所选事项不在现行清单中，请重新选择"
NO_CATALOG = "当前没有生效的责任清单，请联系管理员"
POSITION_HALF = "经纬度须同时填写，或都不填"
LATITUDE_RANGE = "纬度应在 -90 到 90 之间"
LONGITUDE_RANGE = "经度应在 -180 到 180 之间"
TOWNSHIP_UNKNOWN = "所选乡镇不存在"
VILLAGE_NOT_CHOSEN = "请选择问题所在的村（社区），或在上面的地图上点一下问题所在位置"
VILLAGE_UNKNOWN = "所选村（社区）不存在"
DESCRIPTION_MISSING = "请描述遇到的问题"
DESCRIPTION_TOO_LONG = f"问题描述不能超过 {MAX_DESCRIPTION} 字"
NAME_TOO_LONG = f"姓名不能超过 {MAX_REPORTER_NAME} 字"
PHONE_MALFORMED = "电话号码格式不正确"
PHONE_MISSING = "请留下手机号：用于回访，也用于在进度查询页评价办理结果"
GRID_WORKER_MISSING = "网格员代报须注明代报网格员"
ON_BEHALF_NAME_MISSING = "代群众反映须填写群众姓名"
ON_BEHALF_CONSENT_MISSING = "代群众反映须先取得群众本人同意"

_TEXT_FIELDS = (
    "channel",
    "village_id",
    "township_id",
    "description",
    "matter_id",
    "grid_id",
    "reporter_name",
    "reporter_phone",
    "reporter_account",
    "grid_worker",
)


def text_problem(value: str) -> str | None:
    """Why a piece of text cannot be stored, or ``None``: the one rule every channel (report
    page, JSON API, Open311) applies before anything reaches the database.

    PostgreSQL refuses a NUL character in text and JSON columns, and a lone UTF-16 surrogate
    (``"\\ud800"`` in JSON) cannot be encoded as UTF-8 by either database driver; both would
    otherwise surface as a server error instead of a message naming the field.
    """
    if "\x00" in value:
        return "含有不允许的空字符（\\u0000）"
    if _SURROGATE.search(value):
        return "含有无法识别的字符（孤立的 UTF-16 代理项）"
    return None


def grid_not_of(village_name: str) -> str:
    return f"所选网格不属于{village_name}"


def village_not_in_township(village_name: str) -> str:
    return f"{village_name}不属于所选乡镇，请重新选择"


def channel_unknown(channel: str) -> str:
    return f"渠道“{channel}”无效，应为 {'、'.join(CHANNELS)} 之一"


def check_report(report: ComplaintReport, catalog: Catalog | None) -> dict[str, str]:
    """Field → message for every bad field of ``report`` against ``catalog`` (the catalog in
    force; ``None`` when none is); ``{}`` when the report may be stored."""
    errors: dict[str, str] = {
        name: problem
        for name in _TEXT_FIELDS
        if isinstance(value := getattr(report, name), str)
        and (problem := text_problem(value)) is not None
    }
    if errors:  # the other checks would quote the unstorable text back
        return errors
    if report.channel not in CHANNELS:
        errors["channel"] = channel_unknown(report.channel)
    description = (report.description or "").strip()
    if not description:
        errors["description"] = DESCRIPTION_MISSING
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = DESCRIPTION_TOO_LONG
    _check_position(report, errors)
    if catalog is None:
        errors["matter_id"] = NO_CATALOG
    else:
        _check_place(report, catalog, errors)
        if report.matter_id == "":  # the page's list left at "please choose"
            errors["matter_id"] = MATTER_NOT_CHOSEN
        elif report.matter_id is not None and report.matter_id not in catalog.matters_by_id:
            errors["matter_id"] = MATTER_UNKNOWN
    _check_reporter(report, errors)
    return errors


def _check_position(report: ComplaintReport, errors: dict[str, str]) -> None:
    latitude, longitude = report.latitude, report.longitude
    if (latitude is None) != (longitude is None):
        errors["latitude"] = POSITION_HALF
    if latitude is not None and not -90 <= latitude <= 90:
        errors["latitude"] = LATITUDE_RANGE
    if longitude is not None and not -180 <= longitude <= 180:
        errors["longitude"] = LONGITUDE_RANGE


def _check_place(report: ComplaintReport, catalog: Catalog, errors: dict[str, str]) -> None:
    organisation = catalog.organisation
    township = report.township_id
    if township and township not in organisation.townships_by_id:
        errors["township_id"] = TOWNSHIP_UNKNOWN
    village = organisation.villages_by_id.get(report.village_id)
    if not report.village_id:
        errors["village_id"] = VILLAGE_NOT_CHOSEN
    elif village is None:
        errors["village_id"] = VILLAGE_UNKNOWN
    elif township and village.township_id != township:
        errors["village_id"] = village_not_in_township(village.name)
    elif report.grid_id and report.grid_id not in {g.id for g in village.grids}:
        errors["grid_id"] = grid_not_of(village.name)


def _check_reporter(report: ComplaintReport, errors: dict[str, str]) -> None:
    if report.reporter_name and len(report.reporter_name) > MAX_REPORTER_NAME:
        errors["reporter_name"] = NAME_TOO_LONG
    if report.reporter_phone and not _PHONE.match(report.reporter_phone):
        errors["reporter_phone"] = PHONE_MALFORMED
    if report.channel == "grid":
        if not report.grid_worker:
            errors["grid_worker"] = GRID_WORKER_MISSING
        if not (report.reporter_name or "").strip():
            errors["reporter_name"] = ON_BEHALF_NAME_MISSING
        if not report.consent:
            errors["consent"] = ON_BEHALF_CONSENT_MISSING
    elif report.channel == "web" and not report.reporter_account and not report.reporter_phone:
        # Someone not signed in can only be called back, and rate the reply, by phone.
        errors["reporter_phone"] = PHONE_MISSING
