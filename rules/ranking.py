"""The red/black list (红黑榜): weights, thresholds and the ordering of units, as pure data.

``rank(figures, policy)`` turns each unit's figures for a month into a score and an ordered
list. Nothing here reads a database or a clock: the engine gathers the figures by SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# Figures that are rates of "hits" over a denominator, in display order.
RATE_FIGURES = ("completion", "response", "on_time", "satisfaction", "overturned")
# ... and the reporting figure, valid reports per grid worker (townships only).
REPORTING = "reporting"
FIGURES = (REPORTING, *RATE_FIGURES)

FIGURE_LABELS = MappingProxyType(
    {
        "reporting": "上报率",
        "completion": "办结率",
        "response": "响应率",
        "on_time": "按时办理率",
        "satisfaction": "满意率",
        "overturned": "退回被驳回率",
    }
)


@dataclass(frozen=True)
class RankingPolicy:
    """How the county ranks units each month.

    :param weights: share of each figure in the score (renormalised over the figures a unit
        has a denominator for).
    :param reporting_target: valid reports per grid worker per month that count as a full
        reporting score; fewer score proportionally.
    :param min_cases: cases a unit must have received in the month before it is ranked (a
        unit with two cases, both on time, is not the county's best).
    :param red_size, black_size: at most this many units on each list, per kind of unit.
    :param red_min_score: a red list place needs at least this score.
    :param black_max_score: a black list place needs a score below this (a month when every
        unit did well has no black list).
    """

    weights: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType(
            {
                "reporting": 0.15,
                "completion": 0.25,
                "response": 0.15,
                "on_time": 0.20,
                "satisfaction": 0.15,
                "overturned": 0.10,
            }
        )
    )
    reporting_target: float = 1.0
    min_cases: int = 5
    red_size: int = 3
    black_size: int = 3
    red_min_score: float = 80.0
    black_max_score: float = 70.0

    def __post_init__(self) -> None:
        unknown = set(self.weights) - set(FIGURES)
        if unknown:
            raise ValueError(f"unknown ranking figures: {sorted(unknown)}")
        if any(w < 0 for w in self.weights.values()) or not sum(self.weights.values()):
            raise ValueError("ranking weights must be non-negative and not all zero")

    def to_dict(self) -> dict[str, object]:
        return {
            "weights": dict(self.weights),
            "reporting_target": self.reporting_target,
            "min_cases": self.min_cases,
            "red_size": self.red_size,
            "black_size": self.black_size,
            "red_min_score": self.red_min_score,
            "black_max_score": self.black_max_score,
        }


DEFAULT_POLICY = RankingPolicy()


@dataclass(frozen=True)
class UnitFigures:
    """One unit's counts for a month. ``counts[f] = (hits, denominator)``; for reporting the
    hits are valid reports and the denominator the grid workers."""

    unit: str
    kind: str  # "township" or "department"
    cases: int
    counts: Mapping[str, tuple[int, int]]

    def rate(self, figure: str) -> float | None:
        hits, total = self.counts.get(figure, (0, 0))
        return hits / total if total else None


@dataclass(frozen=True)
class Ranked:
    unit: str
    kind: str
    cases: int
    score: float | None  # None: too few cases to be ranked
    rank: int | None
    board: str | None  # "red", "black" or None
    rates: Mapping[str, float | None]


def figure_score(figures: UnitFigures, figure: str, policy: RankingPolicy) -> float | None:
    """The figure as a 0..1 score (higher is better), None when it does not apply."""
    rate = figures.rate(figure)
    if rate is None:
        return None
    if figure == REPORTING:
        return min(1.0, rate / policy.reporting_target) if policy.reporting_target else 1.0
    if figure == "overturned":  # a return the dispatcher overturned is a wrong return
        return 1.0 - rate
    return rate


def score(figures: UnitFigures, policy: RankingPolicy) -> float:
    """Weighted score 0..100 over the figures that apply to the unit."""
    total = weight = 0.0
    for figure, w in policy.weights.items():
        value = figure_score(figures, figure, policy)
        if value is None or not w:
            continue
        total += w * value
        weight += w
    return round(100.0 * total / weight, 2) if weight else 0.0


def _order_key(item: tuple[UnitFigures, float]) -> tuple[float, float, int, str]:
    figures, value = item
    completion = figures.rate("completion") or 0.0
    # Deterministic ties: higher score, then higher completion rate, then more cases, then id.
    return (-value, -completion, -figures.cases, figures.unit)


def rank(units: Iterable[UnitFigures], policy: RankingPolicy = DEFAULT_POLICY) -> list[Ranked]:
    """Rank the units of one kind; units below ``min_cases`` come last, unranked."""
    units = list(units)
    eligible = [(u, score(u, policy)) for u in units if u.cases >= policy.min_cases]
    eligible.sort(key=_order_key)
    red = {u.unit for u, s in eligible[: policy.red_size] if s >= policy.red_min_score}
    tail = [(u, s) for u, s in eligible if u.unit not in red]
    bottom = tail[-policy.black_size :] if policy.black_size else []
    black = {u.unit for u, s in bottom if s < policy.black_max_score}
    ranked = [
        Ranked(
            unit=u.unit,
            kind=u.kind,
            cases=u.cases,
            score=s,
            rank=position,
            board="red" if u.unit in red else "black" if u.unit in black else None,
            rates={f: u.rate(f) for f in FIGURES},
        )
        for position, (u, s) in enumerate(eligible, start=1)
    ]
    too_few = sorted((u for u in units if u.cases < policy.min_cases), key=lambda u: u.unit)
    ranked.extend(
        Ranked(u.unit, u.kind, u.cases, None, None, None, {f: u.rate(f) for f in FIGURES})
        for u in too_few
    )
    return ranked
