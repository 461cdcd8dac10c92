from __future__ import annotations

from flask import Flask

from web.counts_cache import cached_count, forget


def test_counts_are_reused_within_the_ttl_and_recomputed_after_forget():
    app = Flask(__name__)
    app.config["COUNT_CACHE_SECONDS"] = 60
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    with app.app_context():
        assert cached_count(("t", 1), compute) == 1
        assert cached_count(("t", 1), compute) == 1  # reused
        forget(("t", 1))
        assert cached_count(("t", 1), compute) == 2
        app.config["COUNT_CACHE_SECONDS"] = 0  # tests and exact pages: never cached
        assert cached_count(("t", 1), compute) == 3
        assert cached_count(("t", 1), compute) == 4
