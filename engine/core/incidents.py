"""Operating incidents and troubled instances: what operators see, and their way out.

An operator lists open incidents, marks one resolved, suspends an instance (the sweep never
claims it and no user step runs on it), resumes it, retries it after a fix (a timer parked
after repeated failures, or a failed step), or moves it onto another version of its process.
Every action is audited with its actor. The caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs import BpmnProcessSpec
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.core.audit import record_event
from engine.core.definition_store import LoadedDefinition
from engine.core.errors import DefinitionNotFound, InstanceNotFound, OperatorActionRefused
from engine.core.instance_state import next_due_at
from engine.core.persistence.models import Incident, ProcessDefinition, ProcessInstance
from engine.core.runtime import Runtime

STATUS_LABELS = {
    "running": "运行中",
    "suspended": "已暂停",
    "failed": "出错",
    "completed": "已结束",
}


@dataclass(frozen=True)
class IncidentView:
    """One incident with where it happened: its instance (if any) and the version that
    instance runs on now (or, for a failed start, the version that failed)."""

    id: int
    instance_id: int | None
    business_key: str | None
    instance_status: str | None
    timer_failures: int | None
    definition_id: int | None
    process_key: str | None
    version: int | None
    element_id: str | None
    kind: str
    message: str
    created_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None
    # A step failure that happens again counts on its open incident (engine.core.step_failures).
    occurrences: int = 1
    last_at: str | None = None


# IncidentView's columns in its order, then the incident's detail (see `list_incidents`).
_IncidentRow = tuple[
    int,
    int | None,
    str | None,
    str | None,
    int | None,
    int | None,
    str | None,
    int | None,
    str | None,
    str,
    str,
    datetime,
    datetime | None,
    str | None,
    dict[str, Any] | None,
]


@dataclass(frozen=True)
class InstanceSummary:
    """An instance as the operator's page lists it."""

    id: int
    business_key: str | None
    status: str
    definition_id: int
    process_key: str
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class VersionChoice:
    definition_id: int
    version: int
    withdrawn: bool


@dataclass(frozen=True)
class RetryOutcome:
    instance_id: int
    next_due_at: datetime | None
    resolved_incidents: list[int]


@dataclass(frozen=True)
class MoveOutcome:
    instance_id: int
    process_key: str
    from_version: int
    to_version: int


# -- reading ---------------------------------------------------------------------------------
def list_incidents(
    *, county: str, include_resolved: bool = False, session: Session
) -> list[IncidentView]:
    """Incidents of ``county``, oldest first; only open ones unless ``include_resolved``."""
    definition_id = func.coalesce(ProcessInstance.definition_id, Incident.definition_id)
    stmt = (
        select(
            Incident.id,
            Incident.instance_id,
            ProcessInstance.business_key,
            ProcessInstance.status,
            ProcessInstance.timer_failures,
            ProcessDefinition.id,
            ProcessDefinition.process_key,
            ProcessDefinition.version,
            Incident.element_id,
            Incident.kind,
            Incident.message,
            Incident.created_at,
            Incident.resolved_at,
            Incident.resolved_by,
            Incident.detail,
        )
        .select_from(Incident)
        .outerjoin(ProcessInstance, ProcessInstance.id == Incident.instance_id)
        .outerjoin(ProcessDefinition, ProcessDefinition.id == definition_id)
        .where(Incident.county == county)
        .order_by(Incident.created_at, Incident.id)
    )
    if not include_resolved:
        stmt = stmt.where(Incident.resolved_at.is_(None))
    views = []
    # Fifteen columns: more than SQLAlchemy types a select by, so the row type is spelled out.
    rows = cast(Sequence[_IncidentRow], session.execute(stmt).all())
    for row in rows:
        detail = row[14] or {}
        views.append(
            IncidentView(
                *row[:14],
                occurrences=int(detail.get("occurrences", 1)),
                last_at=detail.get("last_at"),
            )
        )
    return views


def suspended_instances(*, county: str, session: Session) -> list[InstanceSummary]:
    """Instances an operator suspended, longest suspended first."""
    rows = session.execute(
        select(
            ProcessInstance.id,
            ProcessInstance.business_key,
            ProcessInstance.status,
            ProcessDefinition.id,
            ProcessDefinition.process_key,
            ProcessDefinition.version,
            ProcessInstance.updated_at,
        )
        .join(ProcessDefinition, ProcessDefinition.id == ProcessInstance.definition_id)
        .where(ProcessInstance.county == county, ProcessInstance.status == "suspended")
        .order_by(ProcessInstance.updated_at, ProcessInstance.id)
    )
    return [InstanceSummary(*row) for row in rows]


def process_versions(
    process_keys: set[str], *, county: str, session: Session
) -> dict[str, list[VersionChoice]]:
    """Every version of each of ``process_keys``, newest first (the targets of a move)."""
    if not process_keys:
        return {}
    rows = session.execute(
        select(
            ProcessDefinition.process_key,
            ProcessDefinition.id,
            ProcessDefinition.version,
            ProcessDefinition.withdrawn_at.is_not(None),
        )
        .where(
            ProcessDefinition.county == county,
            ProcessDefinition.process_key.in_(sorted(process_keys)),
        )
        .order_by(ProcessDefinition.process_key, ProcessDefinition.version.desc())
    )
    versions: dict[str, list[VersionChoice]] = {key: [] for key in process_keys}
    for key, definition_id, number, withdrawn in rows:
        versions[key].append(VersionChoice(definition_id, number, bool(withdrawn)))
    return versions


# -- incidents -------------------------------------------------------------------------------
def resolve_incident(
    incident_id: int, *, county: str, actor: str, now: datetime, session: Session
) -> Incident:
    """Mark an incident handled by ``actor``.

    :raises OperatorActionRefused: no such incident, or it is resolved already.
    """
    incident = session.get(Incident, incident_id)
    if incident is None or incident.county != county:
        raise OperatorActionRefused(f"运行异常 #{incident_id} 不存在")
    if incident.resolved_at is not None:
        raise OperatorActionRefused(
            f"运行异常 #{incident_id} 已由 {incident.resolved_by} 标记为已处理"
        )
    incident.resolved_at, incident.resolved_by = now, actor
    record_event(
        county=county,
        at=now,
        actor=actor,
        action="incident.resolved",
        instance_id=incident.instance_id,
        detail={"incident": incident.id, "kind": incident.kind},
        session=session,
    )
    return incident


def _resolve_open_incidents(
    row: ProcessInstance, *, actor: str, now: datetime, session: Session
) -> list[int]:
    incidents = session.scalars(
        select(Incident)
        .where(Incident.instance_id == row.id, Incident.resolved_at.is_(None))
        .order_by(Incident.id)
    ).all()
    for incident in incidents:
        incident.resolved_at, incident.resolved_by = now, actor
    return [incident.id for incident in incidents]


# -- instances -------------------------------------------------------------------------------
def _instance(instance_id: int, county: str, session: Session) -> ProcessInstance:
    row = session.get(ProcessInstance, instance_id)
    if row is None or row.county != county:
        raise InstanceNotFound(f"流程实例 {instance_id} 不存在")
    return row


def _audit(
    row: ProcessInstance, action: str, actor: str, now: datetime, session: Session, **detail: object
) -> None:
    record_event(
        county=row.county,
        at=now,
        actor=actor,
        action=action,
        instance_id=row.id,
        detail=detail or None,
        session=session,
    )


def _parked(row: ProcessInstance, runtime: Runtime) -> bool:
    """A timer that failed too often: the sweep stopped retrying it (see record_failure)."""
    return (
        row.status == "running"
        and row.next_due_at is None
        and row.timer_failures >= runtime.max_timer_attempts
    )


def suspend_instance(
    instance_id: int, *, county: str, actor: str, now: datetime, session: Session
) -> ProcessInstance:
    """Stop an instance where it is: no sweep claims it, no user step runs on it.

    Its due time is kept for when it is resumed.

    :raises OperatorActionRefused: the instance is not running.
    """
    row = _instance(instance_id, county, session)
    if row.status != "running":
        label = STATUS_LABELS.get(row.status, row.status)
        raise OperatorActionRefused(f"流程实例 {instance_id} 当前{label}，只有运行中的实例可以暂停")
    row.status, row.updated_at = "suspended", now
    _audit(row, "instance.suspended", actor, now, session)
    return row


def resume_instance(
    instance_id: int, *, county: str, actor: str, now: datetime, session: Session
) -> ProcessInstance:
    """Let a suspended instance run again, exactly where it stopped.

    :raises OperatorActionRefused: the instance is not suspended.
    """
    row = _instance(instance_id, county, session)
    if row.status != "suspended":
        label = STATUS_LABELS.get(row.status, row.status)
        raise OperatorActionRefused(f"流程实例 {instance_id} 当前{label}，未被暂停，无需恢复")
    row.status, row.updated_at = "running", now
    _audit(row, "instance.resumed", actor, now, session)
    return row


def _restore(row: ProcessInstance, loaded: LoadedDefinition, runtime: Runtime) -> BpmnWorkflow:
    workflow = runtime.serializer.load_workflow(
        row.state_json, loaded.spec, loaded.subprocess_specs
    )
    workflow.script_engine = runtime.script_engine
    return workflow


def retry_instance(
    instance_id: int, *, runtime: Runtime, county: str, actor: str, now: datetime, session: Session
) -> RetryOutcome:
    """Give a troubled instance another go after a fix: the timer failure count is reset, its
    due time is read again from the stored workflow (so the next sweep fires what is due), a
    failed instance runs again, and its open incidents are resolved by ``actor``.

    :raises OperatorActionRefused: suspended (resume it first), finished, or nothing to retry.
    """
    row = _instance(instance_id, county, session)
    if row.status == "suspended":
        raise OperatorActionRefused(f"流程实例 {instance_id} 已暂停，请先恢复再重试")
    if row.status == "completed":
        raise OperatorActionRefused(f"流程实例 {instance_id} 已结束，无需重试")
    has_incident = session.scalar(
        select(func.count(Incident.id)).where(
            Incident.instance_id == row.id, Incident.resolved_at.is_(None)
        )
    )
    if row.status != "failed" and not _parked(row, runtime) and not has_incident:
        raise OperatorActionRefused(f"流程实例 {instance_id} 运行正常，没有需要重试的故障")
    workflow = _restore(row, runtime.definitions.get(row.definition_id, session=session), runtime)
    if workflow.completed:
        raise OperatorActionRefused(
            f"流程实例 {instance_id} 的流程已走到终点（例如未捕获的 BPMN 错误），重试无法继续；"
            "请标记已处理"
        )
    row.status = "running"
    row.timer_failures = 0
    row.lock_owner = row.lock_expires_at = None
    row.next_due_at = next_due_at(workflow)
    row.updated_at = now
    resolved = _resolve_open_incidents(row, actor=actor, now=now, session=session)
    _audit(
        row,
        "instance.retried",
        actor,
        now,
        session,
        next_due_at=row.next_due_at.isoformat() if row.next_due_at else None,
        resolved_incidents=resolved,
    )
    return RetryOutcome(row.id, row.next_due_at, resolved)


def _spec_named(loaded: LoadedDefinition, name: str) -> BpmnProcessSpec | None:
    if loaded.spec.name == name:
        return loaded.spec
    return loaded.subprocess_specs.get(name)


def _labels(spec: BpmnProcessSpec, names: set[str]) -> set[str]:
    """BPMN elements as "id（name）"; the engine's own specs (a boundary event's split, a
    process's end join) only when the element they belong to is not listed already."""
    labels = set()
    for name in names:
        task_spec = spec.task_specs[name]
        if getattr(task_spec, "bpmn_id", None) is None:
            owner = name.rsplit(".", 1)[0]
            if owner not in names:
                labels.add(f"{name}（引擎内部结构）")
            continue
        title = getattr(task_spec, "bpmn_name", None)
        labels.add(f"{name}（{title}）" if title else name)
    return labels


def missing_elements(workflow: BpmnWorkflow, target: LoadedDefinition) -> list[str]:
    """The elements the instance's tasks use (done, waiting or predicted) that ``target``
    lacks, subprocesses included: restoring the instance onto ``target`` needs them all."""
    missing: set[str] = set()
    workflows = [workflow, *workflow.subprocesses.values()]
    for part in workflows:
        spec = _spec_named(target, part.spec.name)
        if spec is None:
            missing.add(f"子流程 {part.spec.name}")
            continue
        used = {task.task_spec.name for task in part.tasks.values()}
        missing |= _labels(part.spec, used - spec.task_specs.keys())
    # A subprocess is restored onto the spec its calling task names in the *target*.
    for task_id, sub in workflow.subprocesses.items():
        caller = workflow.get_task_from_id(task_id)
        owner = _spec_named(target, caller.workflow.spec.name) if caller else None
        called = owner.task_specs.get(caller.task_spec.name) if owner and caller else None
        if called is not None and getattr(called, "spec", None) != sub.spec.name:
            missing.add(f"{caller.task_spec.name} 调用的子流程 {sub.spec.name}")
    return sorted(missing)


def sibling_version(instance_id: int, version: int, *, county: str, session: Session) -> int:
    """The id of version number ``version`` of the instance's own process.

    :raises DefinitionNotFound: the process has no such version.
    """
    row = _instance(instance_id, county, session)
    process_key = session.scalar(
        select(ProcessDefinition.process_key).where(ProcessDefinition.id == row.definition_id)
    )
    definition_id = session.scalar(
        select(ProcessDefinition.id).where(
            ProcessDefinition.county == county,
            ProcessDefinition.process_key == process_key,
            ProcessDefinition.version == version,
        )
    )
    if definition_id is None:
        raise DefinitionNotFound(f"流程 {process_key} 没有第 {version} 版")
    return definition_id


_ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED
_UNSTARTED = TaskState.FUTURE | TaskState.PREDICTED_MASK


def _stale(task: Task) -> bool:
    """Whether the predicted tasks after ``task`` no longer follow its (new) spec's outputs.

    A predicted task without children is left alone: SpiffWorkflow predicts lazily.
    """
    children = [child for child in task.children if not child.triggered]
    names = sorted(child.task_spec.name for child in children)
    if (children or task.has_state(_ACTIVE)) and names != sorted(
        output.name for output in task.task_spec.outputs
    ):
        return True
    return any(_stale(child) for child in children if child.has_state(_UNSTARTED))


def repredict(workflow: BpmnWorkflow) -> None:
    """Where the new spec leads elsewhere, drop what the old version predicted after an active
    task and predict again: the tasks that ran, wait or are ready keep their ids (and due
    times); only what follows them comes from the new version."""
    for part in (workflow, *workflow.subprocesses.values()):
        for task in list(part.tasks.values()):
            if task.id not in part.tasks or not task.has_state(_ACTIVE) or not _stale(task):
                continue
            for child in list(task.children):
                if not child.triggered and child.has_state(_UNSTARTED):
                    part._remove_task(child.id)
            task.task_spec._predict(task, mask=_ACTIVE | _UNSTARTED)


def move_instance(
    instance_id: int,
    target_definition_id: int,
    *,
    runtime: Runtime,
    county: str,
    actor: str,
    now: datetime,
    session: Session,
) -> MoveOutcome:
    """Move an instance onto another version of its process, e.g. off a broken one.

    Allowed only within the same process key and county, onto a version that is not withdrawn
    and has every element the instance's tasks use. The due time is read again from the
    moved workflow, unless the instance waits for an operator's retry (failed or parked).

    :raises OperatorActionRefused: listing the missing elements; nothing changed.
    """
    row = _instance(instance_id, county, session)
    if row.status == "completed":
        raise OperatorActionRefused(f"流程实例 {instance_id} 已结束，无需迁移")
    target = session.get(ProcessDefinition, target_definition_id)
    if target is None or target.county != county:
        raise DefinitionNotFound(f"流程版本 {target_definition_id} 不存在")
    current = session.get(ProcessDefinition, row.definition_id)
    if current is None:  # pragma: no cover - the foreign key guarantees it
        raise DefinitionNotFound(f"流程版本 {row.definition_id} 不存在")
    if target.process_key != current.process_key:
        raise OperatorActionRefused(
            f"只能迁移到同一流程的其他版本：实例属于流程 {current.process_key}，"
            f"目标版本属于流程 {target.process_key}"
        )
    if target.id == current.id:
        raise OperatorActionRefused(f"流程实例 {instance_id} 已在第 {target.version} 版上运行")
    if target.withdrawn_at is not None:
        raise OperatorActionRefused(f"第 {target.version} 版已撤回，不能把实例迁移到该版本")
    source = runtime.definitions.get(current.id, session=session)
    loaded = runtime.definitions.get(target.id, session=session)
    missing = missing_elements(_restore(row, source, runtime), loaded)
    if missing:
        raise OperatorActionRefused(
            f"不能把流程实例 {instance_id} 迁移到第 {target.version} 版：该版本缺少实例用到的环节 "
            f"{'、'.join(missing)}。实例未作任何改动。"
        )
    moved = _restore(row, loaded, runtime)
    repredict(moved)
    row.definition_id = target.id
    row.state_json = runtime.serializer.dump_workflow(moved)
    if row.status != "failed" and not _parked(row, runtime):
        row.next_due_at = next_due_at(moved)
    row.updated_at = now
    runtime.live_workflows.forget(row.id)
    _audit(
        row,
        "instance.moved",
        actor,
        now,
        session,
        process_key=current.process_key,
        from_version=current.version,
        to_version=target.version,
        from_definition_id=current.id,
        to_definition_id=target.id,
    )
    return MoveOutcome(row.id, current.process_key, current.version, target.version)


__all__ = [
    "STATUS_LABELS",
    "IncidentView",
    "InstanceSummary",
    "MoveOutcome",
    "RetryOutcome",
    "VersionChoice",
    "list_incidents",
    "missing_elements",
    "repredict",
    "move_instance",
    "process_versions",
    "resolve_incident",
    "sibling_version",
    "resume_instance",
    "retry_instance",
    "suspend_instance",
    "suspended_instances",
]
