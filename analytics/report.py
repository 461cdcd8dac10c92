"""The analysis report (大数据分析报告): its sections as plain data, each from GROUP BY queries.

Figures count valid complaints received in the period (merged duplicates and invalid reports
are counted separately); "closed" and the split of open cases are as of generation time, as
in the county's own report ("在未办结的1.3万余件事项中……").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import Session

from analytics.agri import agri_figures
from analytics.figures import received_in, valid_complaint
from analytics.periods import Period
from analytics.rankings import compute_ranking, period_dict
from engine.complaints.models import Complaint, ComplaintStage
from responsibility_catalog import Catalog

TOP_MATTERS = 20
TOP_PER_TOWNSHIP = 3
HOTSPOTS = 10


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _rate(part: int, whole: int) -> float | None:
    """A rate of a period without cases is unknown (None, shown "—"), not 0 %."""
    return round(part / whole, 4) if whole else None


def _change(now: int, before: int) -> float | None:
    return round((now - before) / before, 4) if before else None


def totals(*, county: str, period: Period, now: datetime, session: Session) -> dict[str, int]:
    """Received, closed, and open cases split into on time / overdue / extended at ``now``
    (overdue wins over extended: an extended case past its new limit is overdue)."""
    c = Complaint
    closed = (c.status == "closed") & (c.closure_kind == "done")
    is_open = c.status == "open"
    late = or_(
        c.overdue.is_(True),
        (c.stage == "sign_for") & (c.sign_for_due < now),
        (c.stage == "handling") & (c.handle_due < now),
    )
    row = session.execute(
        select(
            func.count(),
            func.sum(case((closed, 1), else_=0)),
            func.sum(case((is_open, 1), else_=0)),
            func.sum(case((is_open & late, 1), else_=0)),
            func.sum(case((is_open & ~late & (c.extension_count > 0), 1), else_=0)),
        ).where(valid_complaint(county), received_in(period.start, period.end))
    ).one()
    received, done, still_open, overdue, extended = (int(v or 0) for v in row)
    excluded = session.execute(
        select(c.closure_kind, func.count())
        .where(
            c.county == county,
            received_in(period.start, period.end),
            c.closure_kind.in_(("merged", "invalid")),
        )
        .group_by(c.closure_kind)
    ).all()
    dropped = {kind: int(n) for kind, n in excluded}
    return {
        "received": received,
        "closed": done,
        "open": still_open,
        "open_on_time": still_open - overdue - extended,
        "open_overdue": overdue,
        "open_extended": extended,
        "merged": dropped.get("merged", 0),
        "invalid": dropped.get("invalid", 0),
    }


def _grouped(county: str, period: Period, session: Session, *columns: Any) -> list[Any]:
    return session.execute(
        select(*columns, func.count())
        .where(valid_complaint(county), received_in(period.start, period.end))
        .group_by(*columns)
        .order_by(func.count().desc(), *columns)
    ).all()


def domains(*, county: str, period: Period, session: Session) -> list[dict[str, Any]]:
    rows = _grouped(county, period, session, Complaint.domain)
    total = sum(n for _, n in rows)
    return [{"domain": d or "未定类别", "count": n, "share": _share(n, total)} for d, n in rows]


def matters(*, county: str, period: Period, session: Session) -> list[dict[str, Any]]:
    rows = _grouped(
        county, period, session, Complaint.matter_id, Complaint.matter_name, Complaint.domain
    )
    total = sum(r[-1] for r in rows)
    return [
        {
            "matter_id": mid or "",
            "matter": name or mid or "未定类别",
            "domain": dom or "",
            "count": n,
            "share": _share(n, total),
        }
        for mid, name, dom, n in rows
    ]


def by_township(
    *, county: str, period: Period, catalog: Catalog, session: Session
) -> list[dict[str, Any]]:
    rows = _grouped(
        county, period, session, Complaint.township_id, Complaint.matter_id, Complaint.matter_name
    )
    names = {t.id: t.name for t in catalog.organisation.townships}
    out: dict[str, dict[str, Any]] = {
        t: {"township_id": t, "township": n, "count": 0, "top": []} for t, n in names.items()
    }
    for township, mid, name, n in rows:  # already ordered by count, descending
        entry = out.setdefault(
            township, {"township_id": township, "township": township, "count": 0, "top": []}
        )
        entry["count"] += n
        if len(entry["top"]) < TOP_PER_TOWNSHIP:
            entry["top"].append({"matter_id": mid or "", "matter": name or "未定类别", "count": n})
    return sorted(out.values(), key=lambda e: (-e["count"], e["township_id"]))


def hotspots(
    *, county: str, period: Period, now: datetime, session: Session
) -> list[dict[str, Any]]:
    """Matters with the most overdue cases (a sign-for or handling stage finished late or
    still open past its limit, or the overdue flag) and the most contested ones (returned at
    least once)."""
    c, s = Complaint, ComplaintStage
    # Per complaint of the period (the stage index by complaint), not a scan of every stage.
    late_stage = (
        exists()
        .where(
            s.complaint_id == c.id,
            s.stage.in_(("sign_for", "handle")),
            # Only a completed stage was late; one nobody finished (cancelled, superseded) is
            # not, even in rows written before stage outcomes cleared its on-time flag.
            or_(
                (s.outcome == "completed") & s.on_time.is_(False),
                s.ended_at.is_(None) & (s.due_at < now),
            ),
        )
        .correlate(c)
    )
    late = or_(c.overdue.is_(True), late_stage)
    rows = session.execute(
        select(
            c.matter_id,
            c.matter_name,
            func.count(),
            func.sum(case((late, 1), else_=0)),
            func.sum(case((c.return_count > 0, 1), else_=0)),
        )
        .where(valid_complaint(county), received_in(period.start, period.end))
        .group_by(c.matter_id, c.matter_name)
    ).all()
    spots = [
        {
            "matter_id": mid or "",
            "matter": name or "未定类别",
            "count": int(n),
            "overdue": int(o or 0),
            "contested": int(r or 0),
            "overdue_share": _share(int(o or 0), int(n)),
        }
        for mid, name, n, o, r in rows
        if (o or 0) or (r or 0)
    ]
    spots.sort(key=lambda e: (-(e["overdue"] + e["contested"]), e["matter_id"]))
    return spots[:HOTSPOTS]


def received(*, county: str, period: Period, session: Session) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Complaint)
            .where(valid_complaint(county), received_in(period.start, period.end))
        )
    )


def monthly(*, county: str, period: Period, session: Session) -> list[dict[str, Any]]:
    out = []
    for part in period.months():
        out.append(
            {
                "month": f"{part.first:%Y-%m}",
                "this": received(county=county, period=part, session=session),
                "last_year": received(county=county, period=part.shifted(-12), session=session),
            }
        )
    return out


def compute_report(
    *, county: str, period: Period, catalog: Catalog, now: datetime, session: Session
) -> dict[str, Any]:
    previous = period.previous()
    now_totals = totals(county=county, period=period, now=now, session=session)
    before = totals(county=county, period=previous, now=now, session=session)
    now_domains = domains(county=county, period=period, session=session)
    before_domains = {
        d["domain"]: d["count"] for d in domains(county=county, period=previous, session=session)
    }
    rate_now = _rate(now_totals["closed"], now_totals["received"])
    rate_before = _rate(before["closed"], before["received"])
    comparison = [
        *(
            {
                "measure": label,
                "this": now_totals[key],
                "previous": before[key],
                "change": _change(now_totals[key], before[key]),
            }
            for key, label in (("received", "受理"), ("closed", "办结"))
        ),
        # A rate changes by points, not by a share of itself.
        {
            "measure": "办结率",
            "this": rate_now,
            "previous": rate_before,
            "change": None
            if rate_now is None or rate_before is None
            else round(rate_now - rate_before, 4),
        },
    ]
    domain_changes = [
        {
            "domain": d["domain"],
            "this": d["count"],
            "previous": before_domains.get(d["domain"], 0),
            "change": _change(d["count"], before_domains.get(d["domain"], 0)),
        }
        for d in now_domains
    ]
    units = compute_ranking(
        county=county, period=period, organisation=catalog.organisation, session=session
    )
    return {
        "period": period_dict(period),
        "previous": period_dict(previous),
        "generated_at": now.isoformat(),
        "catalog_version": catalog.label,
        "totals": {**now_totals, "completion_rate": rate_now},
        "comparison": comparison,
        "domains": now_domains,
        "domain_changes": domain_changes,
        "matters": matters(county=county, period=period, session=session),
        "townships": by_township(county=county, period=period, catalog=catalog, session=session),
        "hotspots": hotspots(county=county, period=period, now=now, session=session),
        "monthly": monthly(county=county, period=period, session=session),
        "units": units["groups"],
        "agri": agri_figures(county=county, period=period, session=session),
    }
