"""Which matters a description is probably about: the report page's suggestions, as the person
types (``GET /report/suggest?text=…``, public like the page) and without script (the
"帮我归类" button re-renders the page with them).

Every caller goes through :func:`suggest_for`; the engine's read model decides which model
answers (the county's own when it has one, else the shipped one; engine.intake).
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from flask import Flask, jsonify, request

from engine.complaints import MAX_DESCRIPTION
from engine.intake import ModelNotReady, suggest_for_report, warm_suggestions
from web.platform import current_platform
from web.report.blueprint import bp
from web.report.choices import Choices, current_choices
from web.tenancy import current_county
from web.throttling import suggestion_limits

if TYPE_CHECKING:
    from rules.suggest import Suggestion

log = logging.getLogger(__name__)

SHOWN = 3  # buttons an elderly person can read at a glance on a phone
# While the model is still being fitted (only right after the server started) the typing page
# gets an answer quickly and asks again; the page without script can only wait.
AS_YOU_TYPE_WAIT_S = 2.0
FORM_WAIT_S = 30.0


def suggest_for(
    text: str, choices: Choices | None = None, *, wait: float = FORM_WAIT_S
) -> list[Suggestion]:
    """The top :data:`SHOWN` matters for ``text`` (best first); ``[]`` when the text says
    nothing the model recognises or no catalog is in force.

    :raises ModelNotReady: when no model is fitted after ``wait`` seconds.
    """
    text = (text or "")[:MAX_DESCRIPTION].strip()
    if not text:
        return []
    choices = choices or current_choices()
    if choices is None:
        return []
    return suggest_for_report(
        current_platform().host,
        text,
        county=current_county(),
        catalog=choices.catalog,
        limit=SHOWN,
        wait=wait,
    )


def as_json(suggestion: Suggestion) -> dict[str, object]:
    return {
        "matter_id": suggestion.matter_id,
        "name": suggestion.name,
        "domain": suggestion.domain,
        "score": round(float(suggestion.score), 4),
        "words": list(suggestion.words),
    }


def suggest_safely(
    text: str, choices: Choices | None = None, *, wait: float = FORM_WAIT_S
) -> list[Suggestion]:
    """:func:`suggest_for`, or ``[]`` if the model fails or is not ready: a suggestion is a
    convenience, the full list and "不确定" always remain, so a report is never refused for
    its sake."""
    try:
        return suggest_for(text, choices, wait=wait)[:SHOWN]
    except ModelNotReady:
        return []
    except Exception:
        log.exception("matter suggestion failed for a %d-character text", len(text or ""))
        return []


@bp.get("/suggest")
@suggestion_limits
def suggest():
    try:
        found = suggest_for(request.args.get("text", ""), wait=AS_YOU_TYPE_WAIT_S)[:SHOWN]
        pending = False
    except ModelNotReady:  # the page shows "正在准备推荐" and asks again
        found, pending = [], True
    except Exception:
        log.exception("matter suggestion failed")
        found, pending = [], False
    body: dict[str, object] = {"suggestions": [as_json(s) for s in found]}
    if pending:
        body["pending"] = True
    response = jsonify(body)
    # The text (in the address) may name people and places: no cache keeps the answer.
    response.headers["Cache-Control"] = "no-store"
    return response


def warm_up(app: Flask) -> None:
    """Start fitting the models the report page and the console will use (serving processes
    call this when they start, so the first person to type needn't wait).
    ``JUHAOBAN_SUGGESTION_WARMUP=0`` leaves it to the first request."""
    if os.environ.get("JUHAOBAN_SUGGESTION_WARMUP", "1").strip().lower() in ("0", "false", "no"):
        return
    try:
        with app.app_context():
            choices = current_choices()
            if choices is None:
                return
            warm_suggestions(current_platform().host, current_county(), choices.catalog)
    except Exception:  # a cold model is a slower first suggestion, never a failed start
        log.exception("warming the suggestion models failed")
