"""What the designer's views share: the draft desk of the signed-in designer's county,
problems as JSON, and stored diagrams served as downloads."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, jsonify

from engine.core import DraftDesk, DraftNotFound, DraftView, Problem, draft_view
from web.auth.access import current_account
from web.platform import current_desks
from web.security import DOWNLOAD_CSP
from web.tenancy import current_county


def draft_desk() -> DraftDesk:
    return current_desks().drafts(current_county())


def draft_or_404(draft_id: int) -> DraftView:
    try:
        return draft_view(current_desks().host, draft_id, county=current_county())
    except DraftNotFound as err:
        abort(404, description=str(err))


def actor() -> str:
    account = current_account()
    return account.username if account is not None else "anonymous"


def problems_json(problems: list[Problem] | list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p.as_dict() if isinstance(p, Problem) else p for p in problems]


def problems_response(problems: list[Problem], status: int = 422) -> Any:
    return jsonify(ok=False, problems=problems_json(problems)), status


def diagram_download(xml: str, filename: str) -> Response:
    """A stored diagram as a file to save, never a document to render: a diagram stored
    before script was refused at import would otherwise run in whoever opens its link.
    The editor and viewers ``fetch`` it, which ignores all three headers."""
    response = Response(xml, content_type="text/plain; charset=utf-8")
    # werkzeug encodes a non-ASCII name as RFC 6266 ``filename*``.
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    return response
