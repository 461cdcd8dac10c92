"""What every Open311 call checks: the format, the jurisdiction, the API key and its rate."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import NoReturn

from flask import request

from engine.open311.keys import authenticate
from engine.open311.models import ApiClient
from web.open311 import JURISDICTION
from web.open311.formats import Open311Error
from web.platform import current_platform

COUNTY = "julu"


def fail(fmt: str, status: int, description: str) -> NoReturn:
    raise Open311Error(status, description)


def check_jurisdiction(fmt: str) -> None:
    wanted = request.values.get("jurisdiction_id")
    if wanted not in (None, "", JURISDICTION):
        fail(fmt, 404, f"jurisdiction_id {wanted} 不存在：本接口只服务 {JURISDICTION}（巨鹿县）")


class RateLimiter:
    """Requests per client per rolling minute, per process. Several processes each allow the
    full rate: the limit protects the platform from a runaway client, it is not billing."""

    def __init__(self, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
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


def client_or_fail(fmt: str) -> ApiClient:
    key = request.form.get("api_key") or request.args.get("api_key") or ""
    if not key:
        fail(fmt, 403, "缺少 api_key：提交诉求须使用平台签发的 API 密钥")
    host = current_platform().host
    with host.session_factory.begin() as session:
        client = authenticate(key, county=COUNTY, now=host.clock.now(), session=session)
        if client is not None:
            session.expunge(client)
    if client is None:
        fail(fmt, 403, "api_key 无效或已被吊销")
    if not LIMITER.allow(client.id, client.requests_per_minute):
        fail(fmt, 429, f"请求过于频繁：每分钟最多 {client.requests_per_minute} 次提交，请稍后再试")
    return client
