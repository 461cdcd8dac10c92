"""Calibration at a reduced scale: the default parameters reproduce the county's shape.

Scale 0.01 for four months is ~600 requests. At full scale (1.0) and 40 months the same
parameters give ~550,000 requests (the arrival test checks the volume); the completion rate
and the garbage share are ratios and carry over. The open backlog does not: listed cases and
extensions accumulate for months, so after four months the open cases are fewer and more of
them on time than the county's 8,400 / 5,300 after three years. The 40-month test checks the
backlog at the end of the county's period, extrapolated from a small scale (docs/BENCHMARKS.md).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from engine.core.persistence import make_engine
from simulation.figures import collect
from simulation.parameters import COUNTY_REQUESTS
from simulation.run import COUNTY, RunSpec, open_run, simulate


@pytest.mark.slow
def test_four_months_at_one_percent_look_like_the_county(tmp_path):
    result = simulate(
        f"sqlite:///{tmp_path / 'c.sqlite'}",
        RunSpec(months=4, seed=2, scale=0.01, start=date(2020, 5, 1)),
    )
    # 550,000 × 0.01 × 4/40 ≈ 550, with the summer months a little busier.
    assert 500 < result["requests"] < 700
    # Completion near the county's 97 % for cases old enough to have finished (a month or
    # more). Listed cases (~3 % of requests) wait for the annual rectification plan, so in the
    # first four months almost none of them is done: the county's "办结率超过97%" is over
    # its whole period, which the 40-month test checks.
    assert 0.96 < result["completion_rate_aged"] < 0.99
    assert 0.25 <= result["garbage_share"] <= 0.35
    # The elderly report through grid workers.
    assert 0.2 < result["grid_share"] < 0.35
    # Open cases: most on time, a real share overdue, extended or listed (every listed case
    # is within its year-long plan after four months, so only the reading that counts
    # listed cases as late shows that share this early).
    open_cases = result["open_on_time"] + result["open_overdue_or_extended"]
    assert open_cases == result["requests"] - result["closed"]
    assert 0.1 < result["open_overdue_or_extended_if_listed_overdue"] / open_cases < 0.5
    assert result["open_listed_past_plan"] == 0
    # Every stage kind happened, with on-time flags frozen on both sides.
    stages = result["stage_on_time"]
    assert stages["handle:on_time"] > 10 * stages["handle:late"] > 0
    assert result["timers_fired"] > result["requests"] * 0.3
    assert result["routed_by_dispatcher"] > 0 and result["contested"] > 0


# The county's open cases on 6 September 2023, after 40 months (人民日报).
COUNTY_OPEN_ON_TIME = 8_400
COUNTY_OPEN_LATE = 5_300  # overdue or extended


def _summer_backlog(tmp_path, scale: float, seed: int) -> tuple[dict, dict[str, float]]:
    """Forty months from May 2020: the figures at the end, and every open split the figures
    report (both readings of listed cases) averaged over weekly samples of the last 13 weeks
    — June to August, the season of the county's figures — because one sample of a few dozen
    cases is too noisy."""
    spec = RunSpec(months=40, seed=seed, scale=scale, start=date(2020, 5, 1))
    db = make_engine(f"sqlite:///{tmp_path / 'long.sqlite'}")
    try:
        loop, arrivals = open_run(db, spec)
        samples = []
        for weeks_before in range(12, -1, -1):
            at = spec.end_at - timedelta(weeks=weeks_before)
            loop.run(arrivals, at)
            samples.append(collect(db, at, county=COUNTY))
    finally:
        db.dispose()
    keys = [k for k in samples[-1] if k.startswith(("open_on_time", "open_overdue"))]
    return samples[-1], {k: sum(s[k] for s in samples) / len(samples) for k in keys}


@pytest.mark.slow
def test_forty_months_match_the_countys_open_split_with_listed_cases_on_plan_on_time(tmp_path):
    """Issue 22: under the chosen reading of 挂账 (a listed case working to its plan is
    "按时间节点正常办理", past its plan overdue; ADR 0010) the open split at the end of the
    county's period, extrapolated from scale 0.004 (~2,300 requests; ~2.5 minutes idle, ~8
    at load 8), is the county's 8,400 / 5,300 within 15 %; the other reading is reported
    and misses it."""
    scale = 0.004
    end, split = _summer_backlog(tmp_path, scale, seed=2)
    assert end["listed_counts_as"] == "on_time"
    assert 0.9 < end["requests"] / (COUNTY_REQUESTS * scale) < 1.1
    assert end["completion_rate"] > 0.97
    assert 0.25 <= end["garbage_share"] <= 0.35
    assert 0.2 < end["grid_share"] < 0.35
    assert end["open_on_time"] + end["open_overdue_or_extended"] == (
        end["requests"] - end["closed"]
    )
    # Listed cases past their year-long plan are most of the late side: the only open
    # cases that old (docs/BENCHMARKS.md).
    assert end["open_listed_past_plan"] > 0.5 * end["open_overdue_or_extended"]
    on_time_x, late_x = split["open_on_time"] / scale, split["open_overdue_or_extended"] / scale
    assert 0.85 * COUNTY_OPEN_ON_TIME <= on_time_x <= 1.15 * COUNTY_OPEN_ON_TIME
    assert 0.85 * COUNTY_OPEN_LATE <= late_x <= 1.15 * COUNTY_OPEN_LATE
    # The other reading moves the listed cases working to plan to the late side: fewer on
    # time (short of the county's 8,400 by more than the tolerance), more late.
    other_on_time = split["open_on_time_if_listed_overdue"] / scale
    other_late = split["open_overdue_or_extended_if_listed_overdue"] / scale
    assert other_on_time + other_late == pytest.approx(on_time_x + late_x)
    assert other_on_time < 0.85 * COUNTY_OPEN_ON_TIME
    assert other_late > late_x
