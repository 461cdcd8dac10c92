"""How listed (挂账督办) cases count in the open split: both readings reported, one chosen.

The county's "8,400 正按时间节点正常办理 / 5,300 超期办理或申请延期办理" leaves open whether a
listed case working to its approved plan is on time; ADR 0010 ("Update (issue 22)") reads it
as on time until the plan's end.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date

from click.testing import CliRunner

from cli.main import main
from engine.core.persistence import make_engine
from simulation.figures import collect
from simulation.parameters import Parameters
from simulation.run import COUNTY, RunSpec, simulate


def _listing_everything(**behaviour) -> Parameters:
    """Every case the unit handles first time asks to be listed, and every request is
    approved: a short run then has listed cases of every age."""
    p = Parameters()
    return dataclasses.replace(
        p,
        behaviour=dataclasses.replace(
            p.behaviour,
            extension_share=0.0,
            listing_share=1.0,
            listing_approved=1.0,
            listed_solved_per_month=0.0,
            **behaviour,
        ),
    )


def test_listed_cases_count_by_the_chosen_reading_and_both_are_reported(tmp_path):
    url = f"sqlite:///{tmp_path / 'listed.sqlite'}"
    spec = RunSpec(
        months=2,
        seed=4,
        scale=0.002,
        start=date(2021, 3, 1),
        # A one-month plan, so that the cases listed in the first month are past it.
        parameters=_listing_everything(listed_plan_months=1.0),
    )
    result = simulate(url, spec)
    on_plan, past_plan = result["open_listed_on_plan"], result["open_listed_past_plan"]
    assert on_plan > 0 and past_plan > 0
    open_cases = result["requests"] - result["closed"]
    # The default reading: working to plan is on time, past the plan is overdue.
    assert result["listed_counts_as"] == "on_time"
    assert result["open_on_time"] == result["open_on_time_if_listed_on_time"]
    assert (
        result["open_overdue_or_extended"] == (result["open_overdue_or_extended_if_listed_on_time"])
    )
    # The other reading moves exactly the listed cases working to plan to the late side.
    assert result["open_on_time_if_listed_overdue"] == result["open_on_time"] - on_plan
    assert result["open_overdue_or_extended_if_listed_overdue"] == (
        result["open_overdue_or_extended"] + on_plan
    )
    for reading in ("on_time", "overdue"):
        assert (
            result[f"open_on_time_if_listed_{reading}"]
            + result[f"open_overdue_or_extended_if_listed_{reading}"]
            == open_cases
        )
    # Read again under the other reading: the headline split follows it; a longer plan
    # brings the cases listed in the first month back on time.
    db = make_engine(url)
    try:
        overdue = collect(db, spec.end_at, county=COUNTY, listed_counts_as="overdue")
        long_plan = collect(db, spec.end_at, county=COUNTY, listed_plan_months=12)
    finally:
        db.dispose()
    assert overdue["open_on_time"] == result["open_on_time_if_listed_overdue"]
    assert long_plan["open_listed_past_plan"] == 0
    assert long_plan["open_on_time"] == result["open_on_time"] + past_plan


def test_a_reading_the_simulator_does_not_know_is_refused_in_chinese(tmp_path):
    params = tmp_path / "p.yaml"
    params.write_text("behaviour:\n  listed_counts_as: late\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "simulate",
            "--months",
            "0.1",
            "--scale",
            "0.001",
            "--params",
            str(params),
            "--database",
            f"sqlite:///{tmp_path / 'never.sqlite'}",
            "--quiet",
        ],
    )
    assert result.exit_code == 1
    assert "listed_counts_as 须为 on_time 或 overdue" in result.stderr
    assert "'late'" in result.stderr
    assert not (tmp_path / "never.sqlite").exists()


def test_the_sharded_cli_reports_both_readings_summed_over_the_shards(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "simulate",
            "--months",
            "0.3",
            "--seed",
            "2",
            "--scale",
            "0.002",
            "--start",
            "2021-06-01",
            "--database",
            f"sqlite:///{tmp_path / 'cli.sqlite'}",
            "--workers",
            "2",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["workers"] == 2
    assert figures["listed_counts_as"] == "on_time"
    open_cases = figures["requests"] - figures["closed"]
    assert open_cases > 0
    for reading in ("on_time", "overdue"):
        assert (
            figures[f"open_on_time_if_listed_{reading}"]
            + figures[f"open_overdue_or_extended_if_listed_{reading}"]
            == open_cases
        )
    assert figures["open_on_time"] == figures["open_on_time_if_listed_on_time"]
