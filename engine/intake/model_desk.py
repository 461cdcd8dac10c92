"""The county's suggestion model on a host, for callers that hold no session (the CLI):
train a new version now, or compare the shipped model with the county's."""

from __future__ import annotations

from engine.core.host import WorkflowHost
from engine.intake.training import Built, EvaluationReport, build_version, evaluate_models


def train_county_model(host: WorkflowHost, *, county: str) -> Built:
    """See :func:`build_version`. :raises NoCatalogInForce: nothing to train for."""
    return build_version(host.session_factory, county=county, now=host.clock.now())


def evaluate_county_models(host: WorkflowHost, *, county: str) -> EvaluationReport:
    """See :func:`evaluate_models`. :raises NoCatalogInForce: nothing to evaluate against."""
    return evaluate_models(host.session_factory, county=county, now=host.clock.now())
