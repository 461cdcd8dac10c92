"""Which matters a description is probably about: the report page's suggestions, as the person
types (``GET /report/suggest?text=…``, public like the page) and without script (the
"帮我归类" button re-renders the page with them).

Every caller goes through :func:`suggest_for`; which model answers is decided in
:func:`_model` alone.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import jsonify, request

from engine.complaints.intake import MAX_DESCRIPTION
from rules.suggest import Suggestion, suggest_matters
from web.report.blueprint import bp
from web.report.choices import Choices, current_choices

if TYPE_CHECKING:
    from rules.suggest import SuggestionModel

log = logging.getLogger(__name__)

SHOWN = 3  # buttons an elderly person can read at a glance on a phone


def _model(choices: Choices) -> SuggestionModel | None:
    """The model that ranks matters. ``None`` is the one shipped in the repository
    (rules.suggest's default).

    Seam: the county's own model, trained from its dispatchers' confirmed and corrected
    matters, is read here (from the engine's read model of trained models) once it exists;
    it must be a model for ``choices.catalog``, or ``None``."""
    return None


def suggest_for(text: str, choices: Choices | None = None) -> list[Suggestion]:
    """The top :data:`SHOWN` matters for ``text`` (best first); ``[]`` when the text says
    nothing the model recognises or no catalog is in force."""
    text = (text or "")[:MAX_DESCRIPTION].strip()
    if not text:
        return []
    choices = choices or current_choices()
    if choices is None:
        return []
    return suggest_matters(choices.catalog, text, limit=SHOWN, model=_model(choices))


def as_json(suggestion: Suggestion) -> dict[str, object]:
    return {
        "matter_id": suggestion.matter_id,
        "name": suggestion.name,
        "domain": suggestion.domain,
        "score": round(float(suggestion.score), 4),
        "words": list(suggestion.words),
    }


def suggest_safely(text: str, choices: Choices | None = None) -> list[Suggestion]:
    """:func:`suggest_for`, or ``[]`` if the model fails: a suggestion is a convenience, the
    full list and "不确定" always remain, so a report is never refused for its sake."""
    try:
        return suggest_for(text, choices)[:SHOWN]
    except Exception:
        log.exception("matter suggestion failed for a %d-character text", len(text or ""))
        return []


@bp.get("/suggest")
def suggest():  # type: ignore[no-untyped-def]
    found = suggest_safely(request.args.get("text", ""))
    response = jsonify({"suggestions": [as_json(s) for s in found]})
    # The text (in the address) may name people and places: no cache keeps the answer.
    response.headers["Cache-Control"] = "no-store"
    return response
