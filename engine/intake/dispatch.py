"""Read model of the dispatcher's side: the matters an unrouted case is probably about, each
with the units the catalog gives for that matter at the case's location (the routing code
itself decides them, so a suggestion and the routing it would cause never disagree)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from engine.catalog_store import CatalogRegistry
from engine.complaints.matter_labels import CATALOGS, case_catalog
from engine.complaints.models import Complaint
from engine.intake.models import ModelNotReady, ready_model
from responsibility_catalog import Catalog
from rules import ComplaintFacts, Outcome
from rules.routing import route
from rules.suggest import Suggestion, SuggestionModel, suggest_matters

SHOWN = 3
# A dispatcher's case page waits this long for a model being fitted (only right after a
# process starts, before the warm-up finished) rather than show no suggestion.
PAGE_WAIT_S = 30.0
LIST_WAIT_S = 1.0  # enough to fit from the shipped model already fitted in this process
PENDING = "pending"


@dataclass(frozen=True)
class MatterOption:
    """A suggested matter and what routing by it would do at the case's village."""

    matter_id: str
    name: str
    domain: str
    score: float
    words: tuple[str, ...]
    primary: str | None  # None: the catalog leaves the unit to the dispatcher for this matter
    supporting: tuple[str, ...]
    candidates: tuple[str, ...]  # units the matter's rules name, when no single one is decided

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass(frozen=True)
class CaseSuggestions:
    catalog: Catalog | None
    model: str  # "shipped", "county-<version>", or PENDING while no model is fitted yet
    options: list[MatterOption]

    def option(self, matter_id: str | None) -> MatterOption | None:
        return next((o for o in self.options if o.matter_id == matter_id), None)


def units_for(catalog: Catalog, matter_id: str, village_id: str | None) -> MatterOption | None:
    """Routing of ``matter_id`` at ``village_id`` as an option with no score (a matter the
    dispatcher picked from the full list)."""
    decision = route(ComplaintFacts(matter=matter_id, village=village_id, text=""), catalog)
    if decision.matter_id is None or decision.matter_id not in catalog.matters_by_id:
        return None
    assigned = decision.outcome is Outcome.ASSIGNED and decision.primary is not None
    primary = decision.primary.id if assigned and decision.primary else None
    return MatterOption(
        matter_id=decision.matter_id,
        name=decision.matter_name or "",
        domain=decision.domain or "",
        score=0.0,
        words=(),
        primary=primary,
        supporting=tuple(u.id for u in decision.supporting if u.id != primary),
        candidates=tuple(u.id for u in decision.candidates),
    )


def _option(catalog: Catalog, suggestion: Suggestion, village_id: str | None) -> MatterOption:
    routed = units_for(catalog, suggestion.matter_id, village_id)
    return MatterOption(
        matter_id=suggestion.matter_id,
        name=suggestion.name,
        domain=suggestion.domain,
        score=suggestion.score,
        words=suggestion.words,
        primary=routed.primary if routed else None,
        supporting=routed.supporting if routed else (),
        candidates=routed.candidates if routed else (),
    )


def _catalog_of(
    complaint: Complaint, session: Session, registry: CatalogRegistry
) -> Catalog | None:
    """The catalog the case was routed with (or in force when it was received)."""
    return case_catalog(
        county=complaint.county,
        label=complaint.catalog_version,
        received_at=complaint.received_at,
        session=session,
        registry=registry,
    )


def _model_or_none(
    county: str, catalog: Catalog | None, session: Session, wait: float
) -> SuggestionModel | None:
    """The model to suggest with, or None while none is fitted after ``wait`` seconds."""
    if catalog is None:
        return None
    try:
        return ready_model(county, catalog, session, wait=wait)
    except ModelNotReady:
        return None


def case_suggestions(
    complaint: Complaint,
    *,
    session: Session,
    limit: int = SHOWN,
    registry: CatalogRegistry = CATALOGS,
) -> CaseSuggestions:
    """The matters ``complaint``'s description suggests, by the county's current model (the
    shipped one when the county has none), in the catalog the case was routed with."""
    catalog = _catalog_of(complaint, session, registry)
    if catalog is None:
        return CaseSuggestions(None, "shipped", [])
    model = _model_or_none(complaint.county, catalog, session, PAGE_WAIT_S)
    if model is None:
        return CaseSuggestions(catalog, PENDING, [])
    found = suggest_matters(catalog, complaint.description or "", limit=limit, model=model)
    return CaseSuggestions(
        catalog, model.label, [_option(catalog, s, complaint.village_id) for s in found]
    )


def top_suggestions(
    complaints: Iterable[Complaint], *, session: Session, registry: CatalogRegistry = CATALOGS
) -> dict[int, Suggestion]:
    """The best suggestion for each complaint of a list (cases without one are left out).
    A fixed number of queries however long the list: one catalog and model per version."""
    top: dict[int, Suggestion] = {}
    fitted: dict[tuple[str, str | None], tuple[Catalog | None, SuggestionModel | None]] = {}
    for complaint in complaints:
        key = (complaint.county, complaint.catalog_version)
        if key not in fitted:
            catalog = _catalog_of(complaint, session, registry)
            # A list waits briefly for a fit; its rows show no suggestion meanwhile.
            model = _model_or_none(complaint.county, catalog, session, LIST_WAIT_S)
            fitted[key] = (catalog, model)
        catalog, model = fitted[key]
        if catalog is None or model is None:
            continue
        found = suggest_matters(catalog, complaint.description or "", limit=1, model=model)
        if found:
            top[complaint.id] = found[0]
    return top


def matter_choices(
    complaint: Complaint, *, session: Session, registry: CatalogRegistry = CATALOGS
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every matter of the case's catalog by domain, for the full list the dispatcher may
    correct a suggestion with: [(domain name, [(matter id, matter name), …]), …]."""
    catalog = _catalog_of(complaint, session, registry)
    if catalog is None:
        return []
    return [(d.name, [(m.id, m.name) for m in d.matters]) for d in catalog.domains]


def matter_problem(
    session_factory: sessionmaker[Session],
    complaint: Complaint,
    matter_id: str,
    *,
    registry: CatalogRegistry = CATALOGS,
) -> str | None:
    """Why ``matter_id`` cannot be the case's matter (None: it can; empty is allowed)."""
    if not matter_id:
        return None
    with session_factory() as session:
        catalog = _catalog_of(complaint, session, registry)
    if catalog is None:
        return "当前没有生效的责任清单"
    if matter_id not in catalog.matters_by_id:
        return f"事项“{matter_id[:20]}”不在清单 {catalog.label} 中，请从列表中选择"
    return None


@dataclass(frozen=True)
class DeterminePage:
    """What the determine (or 改派) form shows beside the case."""

    suggestions: CaseSuggestions
    choices: list[tuple[str, list[tuple[str, str]]]]
    picked: MatterOption | None  # the matter the dispatcher adopted, with its units


def determine_page(
    session_factory: sessionmaker[Session],
    complaint: Complaint,
    *,
    pick: str | None = None,
    registry: CatalogRegistry = CATALOGS,
) -> DeterminePage:
    """Suggestions for the case, the full list of matters, and — when the dispatcher adopted
    a matter (``pick``) — that matter with the units the catalog gives for it at the case's
    village (from the suggestions, or routed for a matter picked from the full list)."""
    with session_factory() as session:
        found = case_suggestions(complaint, session=session, registry=registry)
        choices = matter_choices(complaint, session=session, registry=registry)
    picked = None
    if pick and found.catalog is not None:
        picked = found.option(pick) or units_for(found.catalog, pick, complaint.village_id)
    return DeterminePage(found, choices, picked)


def unrouted_tops(
    session_factory: sessionmaker[Session],
    complaints: Iterable[Complaint],
    *,
    registry: CatalogRegistry = CATALOGS,
) -> dict[int, Suggestion]:
    """The best suggestion of each case of the unrouted list."""
    with session_factory() as session:
        return top_suggestions(complaints, session=session, registry=registry)
