"""Shards of equal work: a sharded replay lasts as long as its heaviest shard."""

from __future__ import annotations

import pytest

from simulation.partition import balanced_groups
from simulation.run import RunSpec
from simulation.shards import expected_arrivals, split_townships


def _largest(weights: dict[str, float], groups: list[tuple[str, ...]]) -> float:
    return max(sum(weights[name] for name in group) for group in groups)


def test_finds_the_even_split_that_largest_first_placement_misses():
    # Largest first: 3 | 3, then 2, 2, 2 alternately → 7 against 5.
    weights = {"a": 3, "b": 3, "c": 2, "d": 2, "e": 2}
    groups = balanced_groups(weights, 2)
    assert _largest(weights, groups) == 6
    assert sorted(groups) == [("a", "b"), ("c", "d", "e")]


def test_the_countys_two_workers_get_halves_of_the_expected_arrivals():
    spec = RunSpec(months=1, seed=1, scale=1.0)
    halves = split_townships(spec, 2)
    assert len(halves) == 2 and not set(halves[0]) & set(halves[1])
    assert len(set(halves[0]) | set(halves[1])) == 10
    # The county seat is a fifth of the arrivals; largest-first placement left 53/47.
    weights = expected_arrivals(spec)
    assert _largest(weights, halves) <= 1.01 * sum(weights.values()) / 2


@pytest.mark.parametrize("groups", [1, 2, 3, 4, 7, 10, 15])
def test_every_township_is_in_exactly_one_non_empty_group(groups):
    weights = {f"t{i}": float(10 + (i * 7) % 13) for i in range(10)}
    found = balanced_groups(weights, groups)
    names = [name for group in found for name in group]
    assert sorted(names) == sorted(weights)
    assert len(found) == min(groups, len(weights)) and all(found)
    assert all(list(group) == sorted(group) for group in found)


def test_the_split_does_not_depend_on_the_order_it_is_given_in():
    weights = {"x": 5.0, "y": 5.0, "z": 4.0, "w": 3.0, "v": 3.0}
    reordered = dict(reversed(list(weights.items())))
    assert balanced_groups(weights, 2) == balanced_groups(reordered, 2)


def test_with_no_search_left_it_keeps_the_largest_first_placement():
    weights = {"a": 3, "b": 3, "c": 2, "d": 2, "e": 2}
    groups = balanced_groups(weights, 2, node_budget=0)
    assert _largest(weights, groups) == 7
    assert balanced_groups({}, 2) == []
