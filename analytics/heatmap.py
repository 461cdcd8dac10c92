"""Heat map (热力图): report frequency by place and by matter for a period, with trends.

Every count is a GROUP BY over the period's range of ``ix_complaint_period`` (index-only).
Exact locations are binned into cells of :data:`CELL_DEGREES` in SQL (``floor`` works on
SQLite and PostgreSQL alike); complaints without coordinates are drawn at their village's
centroid. Matter names come from the catalog, not the rows (not in the index).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, cast, func, literal_column, select, tuple_
from sqlalchemy.orm import Session

from analytics.figures import received_in, valid_complaint
from analytics.periods import Period
from engine.complaints.models import Complaint
from engine.core import WorkflowHost
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


def _cell(session: Session, column: Any) -> Any:
    """The cell index ``floor(value / CELL_DEGREES)``. SQLite's ``floor`` is an extension
    function called per row; for the county's positive coordinates an integer cast
    truncates to the same number at native speed."""
    if session.get_bind().dialect.name == "sqlite":
        return cast(column * (1 / CELL_DEGREES), Integer)
    return func.floor(column / CELL_DEGREES)


def _period_groups(
    session: Session, county: str, heat: HeatFilter, county_wide: HeatFilter
) -> tuple[list[Any], list[Any], list[Any]]:
    """Counts by (village, unlocated) county-wide, and by location cell and by matter within
    the township filter. PostgreSQL makes all three in one scan (GROUPING SETS); SQLite,
    which has none, scans its covering index three times."""
    c = Complaint
    unlocated = c.latitude.is_(None)
    if session.get_bind().dialect.name != "postgresql":
        conditions = heat.conditions(county)
        return (
            _count_by(session, county_wide.conditions(county), c.village_id, unlocated),
            _count_by(
                session,
                [*conditions, c.latitude.is_not(None)],
                _cell(session, c.latitude),
                _cell(session, c.longitude),
            ),
            _count_by(session, conditions, c.matter_id),
        )
    # Literal scale: the same expression must appear in SELECT and GROUP BY (bound
    # parameters would be two different expressions to PostgreSQL).
    per_degree = literal_column(str(round(1 / CELL_DEGREES)))
    lat, lon = func.floor(c.latitude * per_degree), func.floor(c.longitude * per_degree)
    rows = session.execute(
        select(
            func.grouping(c.village_id),
            func.grouping(c.matter_id),
            c.village_id,
            unlocated,
            c.township_id,
            c.matter_id,
            lat,
            lon,
            func.count(),
        )
        .where(*county_wide.conditions(county))
        .group_by(
            func.grouping_sets(
                tuple_(c.village_id, unlocated),
                tuple_(c.township_id, c.matter_id),
                tuple_(c.township_id, lat, lon),
            )
        )
    ).all()
    by_village, exact, by_matter = [], [], []
    for no_village, no_matter, village, no_gps, township, matter, la, lo, n in rows:
        if not no_village:
            by_village.append((village, no_gps, n))
        elif heat.township_id and township != heat.township_id:
            continue
        elif not no_matter:
            by_matter.append((matter, n))
        elif la is not None:
            exact.append((int(la), int(lo), n))
    return by_village, exact, by_matter


def heatmap(*, county: str, heat: HeatFilter, catalog: Catalog, session: Session) -> dict[str, Any]:
    """Five GROUP BYs (three on PostgreSQL) over the period's slice of
    ``ix_complaint_period``."""
    org = catalog.organisation
    c = Complaint
    # Township shading ignores the township filter: the map always shows the whole county.
    county_wide = HeatFilter(heat.period, heat.domain, heat.matter_id)
    by_village, exact, by_matter = _period_groups(session, county, heat, county_wide)
    per_township: dict[str, int] = {}
    villages: dict[str, int] = {}
    no_coordinates: dict[str, int] = {}
    for village_id, unlocated, n in by_village:
        village = org.villages_by_id.get(village_id)
        township = village.township_id if village else ""
        per_township[township] = per_township.get(township, 0) + n
        if heat.township_id and township != heat.township_id:
            continue
        villages[village_id] = villages.get(village_id, 0) + n
        if unlocated:
            no_coordinates[village_id] = n
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
            for vid, n in villages.items()
        ),
        key=lambda v: (-v["count"], v["id"]),
    )
    # Grids only for one township (the county has hundreds).
    grids = (
        sorted(
            (
                {"id": gid, "count": int(n)}
                for gid, n in _count_by(session, conditions, c.grid_id)
                if gid
            ),
            key=lambda g: (-g["count"], g["id"]),
        )
        if heat.township_id
        else []
    )
    names, domains = catalog.matters_by_id, catalog.domain_of
    matter_rows = sorted(
        (
            {
                "matter_id": mid or "",
                "matter": names[mid].name if mid in names else mid or "未定类别",
                "domain": domains[mid].name if mid in domains else "",
                "count": int(n),
            }
            for mid, n in by_matter
        ),
        key=lambda m: (-m["count"], m["matter_id"]),
    )
    per_domain: dict[str, int] = {}
    for m in matter_rows:
        per_domain[m["domain"] or "未定类别"] = (
            per_domain.get(m["domain"] or "未定类别", 0) + m["count"]
        )
    domain_rows = sorted(
        ({"domain": d, "count": n} for d, n in per_domain.items()),
        key=lambda d: (-d["count"], d["domain"]),
    )
    count = sum(v["count"] for v in village_rows)
    return {
        "townships": townships,
        "points": points,
        "villages": village_rows,
        "grids": grids,
        "matters": matter_rows[:TOP_MATTERS],
        "matter_count": len(matter_rows),
        "domains": domain_rows,
        "trend": _trend(county, heat, count, last_year, session),
    }


def _trend(
    county: str, heat: HeatFilter, count: int, last_year: dict[str, int], session: Session
) -> dict[str, Any]:
    """This period against the same period a year earlier (already counted per township)
    and the half-year before."""
    year_ago = last_year.get(heat.township_id, 0) if heat.township_id else sum(last_year.values())
    half = heat.period.shifted(-6)
    half_ago = _total(session, heat.conditions(county, half))
    return {
        "count": count,
        "last_year": _compare(heat.period.shifted(-12), count, int(year_ago)),
        "last_half": _compare(half, count, half_ago),
    }


def _compare(period: Period, now: int, before: int) -> dict[str, Any]:
    return {
        "label": period.label,
        "count": before,
        "change": round((now - before) / before, 4) if before else None,
    }


def heatmap_of(
    host: WorkflowHost, *, county: str, heat: HeatFilter, catalog: Catalog
) -> dict[str, Any]:
    """:func:`heatmap` in a read session of its own (for pages)."""
    with host.session_factory() as session:
        return heatmap(county=county, heat=heat, catalog=catalog, session=session)
