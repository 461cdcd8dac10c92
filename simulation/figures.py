"""Figures of a database's complaints, read from the projection the platform's pages read:
the county's headline numbers, counts per matter and unit for a what-if comparison, and a
digest that two runs with the same seed must share."""

from __future__ import annotations

import hashlib
import json
import statistics
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select

from engine import DEFAULT_COUNTY
from engine.complaints.models import Complaint, ComplaintStage
from simulation.parameters import LISTED_READINGS, BehaviourParameters

NO_MATTER = "(未选事项)"
# "Old enough" for the completion rate: a case reported a month before the end has had time
# for sign-for, handling, an extension and the callback.
AGED = timedelta(days=30)
_DEFAULTS = BehaviourParameters()

_ROWS = select(
    Complaint.id,
    Complaint.matter_id,
    Complaint.primary_unit,
    Complaint.status,
    Complaint.stage,
    Complaint.overdue,
    Complaint.extension_count,
    Complaint.return_count,
    Complaint.reopen_count,
    Complaint.listed,
    Complaint.satisfaction,
    Complaint.closure_kind,
    Complaint.received_at,
    Complaint.closed_at,
    Complaint.sign_for_due,
    Complaint.handle_due,
    Complaint.channel,
    Complaint.township_id,
).order_by(Complaint.id)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def collect(
    db: Engine,
    end: datetime,
    *,
    county: str = DEFAULT_COUNTY,
    listed_counts_as: str = _DEFAULTS.listed_counts_as,
    listed_plan_months: float = _DEFAULTS.listed_plan_months,
) -> dict[str, Any]:
    """Headline figures, breakdowns, and a digest of every complaint's outcome.

    ``open_on_time`` / ``open_overdue_or_extended`` split the open cases under the reading
    of 挂账 cases named by ``listed_counts_as`` (ADR 0010, "Update (issue 22)"); both
    readings are reported as well (``…_if_listed_on_time``, ``…_if_listed_overdue``)."""
    if listed_counts_as not in LISTED_READINGS:
        raise ValueError(
            f"listed_counts_as 须为 {' 或 '.join(LISTED_READINGS)}：{listed_counts_as!r}"
        )
    plan_end = end - timedelta(days=30.4375 * listed_plan_months)
    with db.connect() as connection:
        rows = connection.execute(_ROWS.where(Complaint.county == county)).all()
        stage_counts = connection.execute(
            select(
                ComplaintStage.stage,
                ComplaintStage.unit,
                ComplaintStage.outcome,
                ComplaintStage.on_time,
                func.count(),
            )
            .where(ComplaintStage.county == county)
            .group_by(
                ComplaintStage.stage,
                ComplaintStage.unit,
                ComplaintStage.outcome,
                ComplaintStage.on_time,
            )
        ).all()
        by_hand = set(
            connection.scalars(
                select(ComplaintStage.complaint_id)
                .where(ComplaintStage.county == county, ComplaintStage.stage == "jurisdiction")
                .distinct()
            )
        )
        late_handling = set(
            connection.scalars(
                select(ComplaintStage.complaint_id)
                .where(
                    ComplaintStage.county == county,
                    ComplaintStage.stage == "handle",
                    ComplaintStage.on_time.is_(False),
                )
                .distinct()
            )
        )
        # When each case was listed: its first listed check-in stage began at the approval.
        listed_since = dict(
            connection.execute(
                select(ComplaintStage.complaint_id, func.min(ComplaintStage.started_at))
                .where(ComplaintStage.county == county, ComplaintStage.stage == "listed")
                .group_by(ComplaintStage.complaint_id)
            ).all()
        )
    requests = len(rows)
    closed = aged = aged_closed = 0
    # Open cases by what makes them late, if anything; a case in its listed stage counts
    # as working to plan while inside its plan (listed_plan_months from the listing).
    open_by = Counter()
    status, stage, matter, unit, channel, township = (Counter() for _ in range(6))
    days_to_close: list[float] = []
    digest = hashlib.sha256()
    for r in rows:
        status[r.status] += 1
        stage[r.stage] += 1
        matter[r.matter_id or NO_MATTER] += 1
        unit[r.primary_unit or "-"] += 1
        channel[r.channel] += 1
        township[r.township_id] += 1
        old = r.received_at <= end - AGED
        aged += old
        if r.status == "closed":
            closed += 1
            aged_closed += old
            days_to_close.append((r.closed_at - r.received_at).total_seconds() / 86400)
        else:
            open_by[_open_kind(r, end, listed_since.get(r.id), plan_end)] += 1
        digest.update(
            json.dumps(
                [
                    r.id,
                    r.matter_id,
                    r.primary_unit,
                    r.status,
                    r.stage,
                    bool(r.overdue),
                    r.extension_count,
                    r.return_count,
                    r.reopen_count,
                    bool(r.listed),
                    r.satisfaction,
                    r.closure_kind,
                    _iso(r.received_at),
                    _iso(r.closed_at),
                ],
                ensure_ascii=False,
            ).encode()
        )
    stages = sorted(
        ([s, u, o, t, n] for s, u, o, t, n in stage_counts),
        key=lambda x: json.dumps(x[:4], ensure_ascii=False),
    )
    digest.update(json.dumps(stages, ensure_ascii=False).encode())
    on_time = Counter()
    for s, _u, _o, t, n in stage_counts:
        if t is not None:
            on_time[f"{s}:{'on_time' if t else 'late'}"] += n
    garbage = matter.get("D05-01", 0) + matter.get("D04-05", 0)
    # Reading "on_time": listed cases working to plan are 按时间节点正常办理; past their plan
    # they are 超期. Reading "overdue": every listed case counts with the overdue/extended.
    late_if_listed_on_time = open_by["late"] + open_by["listed_past_plan"]
    late_if_listed_overdue = (
        open_by["late"] + open_by["listed_past_plan"] + open_by["listed_on_plan"]
    )
    open_cases = sum(open_by.values())
    readings = {
        "open_on_time_if_listed_on_time": open_cases - late_if_listed_on_time,
        "open_overdue_or_extended_if_listed_on_time": late_if_listed_on_time,
        "open_on_time_if_listed_overdue": open_cases - late_if_listed_overdue,
        "open_overdue_or_extended_if_listed_overdue": late_if_listed_overdue,
    }
    return {
        "requests": requests,
        "closed": closed,
        "completion_rate": round(closed / requests, 4) if requests else None,
        "completion_rate_aged": round(aged_closed / aged, 4) if aged else None,
        "aged_requests": aged,
        "open_on_time": readings[f"open_on_time_if_listed_{listed_counts_as}"],
        "open_overdue_or_extended": readings[
            f"open_overdue_or_extended_if_listed_{listed_counts_as}"
        ],
        "listed_counts_as": listed_counts_as,
        **readings,
        "open_listed_on_plan": open_by["listed_on_plan"],
        "open_listed_past_plan": open_by["listed_past_plan"],
        "aged_closed": aged_closed,
        "garbage_requests": garbage,
        "grid_requests": channel.get("grid", 0),
        "days_to_close_sum": round(sum(days_to_close), 6),
        "garbage_share": round(garbage / requests, 4) if requests else None,
        "grid_share": round(channel.get("grid", 0) / requests, 4) if requests else None,
        "routed_by_dispatcher": len(by_hand),
        "contested": sum(1 for r in rows if r.return_count),
        "handled_late": len(late_handling),
        "avg_days_to_close": round(sum(days_to_close) / len(days_to_close), 3)
        if days_to_close
        else None,
        "by_status": dict(sorted(status.items())),
        "by_stage": dict(sorted(stage.items())),
        "by_township": dict(sorted(township.items())),
        "stage_on_time": dict(sorted(on_time.items())),
        "digest": digest.hexdigest(),
    }


def listed_reading(behaviour: BehaviourParameters) -> dict[str, Any]:
    """The :func:`collect` options a run's parameters name (how listed cases count)."""
    return {
        "listed_counts_as": behaviour.listed_counts_as,
        "listed_plan_months": behaviour.listed_plan_months,
    }


def _open_kind(r: Any, end: datetime, listed_at: datetime | None, plan_end: datetime) -> str:
    """``on_time``; ``late`` (overdue, extended, or past a current deadline); or, for a listed
    case, ``listed_on_plan`` / ``listed_past_plan`` (inside or past its plan)."""
    missed = (r.stage == "handling" and r.handle_due is not None and r.handle_due < end) or (
        r.stage == "sign_for" and r.sign_for_due is not None and r.sign_for_due < end
    )
    if r.listed and not missed:
        # The approved plan replaces the handling deadline: an overdue flag from before the
        # listing no longer says how the case is being handled; the plan's own end does.
        if listed_at is not None and listed_at < plan_end:
            return "listed_past_plan"
        return "listed_on_plan"
    late = r.overdue or r.extension_count > 0 or r.listed or missed
    return "late" if late else "on_time"


def breakdown(
    db: Engine, *, county: str = DEFAULT_COUNTY
) -> dict[str, dict[str, dict[str, float]]]:
    """Per matter and per unit: requests, routed by the dispatcher, returns, contested,
    overdue, and the average days to close — the rows a what-if compares."""
    with db.connect() as connection:
        rows = connection.execute(_ROWS.where(Complaint.county == county)).all()
        by_hand = set(
            connection.scalars(
                select(ComplaintStage.complaint_id)
                .where(ComplaintStage.county == county, ComplaintStage.stage == "jurisdiction")
                .distinct()
            )
        )
    out: dict[str, dict[str, dict[str, float]]] = {"matter": {}, "unit": {}}
    sums: dict[tuple[str, str], dict[str, float]] = defaultdict(
        # A defaultdict is the dict the sums need
        lambda: defaultdict(float)  # type: ignore[arg-type]
    )
    for r in rows:
        for kind, key in (("matter", r.matter_id or NO_MATTER), ("unit", r.primary_unit or "-")):
            s = sums[(kind, key)]
            s["requests"] += 1
            s["by_dispatcher"] += r.id in by_hand
            s["automatic"] += r.id not in by_hand
            s["returns"] += r.return_count
            s["contested"] += bool(r.return_count)
            s["overdue"] += bool(r.overdue)
            if r.closed_at is not None:
                s["closed"] += 1
                s["days_to_close_sum"] += (r.closed_at - r.received_at).total_seconds() / 86400
    for (kind, key), s in sums.items():
        closed = s.pop("closed", 0.0)
        total_days = s.pop("days_to_close_sum", 0.0)
        s["avg_days_to_close"] = round(total_days / closed, 3) if closed else 0.0
        out[kind][key] = dict(s)
    return out


# The measures a what-if report sets side by side (per group: the county, a unit, a township).
CASE_MEASURES = (
    "requests",
    "returns",
    "contested",
    "consultations",
    "closed",
    "sign_for_days_mean",
    "sign_for_days_median",
    "close_days_mean",
    "close_days_median",
    "sign_for_on_time",
    "handle_on_time",
)


def _days(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 86400


def _summary(cases: list[dict[str, Any]]) -> dict[str, float | None]:
    def mean(values: list[float]) -> float | None:
        return round(sum(values) / len(values), 3) if values else None

    def median(values: list[float]) -> float | None:
        return round(statistics.median(values), 3) if values else None

    def rate(kind: str) -> float | None:
        on_time = sum(c[f"{kind}_on_time"] for c in cases)
        done = on_time + sum(c[f"{kind}_late"] for c in cases)
        return round(on_time / done, 4) if done else None

    signed = [c["sign_for_days"] for c in cases if c["sign_for_days"] is not None]
    closed = [c["close_days"] for c in cases if c["close_days"] is not None]
    return {
        "requests": len(cases),
        "returns": sum(c["returns"] for c in cases),
        "contested": sum(1 for c in cases if c["returns"]),
        "consultations": sum(1 for c in cases if c["consulted"]),
        "closed": len(closed),
        "sign_for_days_mean": mean(signed),
        "sign_for_days_median": median(signed),
        "close_days_mean": mean(closed),
        "close_days_median": median(closed),
        "sign_for_on_time": rate("sign_for"),
        "handle_on_time": rate("handle"),
    }


def case_measures(db: Engine, *, county: str = DEFAULT_COUNTY) -> dict[str, Any]:
    """:data:`CASE_MEASURES` for the county, per responsible unit and per township.

    Days to sign-for run from receipt to the last completed sign-for (the one that accepted
    the case, after any returns); on-time rates count completed stages only, as the monthly
    rankings do; a case belongs to its current primary unit."""
    with db.connect() as connection:
        rows = connection.execute(_ROWS.where(Complaint.county == county)).all()
        stages = connection.execute(
            select(
                ComplaintStage.complaint_id,
                ComplaintStage.stage,
                ComplaintStage.ended_at,
                ComplaintStage.on_time,
            )
            .where(
                ComplaintStage.county == county,
                ComplaintStage.stage.in_(("sign_for", "handle", "consultation")),
            )
            .order_by(ComplaintStage.id)
        ).all()
    per_case: dict[int, dict[str, Any]] = {
        r.id: {
            "returns": r.return_count,
            "consulted": False,
            "sign_for_done": None,
            "sign_for_on_time": 0,
            "sign_for_late": 0,
            "handle_on_time": 0,
            "handle_late": 0,
        }
        for r in rows
    }
    for s in stages:
        case = per_case.get(s.complaint_id)
        if case is None:
            continue
        if s.stage == "consultation":
            case["consulted"] = True
            continue
        if s.on_time is not None:
            case[f"{s.stage}_{'on_time' if s.on_time else 'late'}"] += 1
        if s.stage == "sign_for" and s.ended_at is not None and s.on_time is not None:
            case["sign_for_done"] = s.ended_at
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        case = per_case[r.id]
        signed = case.pop("sign_for_done")
        case["sign_for_days"] = _days(signed, r.received_at) if signed else None
        case["close_days"] = _days(r.closed_at, r.received_at) if r.closed_at else None
        groups[("unit", r.primary_unit or "-")].append(case)
        groups[("township", r.township_id)].append(case)
    out: dict[str, Any] = {
        "total": _summary(list(per_case.values())),
        "unit": {},
        "township": {},
    }
    for (kind, key), cases in sorted(groups.items()):
        out[kind][key] = _summary(cases)
    return out
