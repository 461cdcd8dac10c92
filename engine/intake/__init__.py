"""The county's own matter-suggestion models: dispatcher labels, versioned models, read models."""

from engine.intake.dispatch_pages import determine_page_for, matter_problem_for, unrouted_tops_for
from engine.intake.model_desk import evaluate_county_models, train_county_model
from engine.intake.models import ModelNotReady
from engine.intake.report_page import suggest_for_report, warm_suggestions
from engine.intake.training import RECENT, SHIPPED_TEST, NoCatalogInForce

__all__ = [
    "RECENT",
    "SHIPPED_TEST",
    "ModelNotReady",
    "NoCatalogInForce",
    "determine_page_for",
    "evaluate_county_models",
    "matter_problem_for",
    "suggest_for_report",
    "train_county_model",
    "unrouted_tops_for",
    "warm_suggestions",
]
