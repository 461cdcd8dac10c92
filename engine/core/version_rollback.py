"""Rolling a process back: withdraw a version so new instances start on the previous one.

A withdrawn version keeps its content and its instances (moving them is
:func:`engine.core.incidents.move_instance`); only the choice of version for new instances skips
it. Deploying the very same content again reinstates it. The caller owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.core.audit import record_event
from engine.core.definition_store import latest_definition_id
from engine.core.errors import DefinitionNotFound, OperatorActionRefused
from engine.core.persistence.models import ProcessDefinition


@dataclass(frozen=True)
class Withdrawal:
    """A withdrawn version and the version new instances of its process use now."""

    process_key: str
    withdrawn_version: int
    current_definition_id: int
    current_version: int


def withdraw_definition(
    definition_id: int, *, county: str, actor: str, now: datetime, session: Session
) -> Withdrawal:
    """Withdraw one version of a process.

    :raises DefinitionNotFound: no such version in ``county``.
    :raises OperatorActionRefused: withdrawn already, or the only version left to start on.
    """
    row = session.get(ProcessDefinition, definition_id)
    if row is None or row.county != county:
        raise DefinitionNotFound(f"流程版本 {definition_id} 不存在")
    if row.withdrawn_at is not None:
        raise OperatorActionRefused(
            f"流程 {row.process_key} 第 {row.version} 版已于此前由 {row.withdrawn_by} 撤回"
        )
    others = session.scalar(
        select(func.count(ProcessDefinition.id)).where(
            ProcessDefinition.county == county,
            ProcessDefinition.process_key == row.process_key,
            ProcessDefinition.withdrawn_at.is_(None),
            ProcessDefinition.id != row.id,
        )
    )
    if not others:
        raise OperatorActionRefused(
            f"流程 {row.process_key} 第 {row.version} 版是唯一可用的版本，撤回后将无法受理新诉求，"
            "不能撤回"
        )
    row.withdrawn_at, row.withdrawn_by = now, actor
    session.flush()
    current_id = latest_definition_id(row.process_key, county=county, session=session)
    current = session.get(ProcessDefinition, current_id)
    if current is None:  # pragma: no cover - just found by latest_definition_id
        raise DefinitionNotFound(f"流程版本 {current_id} 不存在")
    record_event(
        county=county,
        at=now,
        actor=actor,
        action="definition.withdrawn",
        detail={
            "process_key": row.process_key,
            "version": row.version,
            "current_version": current.version,
        },
        session=session,
    )
    return Withdrawal(row.process_key, row.version, current.id, current.version)


def roll_back_process(
    process_key: str, *, county: str, actor: str, now: datetime, session: Session
) -> Withdrawal:
    """Withdraw the version new instances of ``process_key`` start on now (the newest one not
    withdrawn), so that they start on the one before it again.

    :raises DefinitionNotFound: the process was never deployed.
    :raises OperatorActionRefused: there is no earlier version to go back to.
    """
    current = latest_definition_id(process_key, county=county, session=session)
    return withdraw_definition(current, county=county, actor=actor, now=now, session=session)


def reinstate_definition(
    row: ProcessDefinition, *, actor: str, now: datetime, session: Session
) -> None:
    """Undo a withdrawal: someone deployed exactly this content again, which says they want
    new instances on it (otherwise the deployment would be silently ignored)."""
    withdrawn_by, withdrawn_at = row.withdrawn_by, row.withdrawn_at
    row.withdrawn_at = row.withdrawn_by = None
    record_event(
        county=row.county,
        at=now,
        actor=actor,
        action="definition.reinstated",
        detail={
            "process_key": row.process_key,
            "version": row.version,
            "withdrawn_by": withdrawn_by,
            "withdrawn_at": withdrawn_at.isoformat() if withdrawn_at else None,
        },
        session=session,
    )


__all__ = ["Withdrawal", "reinstate_definition", "roll_back_process", "withdraw_definition"]
