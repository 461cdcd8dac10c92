"""What-if: the same arrivals and the same dice, against another catalog or process version.

The source database's recorded run (audit event ``simulation.run``) is regenerated into a
fresh database with the catalog and/or process replaced, and the two databases' figures are
compared per matter and per unit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any

from engine.persistence import make_engine
from simulation.figures import breakdown, collect
from simulation.loop import LoopStats
from simulation.run import RunSpec, recorded_spec, simulate

HEADLINE = (
    "requests",
    "closed",
    "routed_by_dispatcher",
    "contested",
    "handled_late",
    "avg_days_to_close",
    "open_on_time",
    "open_overdue_or_extended",
)
METRICS = ("by_dispatcher", "automatic", "returns", "contested", "overdue", "avg_days_to_close")


def _changes(
    before: dict[str, dict[str, float]], after: dict[str, dict[str, float]]
) -> dict[str, dict[str, list[float]]]:
    """Rows whose metrics differ: ``{key: {metric: [before, after]}}``."""
    out: dict[str, dict[str, list[float]]] = {}
    for key in sorted(set(before) | set(after)):
        b, a = before.get(key, {}), after.get(key, {})
        diff = {m: [b.get(m, 0), a.get(m, 0)] for m in METRICS if b.get(m, 0) != a.get(m, 0)}
        if diff:
            out[key] = diff
    return out


def compare(source_url: str, target_url: str, spec: RunSpec) -> dict[str, Any]:
    source, target = make_engine(source_url), make_engine(target_url)
    try:
        end = spec.end_at
        base, what_if = collect(source, end), collect(target, end)
        b_rows, w_rows = breakdown(source), breakdown(target)
    finally:
        source.dispose()
        target.dispose()
    return {
        "headline": {k: [base[k], what_if[k]] for k in HEADLINE},
        "by_matter": _changes(b_rows["matter"], w_rows["matter"]),
        "by_unit": _changes(b_rows["unit"], w_rows["unit"]),
    }


def replay(
    source_url: str,
    target_url: str,
    *,
    catalog: str | None = None,
    process: str | None = None,
    progress: Callable[[datetime, LoopStats], None] | None = None,
) -> dict[str, Any]:
    """Replay the source's run into ``target_url`` with the given versions; the run's own
    figures and the difference."""
    source = make_engine(source_url)
    try:
        recorded = recorded_spec(source)
        spec = dataclasses.replace(
            recorded,
            catalog=catalog if catalog is not None else recorded.catalog,
            process=process if process is not None else recorded.process,
        )
        run = simulate(target_url, spec, process_source=source, progress=progress)
    finally:
        source.dispose()
    return {
        "replay_of": source_url,
        "catalog": spec.catalog,
        "process": spec.process,
        "run": run,
        "difference": compare(source_url, target_url, spec),
    }
