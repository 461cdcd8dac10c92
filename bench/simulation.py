"""The county simulator as a load benchmark; prints one JSON object.

Runs a slice of the county (default: one virtual month at scale 0.1, ~1,400 requests) through
the real engine on SQLite (or ``--database``), one virtual week at a time, and between weeks
runs bare SpiffWorkflow lifecycles (``bench/lifecycle.py``'s ``Bare``: the same diagrams and
service logic, no database) twice: with the workflow kept in memory (no persistence at all:
``bare_step_ms``, the ratio's base) and serialized and restored around every step with
SpiffWorkflow's documented serializer (``bare_serialized_step_ms``). The ratios are measured
in the same run, so the shared machine's load drifts out of them. The resident set is
sampled at every virtual month.

``floor_full_replay_min_2_cores`` is what the full replay (550,000 requests at this run's
steps per request) would take if every step cost only bare in-memory SpiffWorkflow, split
perfectly over two cores: no engine that runs these diagrams can be faster here.

``step_ratio_to_bare_in_memory`` is the platform step over that in-memory step (issue 22's
target: ≤ 3). ``--breakdown`` adds ``step_breakdown_ms``: a step's time split into phases by
timers wrapped around them in this process (``bench/step_phases.py``; the wrappers cost a few
per cent, so take the ratio from a run without it), the serialized instance's size and task
count, and the rows in the growing tables at the end (ADR 0023).

Usage: ``python bench/simulation.py [--months 1] [--scale 0.1] [--database URL] [--quick]
[--breakdown]``
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lifecycle import Bare  # noqa: E402
from bench.mix_replay import MixReplay  # noqa: E402
from bench.step_phases import Phases, install, install_loop, per_step_ms  # noqa: E402
from engine.core.persistence import make_engine  # noqa: E402
from responsibility_catalog import load_catalogs, shipped_data_path  # noqa: E402
from rules import routing_table  # noqa: E402
from simulation.figures import collect, listed_reading  # noqa: E402
from simulation.run import RunSpec, open_run, peak_rss_mb, report  # noqa: E402

BARE_STEPS = 6  # start + sign-for + two assists + handle + callback
FULL_REPLAY = 550_000  # requests in the county's 40 months


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _page_cache(db, megabytes: int) -> None:
    """Give every SQLite connection of this run a larger page cache (a bench-only experiment:
    does a full-scale step's dearer commit and SQL come from pages falling out of the cache?)."""
    from sqlalchemy import event

    @event.listens_for(db, "connect")
    def _cache(dbapi_conn, _record) -> None:
        dbapi_conn.execute(f"PRAGMA cache_size=-{megabytes * 1024}")


def _table_rows(db) -> dict[str, int]:
    """Rows in the tables a step reads or writes: what grows with the simulated time."""
    from sqlalchemy import inspect, text

    names = [n for n in inspect(db).get_table_names() if not n.startswith(("sqlite", "alembic"))]
    with db.connect() as connection:
        count = 'SELECT count(*) FROM "{}"'
        counts = {n: connection.execute(text(count.format(n))).scalar() for n in names}
    return {n: c for n, c in sorted(counts.items(), key=lambda item: -item[1]) if c}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=float, default=1.0)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default=None, help="empty database URL (default SQLite)")
    parser.add_argument("--bare-per-week", type=int, default=20, help="bare lifecycles per slice")
    parser.add_argument("--quick", action="store_true", help="a week at scale 0.02 (~1 min)")
    parser.add_argument("--breakdown", action="store_true", help="time a step's phases")
    parser.add_argument(
        "--mix-sample",
        type=int,
        default=10,
        help="replay every N-th case bare, for the same-mix base (bench/mix_replay.py)",
    )
    parser.add_argument(
        "--sqlite-cache-mb",
        type=int,
        default=0,
        help="experiment (ADR 0023): SQLite page cache per connection (default: SQLite's 2 MB)",
    )
    args = parser.parse_args()
    if args.quick:
        args.months, args.scale, args.bare_per_week = 0.25, 0.02, 10
        args.mix_sample = min(args.mix_sample, 2)  # ~60 cases: replay half of them
    logging.disable(logging.WARNING)
    spec = RunSpec(months=args.months, seed=args.seed, scale=args.scale)
    catalogs = load_catalogs(shipped_data_path())
    # Routing tables fill per matter on first use (bounded: every matter of every version,
    # ~10 MB); filling them first leaves the RSS curve to what grows with simulated time.
    for catalog in catalogs:
        for matter in catalog.matters():
            routing_table(catalog).decisions_for(matter)
    bare = Bare(catalogs)
    bare.lifecycle()  # parse and warm up outside the measurement
    mix = MixReplay(sample=args.mix_sample)
    mix.install()
    phases = Phases()
    if args.breakdown:
        install(phases)  # after Bare: its services stay unwrapped
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'simulation.sqlite'}"
        db = make_engine(url)
        if args.sqlite_cache_mb and url.startswith("sqlite"):
            _page_cache(db, args.sqlite_cache_mb)
        loop, arrivals = open_run(db, spec)
        if args.breakdown:
            install_loop(phases, loop)
        sim_s = bare_s = bare_serialized_s = 0.0
        bare_runs = 0
        rss: list[float] = []
        end = spec.end_at
        week = spec.start_at
        month_mark = spec.start_at
        while week < end:
            week = min(end, week + timedelta(days=7))
            t0 = time.perf_counter()
            phases.active = args.breakdown
            loop.run(arrivals, week)
            phases.active = False
            sim_s += time.perf_counter() - t0
            t0 = time.perf_counter()
            for _ in range(args.bare_per_week):
                bare.lifecycle(persist=False)
            bare_s += time.perf_counter() - t0
            t0 = time.perf_counter()
            for _ in range(args.bare_per_week):
                bare.lifecycle(persist=True)
            bare_serialized_s += time.perf_counter() - t0
            bare_runs += args.bare_per_week
            mix.replay(bare)
            if week - month_mark >= timedelta(days=30) or week == end:
                month_mark = week
                rss.append(_rss_mb())
        figures = collect(db, end, **listed_reading(spec.parameters.behaviour))
        rows = _table_rows(db) if args.breakdown else {}
        db.dispose()
    wall = time.perf_counter() - started
    stats = loop.stats
    sim_step_ms = 1000 * sim_s / max(1, stats.steps)
    bare_step_ms = 1000 * bare_s / max(1, bare_runs * BARE_STEPS)
    bare_serialized_step_ms = 1000 * bare_serialized_s / max(1, bare_runs * BARE_STEPS)
    steps_per_request = stats.steps / max(1, stats.requests)
    floor_s = FULL_REPLAY * steps_per_request * bare_step_ms / 1000 / 2
    result = report(spec, stats, figures, wall_s=wall, loop_s=sim_s)
    mixed = mix.figures()
    out = {
        "quick": args.quick,
        "database": url.split(":", 1)[0],
        "sqlite_cache_mb": args.sqlite_cache_mb or 2,
        "months": spec.months,
        "scale": spec.scale,
        "requests": stats.requests,
        "steps": stats.steps,
        "timers_fired": stats.timers_fired,
        "loop_s": round(sim_s, 1),
        "requests_per_s": round(stats.requests / sim_s, 2),
        "steps_per_s": round(stats.steps / sim_s, 1),
        "sim_step_ms": round(sim_step_ms, 2),
        "bare_step_ms": round(bare_step_ms, 3),
        "bare_serialized_step_ms": round(bare_serialized_step_ms, 2),
        "ratio_to_bare_spiff": round(sim_step_ms / bare_step_ms, 2),
        "step_ratio_to_bare_in_memory": round(sim_step_ms / bare_step_ms, 2),
        "ratio_to_bare_spiff_serialized": round(sim_step_ms / bare_serialized_step_ms, 2),
        # A timer firing is a step of its instance too (a transaction that advances and saves
        # it); the headline ratio keeps the count (submits and task completions).
        "engine_steps_incl_timer_firings": stats.steps + stats.timers_fired,
        # Against the steps this run's cases took, replayed bare (ADR 0023, decision 1).
        **mixed,
        "step_ratio_to_bare_same_mix": round(
            sim_step_ms / max(1e-9, mixed["bare_same_mix_step_ms"]), 2
        ),
        "step_ratio_incl_timer_firings": round(
            1000 * sim_s / max(1, stats.steps + stats.timers_fired) / bare_step_ms, 2
        ),
        "steps_per_request": round(steps_per_request, 2),
        "full_replay_h_at_this_rate": round(FULL_REPLAY / (stats.requests / sim_s) / 3600, 2),
        "floor_full_replay_min_2_cores": round(floor_s / 60, 1),
        "live_workflow_hits": stats.live_workflow_hits,
        "live_workflow_misses": stats.live_workflow_misses,
        "peak_rss_mb": peak_rss_mb(),
        "rss_by_month_mb": rss,
        "open_cases_peak": stats.open_cases_peak,
        "completion_rate": result["completion_rate"],
        "completion_rate_aged": result["completion_rate_aged"],
        # The open split under the parameters' reading of listed (挂账) cases, and both
        # readings (ADR 0010, "Update (issue 22)").
        **{
            k: result[k]
            for k in result
            if k.startswith(("open_on_time", "open_overdue", "open_listed"))
            or k == "listed_counts_as"
        },
        "wall_s": round(wall, 1),
    }
    if args.breakdown:
        saves = max(1, phases.calls["serialize_instance"])
        out |= {
            "step_breakdown_ms": per_step_ms(phases, stats.steps, sim_s),
            "calls_per_step": {
                name: round(n / max(1, stats.steps), 2) for name, n in sorted(phases.calls.items())
            },
            "sql_per_step_by_phase": {
                name: round(n / max(1, stats.steps), 2)
                for name, n in sorted(phases.sql_by_phase.items(), key=lambda item: -item[1])
            },
            "serialized_kb_per_save": round(phases.serialized_chars / saves / 1024, 1),
            "tasks_per_saved_instance": round(phases.serialized_tasks / saves, 1),
            "rows_at_end": rows,
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
