"""The red/black list rule: scores, minimum sample, deterministic ties, list sizes."""

from __future__ import annotations

import random

import pytest

from rules.ranking import RankingPolicy, UnitFigures, rank, score


def unit(name, cases, completion, on_time=(0, 0), reporting=None, kind="township"):
    counts = {"completion": (completion, cases), "on_time": on_time}
    if reporting is not None:
        counts["reporting"] = reporting
    return UnitFigures(name, kind, cases, counts)


def test_score_renormalises_over_the_figures_a_unit_has():
    policy = RankingPolicy(weights={"completion": 0.5, "on_time": 0.3, "reporting": 0.2})
    # A department: no reporting figure; completion 8/10, on time 3/4.
    department = unit("d", 10, 8, on_time=(3, 4), kind="department")
    assert score(department, policy) == round(100 * (0.5 * 0.8 + 0.3 * 0.75) / 0.8, 2)
    # A township reporting 30 reports for 60 grid workers against a target of 1 per worker.
    township = unit("t", 10, 8, on_time=(3, 4), reporting=(30, 60))
    assert score(township, policy) == round(100 * (0.5 * 0.8 + 0.3 * 0.75 + 0.2 * 0.5), 2)
    # Reporting above target scores full marks, not more.
    busy = unit("b", 10, 8, on_time=(3, 4), reporting=(120, 60))
    assert score(busy, policy) == round(100 * (0.5 * 0.8 + 0.3 * 0.75 + 0.2), 2)


def test_overturned_returns_lower_the_score():
    policy = RankingPolicy(weights={"completion": 0.5, "overturned": 0.5})
    clean = UnitFigures("a", "township", 10, {"completion": (10, 10), "overturned": (0, 2)})
    wrong = UnitFigures("b", "township", 10, {"completion": (10, 10), "overturned": (2, 2)})
    assert score(clean, policy) == 100.0
    assert score(wrong, policy) == 50.0


def test_units_below_the_minimum_sample_are_listed_last_unranked():
    policy = RankingPolicy(min_cases=5, red_size=1, black_size=1)
    units = [unit("few", 4, 4), unit("good", 5, 5), unit("bad", 9, 1)]
    ranked = rank(units, policy)
    assert [(r.unit, r.rank) for r in ranked] == [("good", 1), ("bad", 2), ("few", None)]
    few = ranked[-1]
    assert few.score is None and few.board is None and few.rates["completion"] == 1.0


def test_ties_are_broken_by_completion_then_cases_then_unit_id_whatever_the_input_order():
    policy = RankingPolicy(weights={"on_time": 1.0}, red_size=0, black_size=0, min_cases=1)
    units = [
        unit("c", 10, 5, on_time=(9, 10)),  # same score as the others, lower completion
        unit("b", 10, 9, on_time=(9, 10)),
        unit("a", 10, 9, on_time=(9, 10)),  # same as b: the id decides
        unit("d", 20, 18, on_time=(18, 20)),  # same score and completion, more cases
    ]
    expected = ["d", "a", "b", "c"]
    for seed in range(5):
        shuffled = units[:]
        random.Random(seed).shuffle(shuffled)
        assert [r.unit for r in rank(shuffled, policy)] == expected
    assert [r.rank for r in rank(units, policy)] == [1, 2, 3, 4]


def test_red_and_black_lists_respect_sizes_and_thresholds():
    policy = RankingPolicy(
        weights={"completion": 1.0},
        min_cases=1,
        red_size=2,
        black_size=2,
        red_min_score=80,
        black_max_score=70,
    )
    rates = {"a": 10, "b": 9, "c": 8, "d": 7, "e": 6}  # completion out of 10
    ranked = {r.unit: r.board for r in rank([unit(u, 10, n) for u, n in rates.items()], policy)}
    assert ranked == {"a": "red", "b": "red", "c": None, "d": None, "e": "black"}
    # d scores exactly 70: not below the black threshold, so only e is named.


def test_a_month_where_everyone_did_well_has_no_black_list():
    policy = RankingPolicy(weights={"completion": 1.0}, min_cases=1, red_size=1, black_size=3)
    ranked = rank([unit(u, 10, 10 - i) for i, u in enumerate("abcd")], policy)
    assert [r.board for r in ranked] == ["red", None, None, None]


def test_the_policy_refuses_unknown_figures_and_zero_weights():
    with pytest.raises(ValueError, match="unknown"):
        RankingPolicy(weights={"speed": 1.0})
    with pytest.raises(ValueError, match="weights"):
        RankingPolicy(weights={"completion": 0.0})
