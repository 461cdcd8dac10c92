"""A step the diagram could not make: what failed where, and the incident that records it.

Diagram code that raises (a script error, a budget breach, a timer value out of range) stops
the step; its transaction rolls back, so the instance stays exactly as before. The person or
sweep that asked gets :class:`StepFailed` naming the element, and an operator gets one open
incident per (instance or version, element, kind), counting how often it happened, written
in a transaction of its own after the rollback (SQLite has one writer: it cannot be written
while the step still holds the lock).
"""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.task import Task
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from engine.core.errors import EngineError
from engine.core.evaluation_budget import BudgetExceeded
from engine.core.persistence.models import Incident
from engine.core.timer_bounds import TimerOutOfRange

KIND_BUDGET = "budget_exceeded"
KIND_TIMER_VALUE = "timer_value"
KIND_SCRIPT = "script_failed"
_MAX_DETAIL = 500


class StepFailed(EngineError):
    """The diagram failed inside a step; nothing was changed and an incident was recorded.

    :param kind: ``budget_exceeded``, ``timer_value`` or ``script_failed``.
    """

    def __init__(
        self,
        *,
        county: str,
        instance_id: int | None,
        definition_id: int | None,
        element_id: str | None,
        kind: str,
        detail: str,
        at: datetime,
    ) -> None:
        self.at = at
        self.county = county
        self.instance_id = instance_id
        self.definition_id = definition_id
        self.element_id = element_id
        self.kind = kind
        self.detail = detail[:_MAX_DETAIL]
        self.incident_id: int | None = None
        where = f"流程在“{element_id}”环节出错" if element_id else "流程出错"
        super().__init__(
            f"{where}，本次操作未生效：{self.detail}。已记录为故障，请联系系统管理员处理"
        )


def _chain(err: BaseException) -> list[BaseException]:
    """``err`` and what it wraps: SpiffWorkflow keeps the original as ``exception``."""
    chain: list[BaseException] = []
    current: BaseException | None = err
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        wrapped = getattr(current, "exception", None)
        current = (
            wrapped
            if isinstance(wrapped, BaseException)
            else current.__cause__ or current.__context__
        )
    return chain


def _task_in_traceback(tb: TracebackType | None) -> Task | None:
    # Timer values are parsed deep inside SpiffWorkflow with no task in the exception;
    # the library's frames name the task they work on ``my_task``.
    found = None
    while tb is not None:
        candidate = tb.tb_frame.f_locals.get("my_task")
        if isinstance(candidate, Task):
            found = candidate
        tb = tb.tb_next
    return found


def _element_id(spec: Any) -> str | None:
    # SpiffWorkflow has no stubs: a spec is Any. Its BPMN id, else its internal name.
    found: str | None = getattr(spec, "bpmn_id", None) or spec.name
    return found


def _element_of(chain: list[BaseException], running: Task | None) -> str | None:
    for err in chain:
        if isinstance(err, BudgetExceeded) and err.element_id:
            return err.element_id
        task = getattr(err, "task", None) if isinstance(err, WorkflowTaskException) else None
        if isinstance(task, Task):
            return _element_id(task.task_spec)
        spec = getattr(err, "task_spec", None) if isinstance(err, WorkflowException) else None
        if spec is not None:
            return _element_id(spec)
    for err in chain:
        task = _task_in_traceback(err.__traceback__)
        if task is not None:
            return _element_id(task.task_spec)
    if running is not None:
        return _element_id(running.task_spec)
    return None


def diagnose(
    err: Exception,
    *,
    county: str,
    instance_id: int | None,
    definition_id: int | None,
    at: datetime,
    running: Task | None = None,
) -> BaseException:
    """What a caller should see for ``err`` raised by workflow code inside a step.

    Database errors (a lost race, a lock) and the engine's own domain errors (raised by a
    service operation on purpose) pass through unwrapped, so retries and clear answers keep
    working; SpiffWorkflow 3.2 hides a service operation's error behind a ``NameError`` of its
    own, which is undone here. Everything else is the diagram's failure: :class:`StepFailed`.
    """
    chain = _chain(err)
    for inner in chain:
        if isinstance(inner, SQLAlchemyError):
            return inner
        if isinstance(inner, EngineError) and not isinstance(
            inner, BudgetExceeded | TimerOutOfRange | StepFailed
        ):
            return inner
        if isinstance(inner, StepFailed):
            return inner
    breach = next((e for e in chain if isinstance(e, BudgetExceeded)), None)
    timer = next((e for e in chain if isinstance(e, TimerOutOfRange)), None)
    if breach is not None:
        kind, detail = KIND_BUDGET, f"脚本或表达式超出预算（{breach.detail}）"
    elif timer is not None:
        kind, detail = KIND_TIMER_VALUE, str(timer)
    else:
        root = chain[-1]
        kind = KIND_SCRIPT
        detail = f"{type(root).__name__}: {str(root).strip() or type(root).__name__}"
    return StepFailed(
        county=county,
        instance_id=instance_id,
        definition_id=definition_id,
        element_id=_element_of(chain, running),
        kind=kind,
        detail=detail,
        at=at,
    )


def record_incident(failure: StepFailed, *, session: Session) -> int:
    """Open an incident for ``failure``, or count it on the open one for the same place.

    :return: the incident's id.
    """
    stmt = select(Incident).where(
        Incident.county == failure.county,
        Incident.kind == failure.kind,
        Incident.resolved_at.is_(None),
        Incident.element_id == failure.element_id
        if failure.element_id is not None
        else Incident.element_id.is_(None),
    )
    if failure.instance_id is not None:
        stmt = stmt.where(Incident.instance_id == failure.instance_id)
    else:
        stmt = stmt.where(
            Incident.instance_id.is_(None), Incident.definition_id == failure.definition_id
        )
    existing = session.scalars(stmt.order_by(Incident.id).limit(1)).first()
    if existing is not None:
        detail: dict[str, Any] = dict(existing.detail or {})
        detail["occurrences"] = int(detail.get("occurrences", 1)) + 1
        detail["last_at"] = failure.at.isoformat()
        detail["error"] = failure.detail
        existing.detail = detail
        return existing.id
    when = "新建流程实例时，" if failure.instance_id is None else ""
    where = f"“{failure.element_id}”环节" if failure.element_id else "流程"
    incident = Incident(
        county=failure.county,
        instance_id=failure.instance_id,
        definition_id=failure.definition_id,
        element_id=failure.element_id,
        kind=failure.kind,
        message=f"{when}{where}出错，步骤已回滚：{failure.detail}",
        detail={"error": failure.detail, "occurrences": 1, "last_at": failure.at.isoformat()},
        created_at=failure.at,
    )
    session.add(incident)
    session.flush()
    return incident.id
