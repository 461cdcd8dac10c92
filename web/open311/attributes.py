"""Extra questions some services ask (GeoReport "attributes"), declared per matter.

The catalog itself has no per-matter fields; these are what a unit needs to act on a report
from an app with no conversation: the state of a garbage point, how dangerous a road defect
is, which crop is affected. Answers are checked against the definition and written into the
complaint's description, so every channel sees them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Attribute:
    code: str
    description: str
    datatype: str  # string | number | datetime | text | singlevaluelist | multivaluelist
    required: bool = False
    datatype_description: str = ""
    values: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def as_dict(self, order: int) -> dict[str, object]:
        return {
            "variable": True,
            "code": self.code,
            "datatype": self.datatype,
            "required": self.required,
            "datatype_description": self.datatype_description,
            "order": order,
            "description": self.description,
            "values": [{"key": k, "name": n} for k, n in self.values],
        }


_GARBAGE = (
    Attribute(
        "garbage_state",
        "垃圾点现状",
        "singlevaluelist",
        required=True,
        values=(("overflowing", "满溢未清运"), ("scattered", "散落在外"), ("burning", "有人焚烧")),
    ),
)
_ROAD = (
    Attribute(
        "hazard",
        "危险程度",
        "singlevaluelist",
        required=True,
        values=(("blocked", "无法通行"), ("danger", "有安全隐患"), ("minor", "一般破损")),
    ),
    Attribute("length_m", "破损长度（米）", "number", datatype_description="数字，如 12.5"),
)
_CROP = (
    Attribute("crop", "作物", "string", required=True, datatype_description="如 金银花、小麦"),
    Attribute("area_mu", "受影响面积（亩）", "number", datatype_description="数字，如 3"),
    Attribute(
        "symptoms",
        "症状",
        "multivaluelist",
        values=(("wilting", "萎蔫"), ("spots", "叶斑"), ("yellowing", "发黄"), ("pests", "有虫")),
    ),
)
_REIMBURSEMENT = (
    Attribute("visit_date", "就诊日期", "datetime", datatype_description="如 2026-03-01"),
)

BY_MATTER: dict[str, tuple[Attribute, ...]] = {
    "D05-01": _GARBAGE,
    "D06-01": _ROAD,
    "D06-02": _ROAD,
    "D09-02": _ROAD,
    "D10-01": _CROP,
    "D10-02": _CROP,
    "D12-01": _REIMBURSEMENT,
}


def attributes_of(matter_id: str) -> tuple[Attribute, ...]:
    return BY_MATTER.get(matter_id, ())
