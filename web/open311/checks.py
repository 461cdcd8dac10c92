"""What every Open311 call checks: the format, the jurisdiction, the API key and its rate.

The county a call is about is its API key's (a POST), else the request's (web.tenancy): the
jurisdiction_id a client may send must name it."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import NoReturn

from flask import g, request

from engine.open311 import ApiClientRecord
from web.open311.formats import Open311Error
from web.platform import current_platform
from web.reference_data import current_catalog
from web.tenancy import current_county

_CLIENT_G = "open311_client_county"


def fail(fmt: str, status: int, description: str) -> NoReturn:
    raise Open311Error(status, description)


def open311_county() -> str:
    """The county of this call: its API key's once :func:`client_or_fail` has passed, else
    the request's."""
    return g.get(_CLIENT_G) or current_county()


def check_jurisdiction(fmt: str) -> None:
    county = open311_county()
    wanted = request.values.get("jurisdiction_id")
    if wanted not in (None, "", county):
        catalog = current_catalog(county)
        name = (catalog.organisation.county.get("name") if catalog else None) or county
        fail(fmt, 404, f"jurisdiction_id {wanted} 不存在：本接口只服务 {county}（{name}）")


class RateLimiter:
    """Requests per client per rolling minute, per process. Several processes each allow the
    full rate: the limit protects the platform from a runaway client, it is not billing."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._seen: dict[int, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client_id: int, per_minute: int) -> bool:
        now = self._clock()
        with self._lock:
            seen = self._seen.setdefault(client_id, deque())
            while seen and seen[0] <= now - 60:
                seen.popleft()
            if len(seen) >= per_minute:
                return False
            seen.append(now)
            return True


LIMITER = RateLimiter()


def client_or_fail(fmt: str) -> ApiClientRecord:
    key = request.form.get("api_key") or request.args.get("api_key") or ""
    if not key:
        fail(fmt, 403, "缺少 api_key：提交诉求须使用平台签发的 API 密钥")
    client = current_platform().desks.open311.client_for_key(key)
    if client is None:
        fail(fmt, 403, "api_key 无效或已被吊销")
    setattr(g, _CLIENT_G, client.county)
    if not LIMITER.allow(client.id, client.requests_per_minute):
        fail(fmt, 429, f"请求过于频繁：每分钟最多 {client.requests_per_minute} 次提交，请稍后再试")
    return client
