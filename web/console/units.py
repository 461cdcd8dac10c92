"""The organisation tree for unit pickers, and catalog rules that cases and returns cite."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import g

from responsibility_catalog import Catalog, Matter, Rule
from web.console.blueprint import bp
from web.labels import GROUPS
from web.reference_data import catalogs_in_force, current_catalog
from web.tenancy import current_county

PICKABLE_KINDS = ("department", "enterprise")
_MATTER = re.compile(r"[A-Z]\d{2}-\d{2}")
_RULE = re.compile(r"规则\s*(\d+)")


@dataclass(frozen=True)
class UnitGroup:
    label: str
    units: list[tuple[str, str]]  # (id, name)


def catalogs() -> tuple[Catalog, ...]:
    return catalogs_in_force(current_county())


def catalog_named(label: str | None) -> Catalog | None:
    """The catalog version a case was routed by (falling back to the one in force)."""
    for catalog in catalogs():
        if catalog.label == label:
            return catalog
    return current_catalog(current_county())


def unit_groups() -> list[UnitGroup]:
    """County departments, then townships: the units a case may be given to."""
    catalog = request_catalog()
    if catalog is None:
        return []
    org = catalog.organisation
    return [
        UnitGroup("县直部门", [(u.id, u.name) for u in org.units if u.kind in PICKABLE_KINDS]),
        UnitGroup("乡镇", [(t.id, t.name) for t in org.townships]),
    ]


def known_units() -> set[str]:
    return {uid for group in unit_groups() for uid, _ in group.units}


def split_units(text: str | None) -> list[str]:
    """Unit ids from comma-separated text, as the process splits them (，、 accepted too)."""
    cleaned = (text or "").replace("，", ",").replace("、", ",")
    return [u.strip() for u in cleaned.split(",") if u.strip()]


@dataclass(frozen=True)
class CitedRule:
    matter: Matter
    rule: Rule | None
    number: int | None


def cited_rule(text: str | None, catalog: Catalog | None) -> CitedRule | None:
    """The catalog item a return cites (``清单 D04-01 规则 2``), if it names one."""
    if not text or catalog is None:
        return None
    found = _MATTER.search(text)
    matter = catalog.matters_by_id.get(found.group(0)) if found else None
    if matter is None:
        return None
    number_match = _RULE.search(text)
    number = int(number_match.group(1)) if number_match else None
    rule = matter.rules[number - 1] if number and 0 < number <= len(matter.rules) else None
    return CitedRule(matter, rule, number)


def request_catalog() -> Catalog | None:
    """The catalog in force, loaded once per request (labels look units up per row)."""
    if "console_catalog" not in g:
        g.console_catalog = current_catalog(current_county())
    return g.console_catalog


def unit_label(unit_id: str | None) -> str:
    if not unit_id:
        return "—"
    if unit_id in GROUPS:
        return GROUPS[unit_id]
    catalog = request_catalog()
    unit = catalog.organisation.all_units.get(unit_id) if catalog else None
    return unit.name if unit else unit_id


def place_label(village_id: str | None) -> str:
    catalog = request_catalog()
    org = catalog.organisation if catalog else None
    village = org.villages_by_id.get(village_id or "") if org else None
    if org is None or village is None:
        return village_id or "—"
    township = org.townships_by_id.get(village.township_id)
    return f"{township.name if township else ''}{village.name}"


@bp.context_processor
def cached_labels() -> dict[str, Any]:
    """Console pages list many rows: label them from one catalog load per request (the
    app-wide ``unit_name``/``place_name`` load the catalog on every call)."""
    return {"unit_name": unit_label, "place_name": place_label}
