"""Would storing only a step's changed tasks make SQLite's commit cheaper? Prints JSON.

ADR 0023's option E (delta storage) counted on writing ~1/5 of the bytes a step writes today.
This measures the write alone, in one run, on a scratch SQLite file with the engine's settings
(WAL, ``synchronous=NORMAL``, the engine's checkpoint interval): ``--instances`` rows of the
instance table, each holding ``--state-kb`` of state (today's storage: the whole state in the
row), against the same instances with their ``--tasks`` task states as rows of a task table
keyed by (instance, task), a step rewriting the instance's header and ``--changed`` of its
tasks (delta storage). Each transaction writes one random instance, as the simulator's steps
do; the figure is the median over ``--rounds`` alternating passes of ``--steps`` transactions.

Usage: ``python bench/state_storage_write.py [--instances 4000] [--steps 3000]``
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.core.persistence.database import WAL_CHECKPOINT_PAGES  # noqa: E402


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
    conn.execute(
        "CREATE TABLE instance (id INTEGER PRIMARY KEY, version INTEGER, state TEXT, due TEXT)"
    )
    conn.execute(
        "CREATE TABLE task_state (instance_id INTEGER, task_id TEXT, state TEXT,"
        " PRIMARY KEY (instance_id, task_id)) WITHOUT ROWID"
    )
    return conn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=4000)
    parser.add_argument("--state-kb", type=float, default=34.0)
    parser.add_argument("--tasks", type=int, default=62)
    parser.add_argument("--changed", type=int, default=11)
    parser.add_argument("--header-kb", type=float, default=2.0)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(1)
    state = "x" * int(args.state_kb * 1024)
    task_bytes = int(args.state_kb * 1024 / args.tasks)
    header = "h" * int(args.header_kb * 1024)
    task_ids = [f"{rng.getrandbits(128):032x}" for _ in range(args.tasks)]
    with tempfile.TemporaryDirectory() as tmp:
        conn = _connect(Path(tmp) / "storage.sqlite")
        conn.execute("BEGIN")
        for i in range(args.instances):
            conn.execute("INSERT INTO instance VALUES (?, 0, ?, NULL)", (i, state))
            conn.executemany(
                "INSERT INTO task_state VALUES (?, ?, ?)",
                [(i, t, "t" * task_bytes) for t in task_ids],
            )
        conn.execute("COMMIT")
        # The load's ~280 MB of WAL would be checkpointed inside the first pass measured.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

        def write(text: str, changed: int) -> None:
            i = rng.randrange(args.instances)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "UPDATE instance SET state = ?, version = version + 1 WHERE id = ?", (text, i)
            )
            conn.executemany(
                "UPDATE task_state SET state = ? WHERE instance_id = ? AND task_id = ?",
                [("u" * task_bytes, i, t) for t in rng.sample(task_ids, changed)],
            )
            conn.execute("COMMIT")

        def whole() -> None:
            write(state, 0)  # today: the whole state in the instance's row

        def delta() -> None:
            write(header, args.changed)  # option E: a header and the changed tasks' rows

        def per_step_ms(write: Callable[[], None]) -> float:
            t0 = time.perf_counter()
            for _ in range(args.steps):
                write()
            return 1000 * (time.perf_counter() - t0) / args.steps

        passes: dict[str, list[float]] = {"whole": [], "delta": []}
        for _ in range(args.rounds):
            passes["whole"].append(per_step_ms(whole))
            passes["delta"].append(per_step_ms(delta))
        conn.close()
    whole_ms = statistics.median(passes["whole"])
    delta_ms = statistics.median(passes["delta"])
    print(
        json.dumps(
            {
                "instances": args.instances,
                "state_kb": args.state_kb,
                "tasks": args.tasks,
                "changed_tasks": args.changed,
                "whole_state_write_ms": round(whole_ms, 3),
                "delta_write_ms": round(delta_ms, 3),
                "delta_to_whole": round(delta_ms / whole_ms, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
