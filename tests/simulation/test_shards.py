"""Two processes, one per half of the county, give the same counts as one process."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from cli.main import main
from cli.simulate import Progress
from simulation.loop import LoopStats
from simulation.run import RunSpec, simulate
from simulation.shards import shard_url, simulate_sharded

REPO = Path(__file__).resolve().parents[2]
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


@pytest.mark.postgres
def test_shards_on_postgresql_use_one_schema_each(tmp_path, database_url):
    """Both cores on PostgreSQL: each shard in its own schema beside the given one."""
    if not database_url.startswith("postgresql"):
        pytest.skip("the PostgreSQL variant")
    spec = RunSpec(months=0.5, seed=8, scale=0.003, start=date(2021, 7, 1))
    whole = simulate(f"sqlite:///{tmp_path / 'whole.sqlite'}", spec)
    schema = make_url(database_url).query["options"].removeprefix("-csearch_path=")
    try:
        sharded = simulate_sharded(database_url, spec, 2)
        assert {k: sharded[k] for k in COUNTS} == {k: whole[k] for k in COUNTS}
        assert [s["database"] for s in sharded["shards"]] == [
            shard_url(database_url, 1),
            shard_url(database_url, 2),
        ]
        assert f"{schema}_shard_2" in sharded["shards"][1]["database"]
    finally:
        admin = create_engine(make_url(database_url).difference_update_query(["options"]))
        with admin.begin() as connection:
            for k in (1, 2):
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}_shard_{k}" CASCADE'))
        admin.dispose()


def test_a_shard_database_must_be_a_file_or_a_postgresql_schema():
    assert shard_url("sqlite:////tmp/x.sqlite", 2) == "sqlite:////tmp/x-2.sqlite"
    with pytest.raises(ValueError, match="PostgreSQL"):
        shard_url("sqlite://", 1)


def test_each_shard_reports_its_months_with_the_time_taken(tmp_path):
    """A sharded replay runs for hours: without --quiet every shard says, from its own
    process, which month it has reached and how long the run has taken so far (the month in
    the county's time: the next test)."""
    command = [
        sys.executable,
        "-m",
        "cli.main",
        "simulate",
        "--months",
        "0.3",
        "--seed",
        "8",
        "--scale",
        "0.003",
        "--start",
        "2021-07-25",
        "--workers",
        "2",
        "--database",
        f"sqlite:///{tmp_path / 'part.sqlite'}",
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    line = re.compile(r"^分片 ([12]) 模拟至 (\d{4}-\d\d)：诉求 \d+ 件.*用时 \d+:\d\d:\d\d$")
    reached = [m.groups() for m in map(line.match, lines) if m]
    for shard in ("1", "2"):
        assert [month for s, month in reached if s == shard] == ["2021-07", "2021-08"], lines
    assert json.loads(done.stdout)["workers"] == 2


def test_progress_names_the_month_in_the_countys_time(capsys):
    """The virtual clock runs in UTC; 1 August, 00:30 in the county is still July in UTC."""
    Progress()(datetime(2021, 7, 31, 16, 30, tzinfo=UTC), LoopStats(requests=3), shard=2)
    line = capsys.readouterr().err.strip()
    assert line.startswith("分片 2 模拟至 2021-08：诉求 3 件"), line
