"""What the simulator's scheduled full garbage collections cost at full scale; prints JSON.

Runs the simulator's loop alone (no bare lifecycles in between) for ``--months`` at
``--scale`` with the full collection every ``--every`` events, then times one more full
collection over what is kept (ADR 0023 "Update": a collection traverses every live workflow).

Usage: ``python bench/gc_schedule.py [--months 0.5] [--scale 1.0] [--every 50000]``
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import simulation.collection as collection  # noqa: E402
from engine.core.persistence import make_engine  # noqa: E402
from responsibility_catalog import load_catalogs, shipped_data_path  # noqa: E402
from rules import routing_table  # noqa: E402
from simulation.run import RunSpec, open_run  # noqa: E402


def _rss_mb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=float, default=0.5)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--every", type=int, default=collection.EVENTS_PER_COLLECTION)
    args = parser.parse_args()
    collection.EVENTS_PER_COLLECTION = args.every
    logging.disable(logging.WARNING)
    for catalog in load_catalogs(shipped_data_path()):
        for matter in catalog.matters():
            routing_table(catalog).decisions_for(matter)
    spec = RunSpec(months=args.months, seed=1, scale=args.scale)
    with tempfile.TemporaryDirectory() as tmp:
        db = make_engine(f"sqlite:///{Path(tmp) / 'gc.sqlite'}")
        loop, arrivals = open_run(db, spec)
        t0 = time.perf_counter()
        loop.run(arrivals, spec.end_at)
        loop_s = time.perf_counter() - t0
        rss = _rss_mb()
        t0 = time.perf_counter()
        unreachable = gc.collect()
        collect_s = time.perf_counter() - t0
        live = len(loop.host.runtime.live_workflows)
        db.dispose()
    print(
        json.dumps(
            {
                "months": args.months,
                "scale": args.scale,
                "events_per_collection": args.every,
                "steps": loop.stats.steps,
                "step_ms": round(1000 * loop_s / max(1, loop.stats.steps), 2),
                "rss_mb": rss,
                "live_workflows": live,
                "full_collection_s": round(collect_s, 2),
                "unreachable_found": unreachable,
            }
        )
    )


if __name__ == "__main__":
    main()
