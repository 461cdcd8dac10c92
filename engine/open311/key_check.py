"""Checking an Open311 client's ``api_key``: one step (its use is recorded), the client
returned as a frozen copy."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from engine.core.host import WorkflowHost
from engine.core.transactions import run_step
from engine.open311.keys import authenticate


@dataclass(frozen=True)
class ApiClientRecord:
    id: int
    county: str
    name: str
    contact: str
    key_prefix: str
    requests_per_minute: int
    created_by: str
    created_at: datetime
    revoked_at: datetime | None
    revoked_by: str | None
    last_used_at: datetime | None


def check_api_key(host: WorkflowHost, key: str, *, county: str) -> ApiClientRecord | None:
    """The active client of ``county`` holding ``key`` (its last use now recorded), or None
    for an unknown or revoked key."""

    def step(session) -> ApiClientRecord | None:
        client = authenticate(key, county=county, now=host.clock.now(), session=session)
        if client is None:
            return None
        return ApiClientRecord(**{f.name: getattr(client, f.name) for f in fields(ApiClientRecord)})

    return run_step(host.session_factory, step)
