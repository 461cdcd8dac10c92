"""Routing throughput: decisions per second of rules.route on the shipped catalog, one core.

Prints one JSON object. ``--quick`` runs a short measurement (for CI smoke runs).
Usage: .venv/bin/python bench/routing.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from responsibility_catalog import latest_published, load_catalogs, shipped_data_path  # noqa: E402
from rules import ComplaintFacts, Outcome, route, routing_table  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short run")
    args = parser.parse_args()
    decisions = 50_000 if args.quick else 1_000_000

    start = time.monotonic()
    catalogs = load_catalogs(shipped_data_path())
    load_s = time.monotonic() - start
    catalog = latest_published(catalogs)
    if catalog is None:
        raise SystemExit("no published catalog version")
    rng = random.Random(3)
    matters = catalog.matters()
    villages = catalog.organisation.villages
    requests = [
        ComplaintFacts(
            matter=rng.choice(matters).id if rng.random() < 0.7 else rng.choice(matters).name,
            village=rng.choice(villages).name if rng.random() < 0.7 else rng.choice(villages).id,
        )
        for _ in range(10_000)
    ]

    start = time.monotonic()
    table = routing_table(catalog)
    for matter in matters:
        table.decisions_for(matter)
    compile_s = time.monotonic() - start

    outcomes: dict[str, int] = {}
    for facts in requests:  # warm-up, and count outcomes once
        outcome = route(facts, catalog).outcome
        outcomes[outcome.value] = outcomes.get(outcome.value, 0) + 1
    if outcomes.get(Outcome.UNRESOLVED.value):
        raise SystemExit(f"unexpected unresolved decisions: {outcomes}")

    n = len(requests)
    done = 0
    start = time.monotonic()
    while done < decisions:
        for facts in requests:
            route(facts, catalog)
        done += n
    elapsed = time.monotonic() - start

    print(
        json.dumps(
            {
                "benchmark": "routing",
                "decisions_per_s": round(done / elapsed),
                "decisions": done,
                "seconds": round(elapsed, 3),
                "precompute_all_matters_s": round(compile_s, 3),
                "load_and_validate_s": round(load_s, 3),
                "catalog_version": catalog.label,
                "matters": len(matters),
                "villages": len(villages),
                "outcomes_per_10000": outcomes,
                "quick": args.quick,
                "python": platform.python_version(),
            }
        )
    )


if __name__ == "__main__":
    main()
