"""Pure decisions of the agricultural consultation (ADR 0008): reply deadlines and the choice
of expert from the bureau's specialty table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .deadlines import REMIND_FRACTION

# The specialty table's row for experts who take any crop.
ANY_CROP = "*"


@dataclass(frozen=True)
class ReplyPolicy:
    """Working days each side has to answer; the reminder goes out at ``remind_fraction``."""

    expert: int = 1
    grower: int = 3
    lead: int = 1
    rating: int = 3
    remind_fraction: float = REMIND_FRACTION

    def days(self, side: str) -> int:
        if side not in ("expert", "grower", "lead", "rating"):
            raise ValueError(f"未知的答复方「{side}」")
        return int(getattr(self, side))


# A grower waiting on a diseased crop cannot wait a week: one working day for the expert,
# three for the grower (who may have to look at the field first).
REPLY_POLICY = ReplyPolicy()


def pick_expert(
    crop: str,
    table: Sequence[tuple[str, str]],
    open_load: Mapping[str, int],
) -> str | None:
    """The expert for a question on ``crop``.

    :param table: the specialty table as ``(crop, username)`` rows in the bureau's order.
    :param open_load: open questions per expert.
    :return: the least loaded specialist of the crop (ties by table order), else the least
        loaded general expert (crop ``*``), else ``None`` (the bureau's lead decides).
    """
    for wanted in (crop, ANY_CROP):
        candidates = list(dict.fromkeys(user for c, user in table if c == wanted))
        if candidates:
            return min(candidates, key=lambda u: (open_load.get(u, 0), candidates.index(u)))
    return None
