"""Which matters of the catalog are contested: a ranking for the organisation department.

A return says a unit disputes the routing once; a contested case (争议件) needed the
dispatcher's ruling; a joint consultation (联席会商) needed the county to convene. The later
the dispute is settled, the more it says the list is unclear, so the weights grow with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

WEIGHTS = {"returns": 1, "contested": 2, "consultations": 4}


@dataclass(frozen=True)
class MatterDisputes:
    matter_id: str
    returns: int = 0
    contested: int = 0
    consultations: int = 0
    complaints: int = 0

    @property
    def score(self) -> int:
        return (
            WEIGHTS["returns"] * self.returns
            + WEIGHTS["contested"] * self.contested
            + WEIGHTS["consultations"] * self.consultations
        )


def rank_contested(
    rows: Iterable[MatterDisputes], *, limit: int | None = None
) -> list[MatterDisputes]:
    """Matters with any dispute, most contested first (ties: more consultations, more
    contested cases, more returns, then matter id)."""
    disputed = [r for r in rows if r.score > 0]
    disputed.sort(key=lambda r: (-r.score, -r.consultations, -r.contested, -r.returns, r.matter_id))
    return disputed[:limit] if limit is not None else disputed
