"""The figures an operator watches, read from the database in one short transaction: timers
due and their lag, open incidents, open cases by stage (``/metrics`` shows them).

Aggregates over indexed columns only; on PostgreSQL the statements give up after
``statement_timeout_ms`` so a scrape never waits on a locked or slow database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, bindparam, case, func, select, text

from engine.complaints.models import Complaint
from engine.core.host import WorkflowHost
from engine.core.persistence.models import Incident, ProcessDefinition, ProcessInstance
from engine.core.persistence.types import UtcDateTime


@dataclass(frozen=True)
class DueTimers:
    """The running instances of one process whose timer is due and not yet fired."""

    process: str
    count: int
    oldest_lag_s: float
    lag_sum_s: float
    within: tuple[int, ...]  # how many have waited at most each of the given bucket bounds


@dataclass(frozen=True)
class OperationalFigures:
    due_timers: tuple[DueTimers, ...]
    open_incidents: dict[str, int]
    open_cases: dict[str, int]


def read_operational_figures(
    host: WorkflowHost,
    now: datetime,
    *,
    lag_buckets_s: tuple[int, ...],
    statement_timeout_ms: int,
) -> OperationalFigures:
    lag_columns = [
        func.sum(case((ProcessInstance.next_due_at >= now - timedelta(seconds=b), 1), else_=0))
        for b in lag_buckets_s
    ]
    with host.session_factory() as session:
        postgresql = session.get_bind().dialect.name == "postgresql"
        if postgresql:
            session.execute(text(f"SET LOCAL statement_timeout = {int(statement_timeout_ms)}"))
        timers = session.execute(
            select(
                ProcessDefinition.process_key,
                func.count(),
                func.min(ProcessInstance.next_due_at),
                _lag_sum(now, postgresql=postgresql),
                *lag_columns,
            )
            .join(ProcessDefinition, ProcessDefinition.id == ProcessInstance.definition_id)
            .where(ProcessInstance.next_due_at < now, ProcessInstance.status == "running")
            .group_by(ProcessDefinition.process_key)
        ).all()
        incidents = session.execute(
            select(Incident.kind, func.count())
            .where(Incident.resolved_at.is_(None))
            .group_by(Incident.kind)
        ).all()
        stages = session.execute(
            select(Complaint.stage, func.count())
            .where(Complaint.status == "open")
            .group_by(Complaint.stage)
        ).all()
    return OperationalFigures(
        due_timers=tuple(
            DueTimers(
                process=process,
                count=count,
                oldest_lag_s=(now - oldest).total_seconds() if oldest else 0.0,
                lag_sum_s=float(lag_sum or 0),
                within=tuple(int(n or 0) for n in within),
            )
            for process, count, oldest, lag_sum, *within in timers
        ),
        open_incidents={kind: count for kind, count in incidents},
        open_cases={stage: count for stage, count in stages},
    )


def _lag_sum(now: datetime, *, postgresql: bool) -> ColumnElement[Any]:
    """Sum over the due timers of now minus due time, in seconds (date arithmetic differs:
    SQLite keeps UTC text, PostgreSQL ``timestamptz``)."""
    at = bindparam("lag_now", now, type_=UtcDateTime())
    if postgresql:
        return func.sum(func.extract("epoch", at - ProcessInstance.next_due_at))
    return func.sum((func.julianday(at) - func.julianday(ProcessInstance.next_due_at)) * 86400.0)
