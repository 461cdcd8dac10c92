"""The monthly red/black list: figures by SQL, order by ``rules.ranking``, kept as a snapshot."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, insert, literal, select
from sqlalchemy.orm import Session

from analytics.figures import FACTS
from analytics.organisation import ranked_units
from analytics.periods import Period
from engine.snapshots import SnapshotCase
from responsibility_catalog import Organisation
from rules.ranking import DEFAULT_POLICY, FIGURES, RankingPolicy, UnitFigures, rank

GROUP_LABELS = {"township": "乡镇", "department": "县直部门"}


def figure_counts(
    *, county: str, period: Period, session: Session
) -> dict[str, dict[str, tuple[int, int]]]:
    """``{figure: {unit: (hits, total)}}`` — one GROUP BY per figure."""
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for figure, facts in FACTS.items():
        q = facts(county, period.start, period.end).subquery()
        rows = session.execute(
            select(q.c.unit, func.sum(q.c.hit), func.count()).group_by(q.c.unit)
        ).all()
        out[figure] = {unit: (int(hits or 0), int(total)) for unit, hits, total in rows}
    return out


def unit_figures(
    counts: Mapping[str, Mapping[str, tuple[int, int]]], organisation: Organisation
) -> dict[str, list[UnitFigures]]:
    workers = {t.id: t.grid_workers for t in organisation.townships}
    groups: dict[str, list[UnitFigures]] = {}
    for kind, units in ranked_units(organisation).items():
        rows = []
        for unit in units:
            per_unit = {f: counts.get(f, {}).get(unit, (0, 0)) for f in FIGURES if f != "reporting"}
            if kind == "township":
                reports = counts.get("reporting", {}).get(unit, (0, 0))[1]
                per_unit["reporting"] = (reports, workers.get(unit, 0))
            rows.append(UnitFigures(unit, kind, per_unit["completion"][1], per_unit))
        groups[kind] = rows
    return groups


def compute_ranking(
    *,
    county: str,
    period: Period,
    organisation: Organisation,
    session: Session,
    policy: RankingPolicy = DEFAULT_POLICY,
) -> dict[str, Any]:
    """The list as plain data (what the snapshot stores), names resolved now."""
    counts = figure_counts(county=county, period=period, session=session)
    names = {uid: u.name for uid, u in organisation.all_units.items()}
    groups = []
    for kind, figures in unit_figures(counts, organisation).items():
        by_unit = {f.unit: f for f in figures}
        rows = [
            {
                "unit": r.unit,
                "name": names.get(r.unit, r.unit),
                "cases": r.cases,
                "score": r.score,
                "rank": r.rank,
                "board": r.board,
                "rates": dict(r.rates),
                "counts": {f: list(c) for f, c in by_unit[r.unit].counts.items()},
            }
            for r in rank(figures, policy)
        ]
        groups.append({"kind": kind, "label": GROUP_LABELS[kind], "rows": rows})
    return {"period": period_dict(period), "policy": policy.to_dict(), "groups": groups}


def store_cases(
    snapshot_id: int, *, county: str, period: Period, units: list[str], session: Session
) -> None:
    """Copy the cases behind every figure into the snapshot (INSERT … SELECT, no Python)."""
    for figure, facts in FACTS.items():
        q = facts(county, period.start, period.end).subquery()
        session.execute(
            insert(SnapshotCase).from_select(
                ["snapshot_id", "unit", "figure", "complaint_id", "hit"],
                select(
                    literal(snapshot_id), q.c.unit, literal(figure), q.c.complaint_id, q.c.hit
                ).where(q.c.unit.in_(units)),
            )
        )


def period_dict(period: Period) -> dict[str, str]:
    return {
        "key": period.key,
        "label": period.label,
        "first": period.first.isoformat(),
        "last": period.last.isoformat(),
    }


def boards(data: Mapping[str, Any]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Red list best first, black list worst first, for each group."""
    out = {}
    for group in data["groups"]:
        red = [r for r in group["rows"] if r["board"] == "red"]
        black = [r for r in group["rows"] if r["board"] == "black"][::-1]
        out[group["kind"]] = {"red": red, "black": black}
    return out
