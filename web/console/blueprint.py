"""The console blueprint, and the pages that re-render a task's form when it is rejected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint

bp = Blueprint("console", __name__, url_prefix="/console")

# task element id -> function(item, errors, values) rendering the page that holds its form
FORM_PAGES: dict[str, Callable[..., Any]] = {}
# task element id -> endpoint to return to after the task is done
RETURN_TO: dict[str, str] = {}


def form_page(
    *task_names: str, endpoint: str
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``render`` as the page holding the forms of ``task_names``."""

    def register(render: Callable[..., Any]) -> Callable[..., Any]:
        for name in task_names:
            FORM_PAGES[name] = render
            RETURN_TO[name] = endpoint
        return render

    return register
