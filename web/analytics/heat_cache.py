"""The heat map of a filter, kept for half a minute per process.

The command centre's big screen asks the same question every few seconds, and a heat map
is several GROUP BYs over half a year (~200 ms on 550,000 complaints, more on a busy
machine). Age is measured on the engine's clock, so tests move it instead of sleeping; the
cache lives on the app and holds a bounded number of filters, oldest dropped first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app

SIZE = 64


class HeatCache:
    def __init__(self, ttl: timedelta, size: int = SIZE) -> None:
        self.ttl = ttl
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[datetime, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, now: datetime, compute: Callable[[], Any]) -> Any:
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and timedelta(0) <= now - hit[0] < self.ttl:
                return hit[1]
        value = compute()
        with self._lock:
            self._entries[key] = (now, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value


def heat_cache() -> HeatCache:
    cache = current_app.extensions.get("juhaoban.heat_cache")
    if cache is None:
        seconds = float(current_app.config.get("HEATMAP_CACHE_SECONDS", 30))
        cache = current_app.extensions.setdefault(
            "juhaoban.heat_cache", HeatCache(timedelta(seconds=seconds))
        )
    return cache
