"""Compare two callables as a ratio measured in alternating rounds of the same run, so that
drift of a shared machine affects both sides alike."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Comparison:
    baseline_s: float  # median seconds per call
    candidate_s: float
    ratio: float  # median of per-round candidate/baseline


def compare(
    baseline: Callable[[], None],
    candidate: Callable[[], None],
    *,
    rounds: int,
    per_round: int,
    warmup: int = 5,
) -> Comparison:
    for _ in range(warmup):
        baseline()
        candidate()
    ratios, base, cand = [], [], []
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(per_round):
            baseline()
        b = (time.perf_counter() - t) / per_round
        t = time.perf_counter()
        for _ in range(per_round):
            candidate()
        c = (time.perf_counter() - t) / per_round
        ratios.append(c / b)
        base.append(b)
        cand.append(c)
    return Comparison(statistics.median(base), statistics.median(cand), statistics.median(ratios))
