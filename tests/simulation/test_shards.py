"""Two processes, one per half of the county, give the same counts as one process."""

from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner

from simulation.run import RunSpec, simulate
from web.cli import main

COUNTS = (
    "requests",
    "closed",
    "open_on_time",
    "open_overdue_or_extended",
    "routed_by_dispatcher",
    "contested",
    "handled_late",
    "timers_fired",
    "steps",
    "by_status",
    "by_stage",
    "by_township",
    "stage_on_time",
    "garbage_share",
    "avg_days_to_close",
)


def test_two_shards_sum_to_the_unsharded_run(tmp_path):
    spec = RunSpec(months=0.75, seed=8, scale=0.003, start=date(2021, 7, 1))
    whole = simulate(f"sqlite:///{tmp_path / 'whole.sqlite'}", spec)
    result = CliRunner().invoke(
        main,
        [
            "simulate",
            "--months",
            "0.75",
            "--seed",
            "8",
            "--scale",
            "0.003",
            "--start",
            "2021-07-01",
            "--workers",
            "2",
            "--database",
            f"sqlite:///{tmp_path / 'part.sqlite'}",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    sharded = json.loads(result.stdout)
    assert sharded["workers"] == 2
    halves = [set(s["townships"]) for s in sharded["shards"]]
    assert halves[0].isdisjoint(halves[1]) and len(halves[0] | halves[1]) == 10
    assert all(s["requests"] > 0 for s in sharded["shards"])
    assert (tmp_path / "part-1.sqlite").exists() and (tmp_path / "part-2.sqlite").exists()
    assert {k: sharded[k] for k in COUNTS} == {k: whole[k] for k in COUNTS}
