"""What the designer's views share: the draft desk of this app, problems as JSON."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from engine.problems import Problem
from engine.process_drafts import DraftDesk
from web.auth.access import current_account
from web.platform import current_platform

COUNTY = "julu"


def draft_desk() -> DraftDesk:
    return DraftDesk(current_platform().host, county=COUNTY)


def actor() -> str:
    account = current_account()
    return account.username if account is not None else "anonymous"


def problems_json(problems: list[Problem] | list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p.as_dict() if isinstance(p, Problem) else p for p in problems]


def problems_response(problems: list[Problem], status: int = 422) -> Any:
    return jsonify(ok=False, problems=problems_json(problems)), status
