"""Heat map (热力图): report frequency by place and by matter for a period, with trends.

Every count is a GROUP BY over the period's index range. Exact locations are binned into
cells of :data:`CELL_DEGREES` in SQL (``floor`` works on SQLite and PostgreSQL alike);
complaints without coordinates are drawn at their village's centroid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analytics.figures import received_in, valid_complaint
from analytics.periods import Period
from engine.complaints.models import Complaint
from responsibility_catalog import Catalog

# About 550 m north-south at Julu's latitude: fine enough to show a street, coarse enough
# that a half-year of one village is a handful of cells.
CELL_DEGREES = 0.005
TOP_MATTERS = 15


@dataclass(frozen=True)
class HeatFilter:
    period: Period
    domain: str | None = None
    matter_id: str | None = None
    township_id: str | None = None

    def conditions(self, county: str, period: Period | None = None) -> list[Any]:
        p = period or self.period
        out = [valid_complaint(county), received_in(p.start, p.end)]
        if self.domain:
            out.append(Complaint.domain == self.domain)
        if self.matter_id:
            out.append(Complaint.matter_id == self.matter_id)
        if self.township_id:
            out.append(Complaint.township_id == self.township_id)
        return out


def _count_by(session: Session, conditions: list[Any], *columns: Any) -> list[Any]:
    return session.execute(
        select(*columns, func.count()).where(*conditions).group_by(*columns)
    ).all()


def _total(session: Session, conditions: list[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(Complaint).where(*conditions)))


def trend(county: str, heat: HeatFilter, session: Session) -> dict[str, Any]:
    """This period against the same period a year earlier and the half-year before."""
    now = _total(session, heat.conditions(county))
    compare = {}
    for key, months in (("last_year", -12), ("last_half", -6)):
        period = heat.period.shifted(months)
        before = _total(session, heat.conditions(county, period))
        compare[key] = {
            "label": period.label,
            "count": before,
            "change": round((now - before) / before, 4) if before else None,
        }
    return {"count": now, **compare}


def heatmap(*, county: str, heat: HeatFilter, catalog: Catalog, session: Session) -> dict[str, Any]:
    org = catalog.organisation
    c = Complaint
    # Township shading ignores the township filter: the map always shows the whole county.
    county_wide = HeatFilter(heat.period, heat.domain, heat.matter_id)
    per_township = dict(_count_by(session, county_wide.conditions(county), c.township_id))
    last_year = dict(
        _count_by(session, county_wide.conditions(county, heat.period.shifted(-12)), c.township_id)
    )
    townships = [
        {
            "id": t.id,
            "name": t.name,
            "count": int(per_township.get(t.id, 0)),
            "last_year": int(last_year.get(t.id, 0)),
            "grid_workers": t.grid_workers,
        }
        for t in org.townships
    ]
    conditions = heat.conditions(county)
    cell = CELL_DEGREES
    lat_cell = func.floor(c.latitude / cell)
    lon_cell = func.floor(c.longitude / cell)
    exact = _count_by(session, [*conditions, c.latitude.is_not(None)], lat_cell, lon_cell)
    villages = _count_by(session, conditions, c.village_id)
    no_coordinates = dict(_count_by(session, [*conditions, c.latitude.is_(None)], c.village_id))
    points = [
        {"lat": (la + 0.5) * cell, "lon": (lo + 0.5) * cell, "count": int(n), "exact": True}
        for la, lo, n in exact
    ]
    for village_id, n in no_coordinates.items():
        village = org.villages_by_id.get(village_id)
        if village is not None:
            points.append({"lat": village.lat, "lon": village.lon, "count": int(n), "exact": False})
    village_rows = sorted(
        (
            {
                "id": vid,
                "name": org.villages_by_id[vid].name if vid in org.villages_by_id else vid,
                "township_id": org.villages_by_id[vid].township_id
                if vid in org.villages_by_id
                else "",
                "count": int(n),
            }
            for vid, n in villages
        ),
        key=lambda v: (-v["count"], v["id"]),
    )
    grids = sorted(
        (
            {"id": gid, "count": int(n)}
            for gid, n in _count_by(session, conditions, c.grid_id)
            if gid
        ),
        key=lambda g: (-g["count"], g["id"]),
    )
    matter_rows = sorted(
        (
            {
                "matter_id": mid or "",
                "matter": name or "未定类别",
                "domain": dom or "",
                "count": int(n),
            }
            for mid, name, dom, n in _count_by(
                session, conditions, c.matter_id, c.matter_name, c.domain
            )
        ),
        key=lambda m: (-m["count"], m["matter_id"]),
    )
    domain_rows = sorted(
        (
            {"domain": d or "未定类别", "count": int(n)}
            for d, n in _count_by(session, conditions, c.domain)
        ),
        key=lambda d: (-d["count"], d["domain"]),
    )
    return {
        "townships": townships,
        "points": points,
        "villages": village_rows,
        "grids": grids,
        "matters": matter_rows[:TOP_MATTERS],
        "matter_count": len(matter_rows),
        "domains": domain_rows,
        "trend": trend(county, heat, session),
    }
