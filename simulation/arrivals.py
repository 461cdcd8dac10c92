"""Arrivals: who reports what, where, when and through which channel.

A pure function of the parameters, the organisation tree, the matter list, the period and the
seed — no database — so a what-if replay regenerates exactly the same requests.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from responsibility_catalog import Catalog
from responsibility_catalog.organisation import Organisation
from rules import CHINA_TZ
from simulation.parameters import ArrivalParameters


@dataclass(frozen=True)
class Arrival:
    index: int  # 0, 1, 2 … in arrival order: the key of every later decision about the case
    at: datetime
    village_id: str
    township_id: str
    grid_id: str
    matter_id: str  # what the request is really about
    matter_chosen: bool  # False: the reporter left the matter empty (the dispatcher decides)
    channel: str  # "app" or "grid"
    description: str


def matter_universe(catalogs: Sequence[Catalog]) -> dict[str, str]:
    """Matters present in every version (id → name): arrivals must not depend on which
    version a replay routes by."""
    common = set.intersection(*(set(c.matters_by_id) for c in catalogs))
    first = catalogs[0]
    return {m.id: m.name for m in first.matters() if m.id in common}


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam < 30:  # Knuth: exact and cheap for small means
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1
    return max(0, round(rng.gauss(lam, math.sqrt(lam))))


class ArrivalModel:
    def __init__(
        self,
        params: ArrivalParameters,
        organisation: Organisation,
        matters: dict[str, str],
        *,
        scale: float,
        seed: int,
    ) -> None:
        self.params = params
        self.scale = scale
        self.seed = seed
        self.matters = matters
        self.villages = {v.id: v for v in organisation.villages}
        townships = organisation.townships
        people_per_worker = sum(t.population for t in townships) / max(
            1, sum(t.grid_workers for t in townships)
        )
        g = params.grid_worker_weight
        hot = params.hotspots
        self.townships = [t.id for t in townships]
        self.villages_of: dict[str, tuple[list[str], list[float]]] = {}
        weights = []
        for t in townships:
            vs = [v for v in organisation.villages if v.township_id == t.id]
            reported = [v.population * hot.get(v.id, 1.0) for v in vs]
            self.villages_of[t.id] = ([v.id for v in vs], list(accumulate(reported)))
            boost = sum(reported) / max(1, sum(v.population for v in vs))
            density = t.grid_workers * people_per_worker / t.population
            weights.append(t.population * ((1 - g) + g * density) * boost)
        self.township_cum = list(accumulate(weights))
        named = {m: w for m, w in params.matter_mix.items() if m in matters}
        rest = [m for m in matters if m not in named]
        left = max(0.0, 100.0 - sum(named.values()))
        base = {**named, **{m: left / len(rest) for m in rest}} if rest else named
        self.matter_ids = list(base)
        self.matter_cum_by_month = []
        for month in range(12):
            weights = [
                base[m] * (params.seasons.get(m, (1.0,) * 12)[month]) for m in self.matter_ids
            ]
            self.matter_cum_by_month.append(list(accumulate(weights)))
        self.hour_cum = list(accumulate(params.hours))
        mean_month = sum(params.months) / 12
        mean_weekday = sum(params.weekdays) / 7
        self.month_factor = [m / mean_month for m in params.months]
        self.weekday_factor = [w / mean_weekday for w in params.weekdays]
        p = params
        self.p_grid = p.elderly_share * p.elderly_via_grid + (1 - p.elderly_share) * (
            p.others_via_grid
        )

    def expected_per_day(self, day: date) -> float:
        return (
            self.params.requests_per_day
            * self.scale
            * self.month_factor[day.month - 1]
            * self.weekday_factor[day.weekday()]
        )

    def arrivals(self, start: date, end: date) -> Iterator[Arrival]:
        """Requests from ``start`` (inclusive) to ``end`` (exclusive), in time order."""
        rng = random.Random(self.seed)
        index = 0
        day = start
        while day < end:
            count = _poisson(rng, self.expected_per_day(day))
            moments = sorted(
                (
                    rng.choices(range(24), cum_weights=self.hour_cum)[0],
                    rng.randrange(60),
                    rng.randrange(60),
                )
                for _ in range(count)
            )
            for hour, minute, second in moments:
                at = datetime.combine(day, time(hour, minute, second), CHINA_TZ)
                yield self._one(rng, index, at)
                index += 1
            day += timedelta(days=1)

    def _one(self, rng: random.Random, index: int, at: datetime) -> Arrival:
        township = rng.choices(self.townships, cum_weights=self.township_cum)[0]
        ids, cum = self.villages_of[township]
        village = self.villages[rng.choices(ids, cum_weights=cum)[0]]
        grid = rng.choices(village.grids, weights=[g.households for g in village.grids])[0]
        matter = rng.choices(self.matter_ids, cum_weights=self.matter_cum_by_month[at.month - 1])[0]
        channel = "grid" if rng.random() < self.p_grid else "app"
        chosen = channel == "grid" or rng.random() >= self.params.no_matter_share
        return Arrival(
            index=index,
            at=at,
            village_id=village.id,
            township_id=township,
            grid_id=grid.id,
            matter_id=matter,
            matter_chosen=chosen,
            channel=channel,
            description=f"{village.name}：{self.matters[matter]}",
        )
