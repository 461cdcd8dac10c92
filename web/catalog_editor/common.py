"""What the catalog editor's pages share: the desk, roles, unit choices, labels."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from engine.catalog_revision import CatalogDesk
from responsibility_catalog import DISPATCHER, LOCATION, Catalog, Status

EDITORS = ("orgdept",)
# People who may read the catalog pages (the list is public policy inside the county).
READERS = ("orgdept", "dispatcher", "dispatch_lead", "leader", "admin")
UNIT_ROLES = ("unit_staff", "unit_lead")

OPINIONS = {"pending": "待反馈", "agree": "同意", "object": "有异议", "none": "无意见（逾期）"}
STAGES = {
    "collecting": "征求意见中",
    "review": "待组织部审核",
    "revising": "修改中",
    "published": "已公布",
    "withdrawn": "已撤回",
}
STATUS_TAGS = {
    Status.DRAFT: "soon",
    Status.CONSULTATION: "soon",
    Status.PUBLISHED: "ok",
    Status.SUPERSEDED: "",
}


def catalog_desk() -> CatalogDesk:
    return current_app.extensions["juhaoban.catalog"]


@dataclass(frozen=True)
class UnitChoice:
    group: str
    options: list[tuple[str, str]]


def unit_choices(catalog: Catalog, *, primary: bool) -> list[UnitChoice]:
    """The organisation tree as the rule form offers it: the special entries, departments,
    townships."""
    org = catalog.organisation
    special = [(LOCATION, "属地乡镇（按事发地）")]
    if primary:
        special.append((DISPATCHER, "转调度中心研判"))
    return [
        UnitChoice("通用", special),
        UnitChoice("县直部门", [(u.id, u.name) for u in org.units]),
        UnitChoice("乡镇", [(t.id, t.name) for t in org.townships]),
    ]


def unit_label(catalog: Catalog, ref: str) -> str:
    if ref == LOCATION:
        return "属地乡镇"
    if ref == DISPATCHER:
        return "转调度中心研判"
    unit = catalog.organisation.all_units.get(ref)
    return unit.name if unit else ref


COUNTY_LIST_TITLE = "巨鹿县事项主体责任和配合责任清单目录"


def display_title(catalog: Catalog) -> str:
    """The list's title as the county prints it: the name, then when it was published (or
    that it is still a draft), whatever the stored title of a copied draft says."""
    stem = (catalog.title or COUNTY_LIST_TITLE).split("（")[0] or COUNTY_LIST_TITLE
    if catalog.status in (Status.PUBLISHED, Status.SUPERSEDED) and catalog.effective:
        return f"{stem}（{catalog.effective.year}年{catalog.effective.month}月公布）"
    kind = "征求意见稿" if catalog.status is Status.CONSULTATION else "草稿"
    return f"{stem}（{catalog.label} {kind}）"
