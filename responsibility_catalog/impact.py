"""Which units a revision affects: whose role changes anywhere in the county.

The organisation department must consult the units its changes affect. A unit is affected
by a matter when, at some village, it becomes or stops being the primary unit, or becomes
or stops being a supporting unit. Comparing who does what village by village (rather than
comparing rule text) catches the township hidden behind ``属地乡镇`` and ignores rewordings
that change nothing on the ground. A change of time limits concerns every unit of the matter.
"""

from __future__ import annotations

from collections import defaultdict

from .attributes import location_facts
from .diff import diff_catalogs
from .matching import compile_rules, match_rules, resolve_unit
from .model import DISPATCHER, Catalog, Matter
from .organisation import Organisation

Assignment = tuple[str | None, frozenset[str]]


def assignments(matter: Matter, org: Organisation) -> dict[str, Assignment]:
    """Primary and supporting units of ``matter`` per village id (``None``: no rule)."""
    conditions = compile_rules(matter)
    result: dict[str, Assignment] = {}
    for village in org.villages:
        match = match_rules(matter, conditions, village, location_facts(org, village))
        if match.decided is None:
            result[village.id] = (None, frozenset())
            continue
        rule = matter.rules[match.decided]
        primary = resolve_unit(rule.primary, village)
        result[village.id] = (
            None if primary == DISPATCHER else primary,
            frozenset(resolve_unit(s, village) for s in rule.supporting),
        )
    return result


def _units(found: dict[str, Assignment]) -> set[str]:
    units: set[str] = set()
    for primary, supporting in found.values():
        units |= supporting
        if primary:
            units.add(primary)
    return units


def affected_units(old: Catalog | None, new: Catalog) -> dict[str, tuple[str, ...]]:
    """Unit id → ids of the matters whose change concerns it (in list order of ``new``).

    :param old: the version the draft revises (``None``: everything is new).
    """
    concerned: dict[str, list[str]] = defaultdict(list)

    def add(units: set[str], matter_id: str) -> None:
        for unit in units:
            if matter_id not in concerned[unit]:
                concerned[unit].append(matter_id)

    if old is None:
        for matter in new.matters():
            add(_units(assignments(matter, new.organisation)), matter.id)
        return {u: tuple(ms) for u, ms in sorted(concerned.items())}
    diff = diff_catalogs(old, new)
    for matter in diff.added:
        add(_units(assignments(matter, new.organisation)), matter.id)
    for matter in diff.removed:
        add(_units(assignments(matter, old.organisation)), matter.id)
    for change in diff.changed:
        before = assignments(old.matters_by_id[change.matter_id], old.organisation)
        after = assignments(new.matters_by_id[change.matter_id], new.organisation)
        limits_changed = any(
            label.endswith("时限") or label == "可延期次数" for label, _, _ in change.fields
        )
        if limits_changed:
            add(_units(before) | _units(after), change.matter_id)
            continue
        units: set[str] = set()
        for village_id, (primary, supporting) in after.items():
            old_primary, old_supporting = before.get(village_id, (None, frozenset()))
            if primary != old_primary:
                units |= {u for u in (primary, old_primary) if u}
            units |= supporting ^ old_supporting
        add(units, change.matter_id)
    return {u: tuple(ms) for u, ms in sorted(concerned.items())}
