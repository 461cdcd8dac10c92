"""The layout of the organisation department's workbook, shared by export and import.

Sheet 责任清单 has exactly the department's twelve columns, one row per rule. What those
columns cannot hold travels in three more sheets so that export then import is lossless:
事项补充信息 (keywords), 领域 (domain ids), 版本信息 (label, title, dates, note). 单位名录
lists the unit names used by the data validation drop-downs.
"""

from __future__ import annotations

import re

from .model import DISPATCHER, LOCATION
from .organisation import Organisation

RULES_SHEET = "责任清单"
MATTERS_SHEET = "事项补充信息"
DOMAINS_SHEET = "领域"
VERSION_SHEET = "版本信息"
UNITS_SHEET = "单位名录"

# (header, width, rule field for mapping validator problems)
COLUMNS: tuple[tuple[str, int, str | None], ...] = (
    ("序号", 6, None),
    ("领域", 14, None),
    ("事项编号", 10, "id"),
    ("事项名称", 20, "name"),
    ("适用条件", 30, "when"),
    ("主体责任单位", 26, "primary"),
    ("配合责任单位", 36, "supporting"),
    ("法律依据", 40, "basis"),
    ("签收时限", 10, "time_limits"),
    ("办理时限", 11, None),
    ("可延期次数", 10, None),
    ("备注", 30, "note"),
)
HEADERS = tuple(c[0] for c in COLUMNS)
MATTER_HEADERS = ("事项编号", "事项名称", "关键词")
DOMAIN_HEADERS = ("领域编号", "领域名称")
VERSION_KEYS = ("版本号", "标题", "状态", "生效日期", "基础版本", "说明", "内容校验码")

LOCATION_LABEL = "属地乡镇"
DISPATCHER_LABEL = "转调度中心研判"
SEPARATOR = "、"
_SPLIT = re.compile(r"[、，,；;]")


def column_letter(header: str) -> str:
    return chr(ord("A") + HEADERS.index(header))


def column_for_field(field: str | None) -> str | None:
    for index, (_, _, name) in enumerate(COLUMNS):
        if name is not None and name == field:
            return chr(ord("A") + index)
    return None


def unit_label(ref: str, organisation: Organisation) -> str:
    if ref == LOCATION:
        return LOCATION_LABEL
    if ref == DISPATCHER:
        return DISPATCHER_LABEL
    unit = organisation.all_units.get(ref)
    return unit.name if unit else ref


def unit_labels(organisation: Organisation) -> list[str]:
    """Names offered in the drop-downs: the two special entries, then every unit."""
    return [LOCATION_LABEL, DISPATCHER_LABEL, *(u.name for u in organisation.all_units.values())]


def unit_ref(label: str, organisation: Organisation) -> str | None:
    if label == LOCATION_LABEL:
        return LOCATION
    if label == DISPATCHER_LABEL:
        return DISPATCHER
    unit = organisation.units_by_name.get(label)
    return unit.id if unit else None


def split_list(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text) if part.strip()]
