"""The county's own matter-suggestion models: dispatcher labels, versioned models, read models.

Every process imports this package, because the schema includes its table
(``engine.intake.tables``); the suggestion model's libraries (scikit-learn, SciPy, jieba: about
100 MB) are imported only when one of the names below is first used, so the worker, the CLI and
an engine-only process don't carry them (PEP 562 module ``__getattr__``).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "determine_page_for": "engine.intake.dispatch_pages",
    "matter_problem_for": "engine.intake.dispatch_pages",
    "unrouted_tops_for": "engine.intake.dispatch_pages",
    "evaluate_county_models": "engine.intake.model_desk",
    "train_county_model": "engine.intake.model_desk",
    "ModelNotReady": "engine.intake.models",
    "suggest_for_report": "engine.intake.report_page",
    "warm_suggestions": "engine.intake.report_page",
    "RECENT": "engine.intake.training",
    "SHIPPED_TEST": "engine.intake.training",
    "NoCatalogInForce": "engine.intake.training",
}

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


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
