"""What writing and reading an instance's stored text costs, by encoder; prints JSON.

Runs the simulator for ``--months`` at ``--scale``, then takes the workflows its live cache
holds (open complaints in every stage, each saved at least once, so settled tasks keep their
converted form as on a real step) and times, on the same dicts in the same run: the
registry's conversion, ``json.dumps`` as the engine wrote before, orjson as
``engine/core/state_text.py`` writes now, and both readers (ADR 0023, update 2).

Usage: ``python bench/state_encoding.py [--months 0.5] [--scale 0.03] [--rounds 5]``
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.core import state_text  # noqa: E402
from engine.core.persistence import make_engine  # noqa: E402
from simulation.run import RunSpec, open_run  # noqa: E402


def _best_ms(rounds: int, n: int, work: Any) -> float:
    """The fastest of ``rounds`` passes, per item: the least disturbed by the shared machine."""
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - t0)
    return round(1000 * best / n, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=float, default=0.5)
    parser.add_argument("--scale", type=float, default=0.03)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    spec = RunSpec(months=args.months, seed=1, scale=args.scale)
    with tempfile.TemporaryDirectory() as tmp:
        db = make_engine(f"sqlite:///{Path(tmp) / 'encoding.sqlite'}")
        loop, arrivals = open_run(db, spec)
        loop.run(arrivals, spec.end_at)
        runtime = loop.host.runtime
        workflows = [entry.workflow for entry in runtime.live_workflows._entries.values()]
        db.dispose()
    serializer = runtime.serializer
    encoder = serializer.encoder
    n = len(workflows)

    def convert() -> list[dict[str, Any]]:
        return [serializer.state_dict(w) for w in workflows]

    dicts = convert()
    texts = [encoder.encode(d) for d in dicts]
    assert all(
        json.loads(state_text.encode(d, encoder)) == json.loads(t)
        for d, t in zip(dicts, texts, strict=True)
    )
    out = {
        "workflows": n,
        "kb_per_state": round(sum(map(len, texts)) / n / 1024, 1),
        "convert_ms": _best_ms(args.rounds, n, convert),
        "json_dumps_ms": _best_ms(args.rounds, n, lambda: [encoder.encode(d) for d in dicts]),
        "orjson_dumps_ms": _best_ms(
            args.rounds, n, lambda: [state_text.encode(d, encoder) for d in dicts]
        ),
        "json_loads_ms": _best_ms(args.rounds, n, lambda: [json.loads(t) for t in texts]),
        "orjson_loads_ms": _best_ms(args.rounds, n, lambda: [state_text.decode(t) for t in texts]),
    }
    out["dumps_ratio_json_to_orjson"] = round(out["json_dumps_ms"] / out["orjson_dumps_ms"], 2)
    out["loads_ratio_json_to_orjson"] = round(out["json_loads_ms"] / out["orjson_loads_ms"], 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
