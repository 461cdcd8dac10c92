"""Tab and badge counts computed at most once every few seconds per process.

Lists stay exact; the counters beside them (how many overdue, how many in each queue) may be
a few seconds old, which nobody notices and which saves most of a busy page's database time.
``COUNT_CACHE_SECONDS`` = 0 (tests) turns it off.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

T = TypeVar("T")

_values: dict[Hashable, tuple[float, object]] = {}
_lock = threading.Lock()


def cached_count(key: Hashable, compute: Callable[[], T]) -> T:
    ttl = float(current_app.config.get("COUNT_CACHE_SECONDS", 5))
    if ttl <= 0:
        return compute()
    now = time.monotonic()
    hit = _values.get(key)
    if hit is not None and now - hit[0] < ttl:
        # The cache holds what compute() returned for this key
        return hit[1]  # type: ignore[return-value]
    value = compute()
    with _lock:
        _values[key] = (now, value)
    return value


def forget(key: Hashable) -> None:
    with _lock:
        _values.pop(key, None)
