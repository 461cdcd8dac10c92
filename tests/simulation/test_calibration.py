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
    # Completion above 97 % for cases old enough to have finished (a month or more).
    assert result["completion_rate_aged"] > 0.97
    assert 0.25 <= result["garbage_share"] <= 0.35
    # The elderly report through grid workers.
    assert 0.2 < result["grid_share"] < 0.35
    # Open cases: most on time, a real share overdue, extended or listed.
    open_cases = result["open_on_time"] + result["open_overdue_or_extended"]
    assert open_cases == result["requests"] - result["closed"]
    assert 0.1 < result["open_overdue_or_extended"] / open_cases < 0.5
    # Every stage kind happened, with on-time flags frozen on both sides.
    stages = result["stage_on_time"]
    assert stages["handle:on_time"] > 10 * stages["handle:late"] > 0
    assert result["timers_fired"] > result["requests"] * 0.3
    assert result["routed_by_dispatcher"] > 0 and result["contested"] > 0


# The county's open cases on 6 September 2023, after 40 months (人民日报).
COUNTY_OPEN_ON_TIME = 8_400
COUNTY_OPEN_LATE = 5_300  # overdue or extended (the simulator counts listed cases here)


def _summer_backlog(tmp_path, scale: float, seed: int) -> tuple[dict, float, float]:
    """Forty months from May 2020: the figures at the end, and the open cases (on time,
    late) averaged over weekly samples of the last 13 weeks — June to August, the season of
    the county's figures — because one sample of a few dozen cases is too noisy."""
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
    on_time = sum(s["open_on_time"] for s in samples) / len(samples)
    late = sum(s["open_overdue_or_extended"] for s in samples) / len(samples)
    return samples[-1], on_time, late


@pytest.mark.slow
def test_forty_months_leave_an_open_backlog_like_the_countys(tmp_path):
    # ~1,100 requests, about a minute. At this scale the late side is ~10 cases, most of
    # them listed for a year, so seeds spread widely (1,600–6,200 extrapolated on seeds
    # 1–3, docs/BENCHMARKS.md): the bounds are wide, but the parameters before calibration
    # (late ~2,200, open ~5,800 on this seed) fail them.
    scale = 0.002
    end, on_time, late = _summer_backlog(tmp_path, scale, seed=2)
    assert 0.9 < end["requests"] / (COUNTY_REQUESTS * scale) < 1.1
    assert end["completion_rate"] > 0.97
    assert 0.25 <= end["garbage_share"] <= 0.35
    assert 0.2 < end["grid_share"] < 0.35
    assert end["open_on_time"] + end["open_overdue_or_extended"] == (
        end["requests"] - end["closed"]
    )
    # Extrapolated to the whole county. Listed cases (about a year in the rectification
    # plan) and extensions fill the late side towards the county's 5,300.
    late_x, on_time_x = late / scale, on_time / scale
    assert 0.6 * COUNTY_OPEN_LATE < late_x < 1.5 * COUNTY_OPEN_LATE
    # The on-time side is bounded by the catalog's limits: a case counts on time only
    # inside its handling window (~10 days on average), so even units replying late in the
    # window keep it near 5,000, short of the county's 8,400.
    assert 0.4 * COUNTY_OPEN_ON_TIME < on_time_x < 1.1 * COUNTY_OPEN_ON_TIME
    assert late_x + on_time_x > 0.55 * (COUNTY_OPEN_ON_TIME + COUNTY_OPEN_LATE)
    assert 0.35 < on_time / (on_time + late) < 0.7
