"""Build, measure and store versions of a county's suggestion model from its labels.

A version is stored only when the labelled texts differ from the latest version's (a new
label, or a label corrected). Its figures are top-1/top-3 on the shipped test split and on the
county's recent cases; the recent figure is honest: the labels of the last ``RECENT_DAYS``
days are scored by a model trained without them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from engine.catalog_store import CatalogRegistry
from engine.complaints.matter_labels import CATALOGS, MatterLabel
from engine.core.errors import EngineError
from engine.core.transactions import run_step
from engine.intake.models import (
    as_labelled,
    examples_digest,
    model_label,
    remember,
    suggestion_model,
)
from engine.intake.tables import IntakeModel, newest
from responsibility_catalog import Catalog, select_in_force
from rules import CHINA_TZ
from rules.suggest import (
    LabelledText,
    SuggestionModel,
    evaluate,
    shipped_model,
    shipped_texts,
    train_model,
)

log = logging.getLogger(__name__)

RECENT_DAYS = 30
SHIPPED_TEST, RECENT = "shipped_test", "recent"


class NoCatalogInForce(EngineError):
    """Suggestions are for a catalog's matters: nothing to train without one."""


@dataclass(frozen=True)
class Labelled:
    text: str
    matter_id: str
    labelled_at: datetime


@dataclass(frozen=True)
class Built:
    """The outcome of one training run for a county."""

    county: str
    version: int | None  # the version now current (None: the county has no labels yet)
    created: bool
    examples: int
    catalog_label: str
    figures: dict[str, Any] = field(default_factory=dict)


def catalog_now(
    county: str, now: datetime, *, session: Session, registry: CatalogRegistry = CATALOGS
) -> Catalog:
    catalog = select_in_force(
        registry.in_force(county=county, session=session), now.astimezone(CHINA_TZ).date()
    )
    if catalog is None:
        raise NoCatalogInForce("当前没有生效的责任清单，无法训练事项推荐模型")
    return catalog


def county_labels(county: str, *, session: Session) -> list[Labelled]:
    """Every label of the county, oldest first (the order of a version's examples)."""
    rows = session.execute(
        select(MatterLabel.text, MatterLabel.matter_id, MatterLabel.labelled_at)
        .where(MatterLabel.county == county)
        .order_by(MatterLabel.labelled_at, MatterLabel.id)
    ).all()
    return [Labelled(text, matter, at) for text, matter, at in rows]


def recent_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=RECENT_DAYS)


def _figures(
    catalog: Catalog, model: SuggestionModel, labels: list[Labelled], now: datetime
) -> dict[str, Any]:
    cutoff = recent_cutoff(now)
    recent = [LabelledText(x.text, x.matter_id) for x in labels if x.labelled_at >= cutoff]
    older = [LabelledText(x.text, x.matter_id) for x in labels if x.labelled_at < cutoff]
    if recent:
        blind = trained_without(catalog, older, label="recent-holdout")
        recent_figures = evaluate(catalog, blind, recent).to_dict()
    else:
        recent_figures = evaluate(catalog, model, ()).to_dict()
    return {
        SHIPPED_TEST: evaluate(catalog, model, shipped_texts("test")).to_dict(),
        RECENT: recent_figures,
        "recent_days": RECENT_DAYS,
        "catalog": catalog.label,
    }


def trained_without(
    catalog: Catalog, examples: list[LabelledText], *, label: str
) -> SuggestionModel:
    """A model that has not seen the texts being scored: the shipped one when nothing else is
    left to train on (same result, no fitting)."""
    return train_model(catalog, examples, label=label) if examples else shipped_model(catalog)


def build_version(session_factory: sessionmaker[Session], *, county: str, now: datetime) -> Built:
    """Train and store a new version of ``county``'s model when its labels changed since the
    latest version; otherwise report the latest one.

    Training runs outside any transaction (seconds of CPU); the version is written in one
    short step, and a worker that lost the race for the number keeps the other's version.

    :raises NoCatalogInForce: no catalog version is in force.
    """
    with session_factory() as session:
        catalog = catalog_now(county, now, session=session)
        labels = county_labels(county, session=session)
        latest = session.execute(
            newest(county, IntakeModel.version, IntakeModel.examples_digest, IntakeModel.figures)
        ).first()
    examples = [[x.text, x.matter_id] for x in labels]
    digest = examples_digest(examples)
    if latest is not None and latest.examples_digest == digest:
        return Built(county, latest.version, False, len(examples), catalog.label, latest.figures)
    if not examples:
        return Built(county, None, False, 0, catalog.label)
    version = (latest.version if latest is not None else 0) + 1
    model = train_model(catalog, as_labelled(examples), label=model_label(version))
    figures = _figures(catalog, model, labels, now)

    def store(session: Session) -> int:
        number = (session.scalar(newest(county, IntakeModel.version)) or 0) + 1
        session.add(
            IntakeModel(
                county=county,
                version=number,
                created_at=now,
                catalog_label=catalog.label,
                examples=examples,
                examples_digest=digest,
                figures=figures,
            )
        )
        session.flush()
        return number

    try:
        stored = run_step(session_factory, store)
    except IntegrityError:
        log.info("intake model for %s: another worker stored this version first", county)
        with session_factory() as session:
            current = session.execute(
                newest(county, IntakeModel.version, IntakeModel.figures)
            ).one()
        return Built(county, current.version, False, len(examples), catalog.label, current.figures)
    remember(digest, catalog, model, county=county)
    return Built(county, stored, True, len(examples), catalog.label, figures)


def rebuild_all(session_factory: sessionmaker[Session], *, now: datetime) -> list[Built]:
    """The scheduled rebuild: every county that has labels (a county without a catalog in
    force is skipped and logged, the others still train)."""
    with session_factory() as session:
        counties = list(session.scalars(select(MatterLabel.county).distinct()))
    built = []
    for county in sorted(counties):
        try:
            result = build_version(session_factory, county=county, now=now)
        except NoCatalogInForce as err:
            log.warning("intake model for %s not built: %s", county, err)
            continue
        built.append(result)
        if result.created:
            log.info(
                "intake model for %s: version %s from %d labelled texts",
                county,
                result.version,
                result.examples,
            )
    return built


# -- evaluation (the CLI's `intake evaluate`) ------------------------------------------------
@dataclass(frozen=True)
class Row:
    model: str  # "shipped" or "county-3"
    split: str  # SHIPPED_TEST or RECENT
    figures: dict[str, Any]
    note: str = ""


@dataclass(frozen=True)
class EvaluationReport:
    county: str
    catalog_label: str
    version: int | None
    recent_labels: int
    rows: list[Row]
    since: date


def evaluate_models(
    session_factory: sessionmaker[Session], *, county: str, now: datetime
) -> EvaluationReport:
    """The shipped model and the county's current one on the shipped test split and on the
    county's recent labelled cases. The county model is scored on recent cases by a model
    fitted on its examples without those texts, so it is never graded on what it learnt.

    :raises NoCatalogInForce: no catalog version is in force.
    """
    cutoff = recent_cutoff(now)
    with session_factory() as session:
        catalog = catalog_now(county, now, session=session)
        labels = county_labels(county, session=session)
        county_model = suggestion_model(county, catalog, session)
        latest = session.execute(newest(county, IntakeModel.version, IntakeModel.examples)).first()
    recent = [LabelledText(x.text, x.matter_id) for x in labels if x.labelled_at >= cutoff]
    test = shipped_texts("test")
    shipped = shipped_model(catalog)
    rows = [
        Row("shipped", SHIPPED_TEST, evaluate(catalog, shipped, test).to_dict()),
        Row("shipped", RECENT, evaluate(catalog, shipped, recent).to_dict()),
    ]
    version = None
    if county_model is not None and latest is not None:
        version = latest.version
        rows.append(
            Row(county_model.label, SHIPPED_TEST, evaluate(catalog, county_model, test).to_dict())
        )
        seen = {x.text for x in recent}
        unseen = [e for e in as_labelled(latest.examples) if e.text not in seen]
        blind = trained_without(catalog, unseen, label="recent-holdout")
        rows.append(
            Row(
                county_model.label,
                RECENT,
                evaluate(catalog, blind, recent).to_dict(),
                note="held_out",
            )
        )
    return EvaluationReport(
        county, catalog.label, version, len(recent), rows, cutoff.astimezone(CHINA_TZ).date()
    )
