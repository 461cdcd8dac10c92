"""Durable timers: claim due instances by their indexed due time, fire, save.

Claims carry a lock owner and expiry, so several workers (PostgreSQL: ``FOR UPDATE SKIP
LOCKED``) share the work and a crashed worker's claims are taken over once they expire.
Firing and saving happen in one transaction per instance, guarded by the instance's
optimistic version, so a timer fires exactly once even after a crash.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from engine.core import metrics
from engine.core.audit import record_event
from engine.core.instance_rows import load_instance
from engine.core.instance_state import waiting_timers
from engine.core.instances import advance_and_save, load_workflow
from engine.core.persistence.locking import with_row_locks
from engine.core.persistence.models import Incident, ProcessInstance
from engine.core.runtime import Runtime
from engine.core.step_failures import StepFailed
from engine.core.transactions import run_step

log = logging.getLogger(__name__)

SYSTEM_ACTOR = "system:timer"
DEFAULT_LEASE = timedelta(minutes=5)
# Catch-up bound for cycle timers missed during downtime: each refresh advances one cycle.
_MAX_CATCH_UP_ROUNDS = 50


class TimerStuck(RuntimeError):
    """A timer is still due after firing: the diagram or its data cannot make progress."""


@dataclass
class SweepResult:
    claimed: int = 0
    fired: int = 0
    failed: int = 0
    incidents: int = 0
    skipped: int = 0
    instance_ids: list[int] = field(default_factory=list)


def claim_due(
    now: datetime, *, worker_id: str, limit: int, lease: timedelta, session: Session
) -> list[int]:
    """Claim up to ``limit`` due, unclaimed (or expired) instances for ``worker_id``."""
    stmt = (
        select(ProcessInstance.id)
        .where(
            ProcessInstance.next_due_at < now,
            ProcessInstance.status == "running",
            or_(ProcessInstance.lock_expires_at.is_(None), ProcessInstance.lock_expires_at < now),
        )
        .order_by(ProcessInstance.next_due_at, ProcessInstance.id)
        .limit(limit)
    )
    ids = list(session.scalars(with_row_locks(stmt, session=session)))
    if ids:
        session.execute(
            update(ProcessInstance)
            .where(ProcessInstance.id.in_(ids))
            .values(lock_owner=worker_id, lock_expires_at=now + lease)
            .execution_options(synchronize_session=False)
        )
    return ids


def fire_instance(
    instance_id: int, *, runtime: Runtime, now: datetime, worker_id: str, session: Session
) -> int:
    """Fire every due timer of one claimed instance and save it. Returns timers fired."""
    record = load_instance(instance_id, session=session)
    if record is None or record.lock_owner != worker_id or record.status != "running":
        return -1  # another worker took the claim over, or the instance finished meanwhile
    workflow, loaded = load_workflow(record, runtime, session=session, for_step=True)

    def move() -> list[dict[str, str]]:
        fired: list[str] = []
        for _round in range(_MAX_CATCH_UP_ROUNDS):
            due = [name for name, at in waiting_timers(workflow) if at < now]
            if not due:
                return [{"timer": name, "worker": worker_id} for name in fired]
            fired.extend(due)
            workflow.refresh_timers()
            workflow.do_engine_steps()
        raise TimerStuck(f"定时器 {', '.join(sorted(set(due)))} 触发后仍处于到期状态")

    return advance_and_save(
        record,
        workflow,
        loaded,
        runtime,
        move,
        action="timer.fired",
        now=now,
        actor=SYSTEM_ACTOR,
        session=session,
        clear_lock=True,
    )


def record_failure(
    instance_id: int,
    error: BaseException,
    *,
    runtime: Runtime,
    now: datetime,
    session: Session,
) -> bool:
    """Count a failed firing; after too many, stop retrying and open an incident.

    :return: whether an incident was opened.
    """
    row = session.get(ProcessInstance, instance_id)
    if row is None:
        return False
    row.timer_failures += 1
    row.lock_owner = None
    if row.timer_failures >= runtime.max_timer_attempts:
        row.next_due_at = None
        row.lock_expires_at = None
        failed = error if isinstance(error, StepFailed) else None
        reason = failed.detail if failed is not None else str(error)
        where = f"（环节“{failed.element_id}”）" if failed and failed.element_id else ""
        session.add(
            Incident(
                county=row.county,
                instance_id=row.id,
                definition_id=row.definition_id,
                element_id=failed.element_id if failed is not None else None,
                kind="timer_failed",
                message=f"定时器连续 {row.timer_failures} 次触发失败{where}，已停止重试：{reason}",
                detail={
                    "error_type": type(error).__name__,
                    "error": reason,
                    "cause": failed.kind if failed is not None else None,
                },
                created_at=now,
            )
        )
        record_event(
            county=row.county,
            at=now,
            actor=SYSTEM_ACTOR,
            action="timer.incident",
            instance_id=row.id,
            detail={"error": str(error), "attempts": row.timer_failures},
            session=session,
        )
        return True
    # Back off: the claim stays blocked until then, so other workers do not spin on it.
    row.lock_expires_at = now + timedelta(seconds=30 * 2**row.timer_failures)
    return False


def sweep(
    runtime: Runtime,
    session_factory: sessionmaker[Session],
    *,
    now: datetime | None = None,
    worker_id: str = "worker",
    batch_size: int = 200,
    lease: timedelta = DEFAULT_LEASE,
    max_instances: int | None = None,
) -> SweepResult:
    """Fire every timer due before ``now`` (default: the runtime clock)."""
    now = now or runtime.clock.now()
    result = SweepResult()
    started = time.perf_counter()
    while max_instances is None or result.claimed < max_instances:
        limit = (
            batch_size if max_instances is None else min(batch_size, max_instances - result.claimed)
        )

        def claim(s: Session, limit: int = limit) -> list[int]:
            return claim_due(now, worker_id=worker_id, limit=limit, lease=lease, session=s)

        ids = run_step(session_factory, claim)
        if not ids:
            break
        result.claimed += len(ids)
        for instance_id in ids:

            def fire(s: Session, i: int = instance_id) -> int:
                return fire_instance(i, runtime=runtime, now=now, worker_id=worker_id, session=s)

            try:
                fired = run_step(session_factory, fire, record_incidents=False)
            except Exception as err:  # noqa: BLE001 - any failure is counted, never dropped
                log.warning("timer firing failed for instance %s: %s", instance_id, err)
                result.failed += 1

                def record(s: Session, i: int = instance_id, e: Exception = err) -> bool:
                    return record_failure(i, e, runtime=runtime, now=now, session=s)

                if run_step(session_factory, record):
                    result.incidents += 1
                continue
            if fired < 0:
                result.skipped += 1
            else:
                result.fired += fired
                result.instance_ids.append(instance_id)
    metrics.observe_sweep(
        time.perf_counter() - started,
        fired=result.fired,
        failed=result.failed,
        skipped=result.skipped,
    )
    return result


def earliest_due(*, session: Session) -> datetime | None:
    """The next instant at which some timer falls due (indexed ``min``)."""
    # Finished and failed instances have no due time; a suspended one keeps its due time
    # for when it is resumed, but must not wake the scheduler (it would sweep in a loop).
    # A timer that failed waits for its back-off (the claim's expiry) before it may be
    # claimed again: waking at its past due time would sweep in a hot loop until then.
    wake_at = case(
        (
            ProcessInstance.lock_expires_at > ProcessInstance.next_due_at,
            ProcessInstance.lock_expires_at,
        ),
        else_=ProcessInstance.next_due_at,
    )
    due: datetime | None = session.scalar(
        select(func.min(wake_at)).where(
            ProcessInstance.status == "running", ProcessInstance.next_due_at.is_not(None)
        )
    )
    return due


__all__ = ["SweepResult", "claim_due", "earliest_due", "fire_instance", "sweep"]
