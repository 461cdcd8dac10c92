"""Figures of a database's complaints, read from the projection the platform's pages read:
the county's headline numbers, counts per matter and unit for a what-if comparison, and a
digest that two runs with the same seed must share."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select

from engine import DEFAULT_COUNTY
from engine.complaints.models import Complaint, ComplaintStage

NO_MATTER = "(未选事项)"
# "Old enough" for the completion rate: a case reported a month before the end has had time
# for sign-for, handling, an extension and the callback.
AGED = timedelta(days=30)

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


def collect(db: Engine, end: datetime, *, county: str = DEFAULT_COUNTY) -> dict[str, Any]:
    """Headline figures, breakdowns, and a digest of every complaint's outcome."""
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
    requests = len(rows)
    closed = aged = aged_closed = open_on_time = open_late = 0
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
            late = (
                r.overdue
                or r.extension_count > 0
                or r.listed
                or (r.stage == "handling" and r.handle_due is not None and r.handle_due < end)
                or (r.stage == "sign_for" and r.sign_for_due is not None and r.sign_for_due < end)
            )
            open_late += bool(late)
            open_on_time += not late
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
    return {
        "requests": requests,
        "closed": closed,
        "completion_rate": round(closed / requests, 4) if requests else None,
        "completion_rate_aged": round(aged_closed / aged, 4) if aged else None,
        "aged_requests": aged,
        "open_on_time": open_on_time,
        "open_overdue_or_extended": open_late,
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
