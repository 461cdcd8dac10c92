"""Routing a complaint by the catalog: a pure function from facts and a catalog to a decision.

``route`` never raises for a well-formed request and never defaults silently: it returns an
assignment, an explicit "to the dispatcher" decided by the catalog, or an unresolved result
with the reason and the candidate units. Everything routing needs per catalog (parsed rules,
location attributes, one precomputed decision per matter and village) is built once per catalog
version and cached (see ``routing_table``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from datetime import date
from typing import Any

from responsibility_catalog import (
    DISPATCHER,
    LOCATION,
    Catalog,
    LocationFacts,
    Matter,
    Village,
    compile_rules,
    location_facts,
    match_rules,
    resolve_unit,
    select_in_force,
)
from responsibility_catalog.conditions import Condition, matched_atoms

from .decision import (
    ComplaintFacts,
    MatterRef,
    Outcome,
    Reason,
    RoutingDecision,
    UnitRef,
)
from .search import search_matters


class RoutingTable:
    """Everything routing needs for one catalog, computed once.

    Decisions per (matter, village) are computed on first use of a matter and shared; they
    are immutable values.
    """

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        org = catalog.organisation
        self._units = org.all_units
        self._matters: dict[str, Matter] = {}
        for matter in catalog.matters():
            self._matters.setdefault(matter.id, matter)
            self._matters.setdefault(matter.name, matter)
        self._facts: dict[str, tuple[Village, LocationFacts]] = {
            v.id: (v, location_facts(org, v)) for v in org.villages
        }
        self._decisions: dict[str, dict[str, RoutingDecision]] = {}

    def find_matter(self, key: str) -> Matter | None:
        return self._matters.get(key.strip())

    def unit(self, ref: str) -> UnitRef:
        unit = self._units.get(ref)
        return UnitRef(ref, unit.name if unit else ref)

    def decisions_for(self, matter: Matter) -> dict[str, RoutingDecision]:
        table = self._decisions.get(matter.id)
        if table is None:
            conditions = compile_rules(matter)
            table = {
                vid: self._decide(matter, conditions, village, facts)
                for vid, (village, facts) in self._facts.items()
            }
            self._decisions[matter.id] = table
        return table

    def base(self, **fields: Any) -> RoutingDecision:
        return RoutingDecision(
            catalog_version=self.catalog.label, catalog_hash=self.catalog.content_hash, **fields
        )

    def _decide(
        self,
        matter: Matter,
        conditions: tuple[Condition | None, ...],
        village: Village,
        facts: LocationFacts,
    ) -> RoutingDecision:
        township = self.unit(village.township_id)
        common: dict[str, Any] = {
            "matter_id": matter.id,
            "matter_name": matter.name,
            "domain": self.catalog.domain_of[matter.id].name,
            "village_id": village.id,
            "village_name": village.name,
            "township": township,
            "time_limits": matter.time_limits,
        }
        everyone = self.candidates(matter, range(len(matter.rules)), village)
        if None in conditions:
            return self.base(
                outcome=Outcome.UNRESOLVED,
                reason=Reason.INVALID_RULE,
                candidates=everyone,
                **common,
            )
        result = match_rules(matter, conditions, village, facts)
        if result.decided is None:
            return self.base(
                outcome=Outcome.UNRESOLVED, reason=Reason.NO_RULE, candidates=everyone, **common
            )
        if result.ambiguous:
            return self.base(
                outcome=Outcome.UNRESOLVED,
                reason=Reason.AMBIGUOUS,
                candidates=self.candidates(matter, result.holding, village),
                competing_rules=tuple(i + 1 for i in result.holding),
                **common,
            )
        index = result.decided
        rule = matter.rules[index]
        condition = conditions[index]
        matched = tuple(matched_atoms(condition, facts)) if condition is not None else ()
        decided: dict[str, Any] = {
            "rule_number": index + 1,
            "condition": rule.when,
            "conditions_matched": matched,
            "legal_basis": rule.basis,
            "note": rule.note,
        }
        if rule.primary == DISPATCHER:
            return self.base(outcome=Outcome.DISPATCHER, **common, **decided)
        return self.base(
            outcome=Outcome.ASSIGNED,
            primary=self.unit(resolve_unit(rule.primary, village)),
            supporting=tuple(self.unit(resolve_unit(s, village)) for s in rule.supporting),
            **common,
            **decided,
        )

    def candidates(
        self, matter: Matter, indices: Any, village: Village | None
    ) -> tuple[UnitRef, ...]:
        refs: list[str] = []
        for i in indices:
            primary = matter.rules[i].primary
            if primary == DISPATCHER:
                continue
            if primary == LOCATION and village is None:
                refs.extend(sorted(t.id for t in self.catalog.organisation.townships))
                continue
            resolved = resolve_unit(primary, village) if village else primary
            refs.append(resolved)
        return tuple(self.unit(r) for r in dict.fromkeys(refs))

    def find_village(self, key: str) -> Village | None:
        return self.catalog.organisation.find_village(key)


_TABLES: OrderedDict[tuple[str, str], RoutingTable] = OrderedDict()
CACHED_TABLES = 16


def routing_table(catalog: Catalog) -> RoutingTable:
    """The routing table of ``catalog``, built on first use.

    Tables are cached by version label and content hash, so equal copies of a version (for
    example restored from the database with ``Catalog.from_dict``) share one table. The cache
    keeps the most recently used ``CACHED_TABLES`` versions.
    """
    key = (catalog.label, catalog.content_hash)
    table = _TABLES.get(key)
    if table is None:
        table = RoutingTable(catalog)
        _TABLES[key] = table
        while len(_TABLES) > CACHED_TABLES:
            _TABLES.popitem(last=False)
    else:
        _TABLES.move_to_end(key)
    return table


def route(facts: ComplaintFacts, catalog: Catalog) -> RoutingDecision:
    """Decide who handles a complaint according to ``catalog``.

    :return: an ``assigned`` decision, a ``dispatcher`` decision the catalog prescribes, or an
        ``unresolved`` one naming the reason and the candidate units.
    """
    table = routing_table(catalog)
    if not facts.matter or not facts.matter.strip():
        suggestions = search_matters(catalog, facts.text, limit=5) if facts.text else []
        return table.base(
            outcome=Outcome.UNRESOLVED,
            reason=Reason.NO_MATTER,
            candidate_matters=tuple(MatterRef(s.matter_id, s.name) for s in suggestions),
        )
    matter = table.find_matter(facts.matter)
    if matter is None:
        return table.base(
            outcome=Outcome.UNRESOLVED, reason=Reason.UNKNOWN_MATTER, matter_id=facts.matter
        )
    village = table.find_village(facts.village) if facts.village else None
    if village is None:
        return table.base(
            outcome=Outcome.UNRESOLVED,
            reason=Reason.UNKNOWN_LOCATION if facts.village else Reason.NO_LOCATION,
            matter_id=matter.id,
            matter_name=matter.name,
            domain=catalog.domain_of[matter.id].name,
            village_name=facts.village,
            time_limits=matter.time_limits,
            candidates=table.candidates(matter, range(len(matter.rules)), None),
        )
    return table.decisions_for(matter)[village.id]


def route_on(facts: ComplaintFacts, catalogs: Iterable[Catalog], on: date) -> RoutingDecision:
    """Route by the catalog version in force on ``on`` (the complaint's arrival date).

    Returns an unresolved ``no_catalog`` decision when no version was in force yet.
    """
    catalog = select_in_force(catalogs, on)
    if catalog is None:
        return RoutingDecision(
            outcome=Outcome.UNRESOLVED,
            catalog_version="",
            catalog_hash="",
            reason=Reason.NO_CATALOG,
            matter_id=facts.matter,
            village_name=facts.village,
        )
    return route(facts, catalog)
