"""Which county a request is about: the signed-in account's; for a visitor (a resident's
report, a public page), the county this deployment serves (``COUNTY`` in the app config,
else the engine's default)."""

from __future__ import annotations

from flask import current_app, has_request_context

from engine.core import DEFAULT_COUNTY
from web.auth.access import current_account


def current_county() -> str:
    if has_request_context():
        account = current_account()
        if account is not None:
            return account.county
    return str(current_app.config.get("COUNTY") or DEFAULT_COUNTY)
