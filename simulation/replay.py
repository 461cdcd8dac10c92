"""What-if: the same arrivals and the same dice, against another catalog or process version.

The source database's recorded run (audit event ``simulation.run``) is regenerated into a
fresh database with the catalog and/or process replaced, and the two databases' figures are
compared per matter and per unit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, select

from engine import DEFAULT_COUNTY
from engine.complaints.models import Complaint
from engine.core.persistence import make_engine
from rules import CHINA_TZ
from simulation.arrivals import Arrival
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


def recorded_arrivals(db: Engine, *, county: str = DEFAULT_COUNTY) -> list[Arrival]:
    """The requests a database actually received (a real county's, or a demo's), in arrival
    order, as arrivals to replay: place, matter (if the reporter chose one), channel, text."""
    with db.connect() as connection:
        rows = connection.execute(
            select(
                Complaint.received_at,
                Complaint.village_id,
                Complaint.township_id,
                Complaint.grid_id,
                Complaint.matter_id,
                Complaint.channel,
                Complaint.description,
            )
            .where(Complaint.county == county)
            .order_by(Complaint.received_at, Complaint.id)
        ).all()
    return [
        Arrival(
            index=i,
            at=r.received_at,
            village_id=r.village_id,
            township_id=r.township_id,
            grid_id=r.grid_id,  # type: ignore[arg-type]  # every simulated report has a grid
            # None means no matter chosen, as below
            matter_id=r.matter_id,  # type: ignore[arg-type]
            matter_chosen=r.matter_id is not None,
            channel="grid" if r.channel == "grid" else "app",
            description=r.description,
        )
        for i, r in enumerate(rows)
    ]


def _spec_of_recorded(arrivals: list[Arrival], seed: int) -> RunSpec:
    if not arrivals:
        raise ValueError("源数据库中没有诉求可重放")
    start = arrivals[0].at.astimezone(CHINA_TZ).date()
    first = datetime.combine(start, time(0, 0), CHINA_TZ)
    # Up to a week after the last report, so its first steps happen in the replay too.
    span = arrivals[-1].at - first + timedelta(days=7)
    return RunSpec(months=span / timedelta(days=30.4375), seed=seed, scale=1.0, start=start)


def replay(
    source_url: str,
    target_url: str,
    *,
    catalog: str | None = None,
    process: str | None = None,
    seed: int = 1,
    progress: Callable[[datetime, LoopStats], None] | None = None,
) -> dict[str, Any]:
    """Replay the source into ``target_url`` with the given versions; the replay's own
    figures and the difference. A simulated source is regenerated from its recorded run; any
    other database's recorded requests are replayed as they arrived, people's behaviour
    simulated with ``seed``."""
    source = make_engine(source_url)
    try:
        try:
            recorded: RunSpec | None = recorded_spec(source)
        except ValueError:
            recorded = None
        arrivals = None
        if recorded is None:
            arrivals = recorded_arrivals(source)
            recorded = _spec_of_recorded(arrivals, seed)
        spec = dataclasses.replace(
            recorded,
            catalog=catalog if catalog is not None else recorded.catalog,
            process=process if process is not None else recorded.process,
        )
        run = simulate(
            target_url,
            spec,
            process_source=source,
            progress=progress,
            arrivals=iter(arrivals) if arrivals is not None else None,
        )
    finally:
        source.dispose()
    return {
        "replay_of": source_url,
        "arrivals": "simulated" if arrivals is None else "recorded",
        "catalog": spec.catalog,
        "process": spec.process,
        "run": run,
        "difference": compare(source_url, target_url, spec),
    }
