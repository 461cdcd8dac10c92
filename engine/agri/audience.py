"""Who a guidance push reaches: growers of the crop in the chosen townships or villages."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import Session

from engine.agri.models import Grower, GrowerCrop


def _where(crop: str, townships: Sequence[str], villages: Sequence[str], county: str):
    place = []
    if townships:
        place.append(Grower.township_id.in_(list(townships)))
    if villages:
        place.append(Grower.village_id.in_(list(villages)))
    return (
        Grower.county == county,
        GrowerCrop.crop == crop,
        or_(*place) if place else false(),  # no place chosen reaches nobody
    )


def audience_rows(
    crop: str, townships: Sequence[str], villages: Sequence[str], *, county: str, session: Session
) -> list[tuple[int, str, str]]:
    """``(grower id, village id, notification recipient)`` of every grower reached."""
    rows = session.execute(
        select(Grower.id, Grower.village_id, Grower.username, Grower.registered_by)
        .join(GrowerCrop, GrowerCrop.grower_id == Grower.id)
        .where(*_where(crop, townships, villages, county))
        .order_by(Grower.id)
    ).all()
    return [
        (gid, village, username or registered_by) for gid, village, username, registered_by in rows
    ]


def audience_by_village(
    crop: str, townships: Sequence[str], villages: Sequence[str], *, county: str, session: Session
) -> list[tuple[str, int, float]]:
    """``(village id, growers, mu planted)`` for the composer's preview, one GROUP BY."""
    return [
        (village, int(n), float(area or 0))
        for village, n, area in session.execute(
            select(Grower.village_id, func.count(Grower.id), func.sum(GrowerCrop.area_mu))
            .join(GrowerCrop, GrowerCrop.grower_id == Grower.id)
            .where(*_where(crop, townships, villages, county))
            .group_by(Grower.village_id)
            .order_by(func.count(Grower.id).desc(), Grower.village_id)
        ).all()
    ]
