"""The county's own matter-suggestion models: dispatcher labels, versioned models, read models."""

# The dispatcher's suggestions, read for the console pages.
from engine.intake.dispatch_pages import (  # noqa: E402
    determine_page_for,
    matter_problem_for,
    unrouted_tops_for,
)

__all__ = ["determine_page_for", "matter_problem_for", "unrouted_tops_for"]

# The report page's suggestions.
from engine.intake.models import ModelNotReady  # noqa: E402
from engine.intake.report_page import suggest_for_report, warm_suggestions  # noqa: E402

__all__ += ["ModelNotReady", "suggest_for_report", "warm_suggestions"]

# For the command line: training and evaluating the county's model now.
from engine.intake.model_desk import evaluate_county_models, train_county_model  # noqa: E402
from engine.intake.training import RECENT, SHIPPED_TEST, NoCatalogInForce  # noqa: E402

__all__ += [
    "RECENT",
    "SHIPPED_TEST",
    "NoCatalogInForce",
    "evaluate_county_models",
    "train_county_model",
]
