"""An Open311 API key issued by the administrator, as the tests' client applications use."""

from __future__ import annotations

from flask import Flask

from engine.core.transactions import run_step
from engine.open311.keys import issue_key
from web.open311.checks import LIMITER


def issue_open311_key(app: Flask, client_name: str = "省级政务App") -> str:
    """The plain key; the per-key submission counter starts empty (keys reuse ids across
    the tests' fresh databases)."""
    host = app.extensions["juhaoban.host"]
    _, plain = run_step(
        host.session_factory,
        lambda s: issue_key(
            client_name, county="julu", actor="admin", now=host.clock.now(), session=s
        ),
    )
    LIMITER._seen.clear()
    return plain
