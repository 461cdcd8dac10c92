"""Properties of routing: total, single-primary, deterministic, and agreeing with the validator."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from responsibility_catalog import Catalog, Rule, validate
from rules import ComplaintFacts, Outcome, Reason, RoutingTable, route
from tests.responsibility_catalog.helpers import draft_with, make_matter, make_rule, shipped

CATALOGS = shipped()
RESTORED = {c.label: Catalog.from_dict(c.to_dict()) for c in CATALOGS}
PAIRS = st.sampled_from(CATALOGS).flatmap(
    lambda c: st.tuples(
        st.just(c), st.sampled_from(c.matters()), st.sampled_from(c.organisation.villages)
    )
)


@settings(max_examples=200, deadline=None)
@given(PAIRS)
def test_every_matter_and_village_gets_one_primary_or_the_dispatcher(pair: tuple) -> None:
    catalog, matter, village = pair
    decision = route(ComplaintFacts(matter.id, village.id), catalog)
    units = catalog.organisation.all_units
    if decision.outcome is Outcome.ASSIGNED:
        assert decision.primary is not None and decision.primary.id in units
        assert decision.primary not in decision.supporting
        assert all(u.id in units for u in decision.supporting)
    else:
        assert decision.outcome is Outcome.DISPATCHER
        assert decision.primary is None
    assert decision.rule_number is not None and decision.legal_basis


@settings(max_examples=50, deadline=None)
@given(PAIRS)
def test_routing_is_deterministic_across_calls_and_restored_copies(pair: tuple) -> None:
    catalog, matter, village = pair
    facts = ComplaintFacts(matter.name, village.name)
    first = route(facts, catalog)
    assert route(facts, catalog) == first
    assert route(facts, RESTORED[catalog.label]) == first
    assert RoutingTable(catalog).decisions_for(matter)[village.id] == first
    fresh = RoutingTable(RESTORED[catalog.label])
    # The matter comes from this catalog
    assert fresh.decisions_for(fresh.find_matter(matter.id))[village.id] == first  # type: ignore[arg-type]


def test_exhaustively_no_shipped_pair_is_unresolved() -> None:
    for catalog in CATALOGS:
        outcomes = {
            route(ComplaintFacts(m.id, v.id), catalog).outcome
            for m in catalog.matters()
            for v in catalog.organisation.villages
        }
        assert outcomes == {Outcome.ASSIGNED, Outcome.DISPATCHER}


CONDITIONS = [
    "城区建成区",
    "非 城区建成区",
    "沿省道",
    "沿省道 且 距县城≤5公里",
    "距县城>8公里",
    "乡镇=巨鹿镇",
    "乡镇=西郭城镇 或 乡镇=堤村乡",
    "社区",
    "乡镇驻地",
]
PRIMARIES = ["@location", "urban_management", "housing", "juluzhen", "@dispatcher"]
RULES = st.builds(
    lambda when, primary: make_rule(when, primary),
    st.sampled_from(CONDITIONS),
    st.sampled_from(PRIMARIES),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(RULES, min_size=1, max_size=4), st.booleans())
def test_validator_and_router_agree_on_totality_and_ambiguity(
    rules: list[Rule], fallback: bool
) -> None:
    if fallback:
        rules = [*rules, make_rule("其他", "@location")]
    draft = draft_with(make_matter("T01-01", *rules), alone=True)
    codes = {p.code for p in validate(draft)}
    reasons = {
        route(ComplaintFacts("T01-01", v.id), draft).reason for v in draft.organisation.villages
    }
    assert ("not_total" in codes) == (Reason.NO_RULE in reasons)
    assert ("ambiguous" in codes) == (Reason.AMBIGUOUS in reasons)
    if not codes:
        assert reasons == {None}
