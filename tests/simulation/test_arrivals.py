"""The arrival model alone (no database): volume, mix, season, places and channels."""

from __future__ import annotations

from collections import Counter
from datetime import date

from simulation.arrivals import ArrivalModel
from simulation.parameters import GARBAGE_MATTERS, ArrivalParameters, Parameters


def _year(organisation, matters, *, seed=11, scale=0.1, params=None):
    model = ArrivalModel(
        params or ArrivalParameters(), organisation, matters, scale=scale, seed=seed
    )
    return list(model.arrivals(date(2021, 1, 1), date(2022, 1, 1)))


def test_a_year_at_full_scale_would_be_the_countys_volume(organisation, matters):
    arrivals = _year(organisation, matters, scale=0.1)
    # 550,000 in 40 months is 165,000 a year; a tenth of that at scale 0.1.
    assert 15_500 < len(arrivals) < 17_500
    assert all(a.at < b.at or a.at == b.at for a, b in zip(arrivals, arrivals[1:], strict=False))
    assert [a.index for a in arrivals] == list(range(len(arrivals)))


def test_garbage_is_about_thirty_percent_and_honeysuckle_comes_in_summer(organisation, matters):
    arrivals = _year(organisation, matters)
    garbage = sum(a.matter_id in GARBAGE_MATTERS for a in arrivals) / len(arrivals)
    assert 0.27 < garbage < 0.33
    honeysuckle = Counter(a.at.month for a in arrivals if a.matter_id == "D10-02")
    summer = sum(honeysuckle[m] for m in (5, 6, 7, 8))
    winter = sum(honeysuckle[m] for m in (11, 12, 1, 2))
    assert summer > 10 * winter


def test_places_follow_population_and_the_elderly_report_through_grid_workers(
    organisation, matters
):
    arrivals = _year(organisation, matters)
    by_township = Counter(a.township_id for a in arrivals)
    # 巨鹿镇 (62,000 people) reports about three times as much as 官寨镇 (19,000).
    assert 2.5 < by_township["juluzhen"] / by_township["guanzhai"] < 4.0
    grid = sum(a.channel == "grid" for a in arrivals) / len(arrivals)
    assert 0.22 < grid < 0.34  # 67,000 of 293,000 residents are over 60
    # Reports without a chosen matter come only from the app.
    assert all(a.channel == "app" for a in arrivals if not a.matter_chosen)
    weekdays = Counter(a.at.weekday() for a in arrivals)
    assert weekdays[0] > weekdays[6] * 1.2
    hours = Counter(a.at.hour for a in arrivals)
    assert hours[10] > 10 * hours[3]


def test_same_seed_same_arrivals_and_hotspots_concentrate_reports(organisation, matters):
    params = Parameters().arrivals
    assert _year(organisation, matters, seed=5, scale=0.01) == _year(
        organisation, matters, seed=5, scale=0.01
    )
    assert _year(organisation, matters, seed=5, scale=0.01) != _year(
        organisation, matters, seed=6, scale=0.01
    )
    hot = ArrivalParameters(hotspots={"xiaolvzhai-002": 100.0})
    plain = sum(
        a.village_id == "xiaolvzhai-002" for a in _year(organisation, matters, params=params)
    )
    boosted = sum(
        a.village_id == "xiaolvzhai-002" for a in _year(organisation, matters, params=hot)
    )
    assert boosted > 20 * max(plain, 1)
