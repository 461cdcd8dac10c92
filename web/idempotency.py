"""The ``Idempotency-Key`` header on create endpoints (ADR 0015).

``@idempotent(scope)`` reads the header and a fingerprint of the request before the view
runs; the view files its report with :func:`submit_once`, which hands both to the desk. The
desk stores the key in the report's own transaction, so a retry after a lost answer gets the
first report back (``Idempotent-Replayed: true``) and the same key on a different request is
a 422. Without the header nothing changes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from flask import abort, g, make_response, request

from engine.complaints import (
    MAX_IDEMPOTENCY_KEY,
    ComplaintDesk,
    ComplaintReport,
    Intent,
    KeyInFlight,
    KeyReused,
    Submitted,
)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# Visible ASCII, as the IETF draft's sf-string allows; quotes around it are optional.
_CHARS = rf"[\x21\x23-\x7e]{{1,{MAX_IDEMPOTENCY_KEY}}}"
_KEY = re.compile(rf'^(?:"({_CHARS})"|({_CHARS}))$')
_PENDING = "idempotency_pending"
# The header as the OpenAPI documents of /api and /open311 describe it.
OPENAPI_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": "每份新请求用一个新键（建议 UUID），重试时原样重发同一个键：返回首次受理的结果"
    "（响应头 Idempotent-Replayed: true），不会重复受理；同一个键用于内容不同的请求为 422；"
    "键保留 7 天",
    "schema": {"type": "string", "pattern": _KEY.pattern},
}
_REPLAYED = "idempotency_replayed"


def parse_key(value: str | None) -> str | None:
    """The key a client sent, ``None`` for none; aborts 400 naming the rule when malformed."""
    if value is None:
        return None
    match = _KEY.match(value)
    if match is None:
        abort(
            400,
            description=f"请求头 {HEADER} 应为 1 到 {MAX_IDEMPOTENCY_KEY} 个可见 ASCII 字符"
            "（建议每份新请求用一个新的 UUID）",
        )
    return match.group(1) or match.group(2)


def json_fingerprint() -> str:
    """The JSON body in a canonical form (key order and spacing do not matter)."""
    body = request.get_json(silent=True)
    if body is None:
        return _digest([request.get_data()])
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return _digest([canonical.encode()])


def form_fingerprint(*, ignore: Iterable[str] = ()) -> str:
    """The form fields (in any order) and the uploaded files' contents."""
    skip = set(ignore)
    fields = sorted((k, v) for k, v in request.form.items(multi=True) if k not in skip)
    parts = [json.dumps(fields, ensure_ascii=True).encode()]
    for name, upload in sorted(request.files.items(multi=True), key=lambda item: item[0]):
        content = hashlib.sha256()
        for chunk in iter(lambda u=upload: u.stream.read(65536), b""):
            content.update(chunk)
        upload.stream.seek(0)  # the view saves the file afterwards
        parts.append(f"{name}\0{upload.filename}\0{content.hexdigest()}".encode())
    return _digest(parts)


def _digest(parts: list[bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def idempotent(scope: str, *, fingerprint: Callable[[], str] = json_fingerprint):
    """Honour ``Idempotency-Key`` on this create endpoint (one ``scope`` per endpoint)."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            key = parse_key(request.headers.get(HEADER))
            g.pop(_REPLAYED, None)
            setattr(g, _PENDING, None if key is None else (scope, key, fingerprint()))
            try:
                response = make_response(view(*args, **kwargs))
            except KeyReused as err:
                abort(422, description=str(err))
            except KeyInFlight as err:
                abort(409, description=str(err))
            if g.get(_REPLAYED):
                response.headers[REPLAYED_HEADER] = "true"
            return response

        return wrapped

    return decorate


def submit_once(
    desk: ComplaintDesk, report: ComplaintReport, *, client: str, **submit: Any
) -> Submitted:
    """``desk.submit`` under the request's key (if it sent one); ``client`` is who sent it
    (an account, an Open311 client), so two clients' keys never meet."""
    pending = g.get(_PENDING)
    intent = None
    if pending is not None:
        scope, key, fingerprint = pending
        intent = Intent(scope=scope, client=client, key=key, fingerprint=fingerprint)
    submitted = desk.submit(report, idempotency=intent, **submit)
    if submitted.replayed:
        setattr(g, _REPLAYED, True)
    return submitted
