"""Sharded runs: the county split by township over several processes, each into its own
database (a SQLite file, or a PostgreSQL schema), then the figures summed.

Cases never interact across townships (duplicates are per village; every decision is keyed by
the case's county-wide arrival index), so the sum of the shards' counts equals an unsharded
run's. This is how a replay uses more than one core: one SQLite file has one writer, and the
simulator plans each case from its own process's sweeps.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.engine import make_url

from engine.core.persistence import make_engine
from simulation.arrivals import ArrivalModel, matter_universe
from simulation.loop import LoopStats
from simulation.partition import balanced_groups
from simulation.run import RunSpec, peak_rss_mb, shipped_catalogs, simulate

SUMMED = (
    "requests",
    "live_workflow_hits",
    "live_workflow_misses",
    "closed",
    "aged_requests",
    "aged_closed",
    "open_on_time",
    "open_overdue_or_extended",
    "open_on_time_if_listed_on_time",
    "open_overdue_or_extended_if_listed_on_time",
    "open_on_time_if_listed_overdue",
    "open_overdue_or_extended_if_listed_overdue",
    "open_listed_on_plan",
    "open_listed_past_plan",
    "routed_by_dispatcher",
    "contested",
    "handled_late",
    "garbage_requests",
    "grid_requests",
    "days_to_close_sum",
    "steps",
    "timers_fired",
    "sweeps",
    "skipped_actions",
    "rejected",
)
COUNTED = ("by_status", "by_stage", "by_township", "stage_on_time")


class ShardProgress(Protocol):
    """Called in each shard's own process as ``progress(now, stats, shard=k)``, so it must
    pickle (a module-level function or an instance of a module-level class)."""

    def __call__(self, now: datetime, stats: LoopStats, shard: int | None = None) -> None: ...


def expected_arrivals(spec: RunSpec) -> dict[str, float]:
    """Each township's share of the county's arrivals under ``spec``'s arrival model."""
    catalogs = shipped_catalogs()
    model = ArrivalModel(
        spec.parameters.arrivals,
        catalogs[0].organisation,
        matter_universe(catalogs),
        scale=1.0,
        seed=spec.seed,
    )
    cum = model.township_cum
    weights = [b - a for a, b in zip([0.0, *cum[:-1]], cum, strict=True)]
    return dict(zip(model.townships, weights, strict=True))


def split_townships(spec: RunSpec, workers: int) -> list[tuple[str, ...]]:
    """Townships in ``workers`` groups of about equal expected arrivals
    (:func:`simulation.partition.balanced_groups`)."""
    return balanced_groups(expected_arrivals(spec), workers)


def shard_url(url: str, k: int) -> str:
    """Shard ``k``'s database: ``x.sqlite`` → ``x-k.sqlite``; on PostgreSQL the same server
    and database with the schema ``simulation_shard_k`` (or ``<schema>_shard_k`` when the URL
    names a search path) first on the search path."""
    if url.startswith("sqlite:///") and url.endswith(".sqlite"):
        return f"{url[: -len('.sqlite')]}-{k}.sqlite"
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        base = str(parsed.query.get("options", "")).removeprefix("-csearch_path=")
        options = f"-csearch_path={base or 'simulation'}_shard_{k}"
        return parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)
    raise ValueError(
        "多进程模拟只支持以 .sqlite 结尾的 SQLite 数据库（每个进程一个文件）"
        "或 PostgreSQL 数据库（每个进程一个 schema）"
    )


def _create_schema_of(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    schema = parsed.query["options"].removeprefix("-csearch_path=")
    admin = make_engine(
        parsed.difference_update_query(["options"]).render_as_string(hide_password=False)
    )
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    finally:
        admin.dispose()


def _shard(
    url: str, spec_data: dict[str, Any], progress: ShardProgress | None, number: int
) -> dict[str, Any]:
    _create_schema_of(url)
    report: Callable[[datetime, LoopStats], None] | None = (
        None if progress is None else functools.partial(progress, shard=number)
    )
    result = simulate(url, RunSpec.from_dict(spec_data), progress=report)
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {k: sum(p[k] for p in parts) for k in SUMMED}
    for key in COUNTED:
        merged: dict[str, int] = {}
        for p in parts:
            for name, n in p[key].items():
                merged[name] = merged.get(name, 0) + n
        total[key] = dict(sorted(merged.items()))
    total["listed_counts_as"] = parts[0]["listed_counts_as"]  # every shard runs one spec
    requests, closed = total["requests"], total["closed"]
    total["completion_rate"] = round(closed / requests, 4) if requests else None
    total["completion_rate_aged"] = (
        round(total["aged_closed"] / total["aged_requests"], 4) if total["aged_requests"] else None
    )
    total["garbage_share"] = round(total["garbage_requests"] / requests, 4) if requests else None
    total["grid_share"] = round(total["grid_requests"] / requests, 4) if requests else None
    total["avg_days_to_close"] = round(total["days_to_close_sum"] / closed, 3) if closed else None
    total["digest"] = hashlib.sha256("".join(p["digest"] for p in parts).encode()).hexdigest()
    return total


def simulate_sharded(
    database_url: str, spec: RunSpec, workers: int, *, progress: ShardProgress | None = None
) -> dict[str, Any]:
    """Run ``spec`` split over ``workers`` processes and sum their figures.

    :param progress: called by every shard as it reaches each simulated month — a replay of
        the county's 40 months runs for hours, and its shards are the only ones who know
        how far they are.
    """
    started = time.perf_counter()
    groups = split_townships(spec, workers)
    urls = [shard_url(database_url, k) for k in range(1, len(groups) + 1)]
    specs = [dataclasses.replace(spec, townships=g).to_dict() for g in groups]
    # "spawn": each shard starts clean (no inherited database connections or threads).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=len(groups), mp_context=context) as pool:
        parts = list(
            pool.map(_shard, urls, specs, itertools.repeat(progress), range(1, len(groups) + 1))
        )
    wall = time.perf_counter() - started
    total = merge(parts)
    head = ("requests", "closed", "completion_rate", "open_on_time", "open_overdue_or_extended")
    return {
        **{k: total[k] for k in head},
        "wall_s": round(wall, 2),
        "requests_per_s": round(total["requests"] / wall, 2) if wall else None,
        "workers": len(groups),
        "steps_per_s": round(total["steps"] / wall, 1) if wall else None,
        "peak_rss_mb": max(p["peak_rss_mb"] for p in parts),
        **{k: v for k, v in total.items() if k not in head},
        "shards": [
            {"database": u, "townships": list(g), "requests": p["requests"], "wall_s": p["wall_s"]}
            for u, g, p in zip(urls, groups, parts, strict=True)
        ],
        "run": {k: v for k, v in spec.to_dict().items() if k != "parameters"},
    }
