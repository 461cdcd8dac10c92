"""Steps on process instances: start one, complete a human task. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session

from engine.core.audit import record_event
from engine.core.definition_store import LoadedDefinition, latest_definition_id
from engine.core.errors import (
    InstanceNotFound,
    InstanceSuspended,
    NotPermitted,
    NotWaitingForMessage,
    TaskAlreadyCompleted,
    TaskNotFound,
)
from engine.core.forms import validate_form
from engine.core.instance_rows import (
    InstanceRecord,
    load_instance,
    load_task,
    load_task_and_instance,
)
from engine.core.instance_state import element_id, ready_human_tasks, save_workflow, snapshot
from engine.core.live_workflows import compare_restored, dismantle
from engine.core.runtime import Runtime, step_scope
from engine.core.timer_audit import TIMER_ACTOR, fired_between, timer_outputs


def may_act(
    candidate_groups: list[str], assignee: str | None, actor: str, groups: frozenset[str]
) -> bool:
    """Whether someone acting for ``groups`` may complete a task offered to those groups."""
    return bool(set(candidate_groups) & groups) or (assignee is not None and assignee == actor)


def load_workflow(
    record: InstanceRecord, runtime: Runtime, *, session: Session, for_step: bool = False
) -> tuple[BpmnWorkflow, LoadedDefinition]:
    """The instance's workflow as stored in ``record``.

    :param for_step: the caller will advance and save it: the live workflow kept by the
        last step on this instance is taken instead of restoring the JSON, when it is exactly
        the stored state. Readers always get a private restored copy.
    """
    loaded = runtime.definitions.get(record.definition_id, session=session)
    if for_step and record.id is not None:
        live = runtime.live_workflows.take(record.id, record.state_json, loaded.spec)
        if live is not None:
            if runtime.live_workflows.check:
                compare_restored(live, _restore(record, runtime, loaded))
            return live, loaded
    return _restore(record, runtime, loaded), loaded


def _restore(record: InstanceRecord, runtime: Runtime, loaded: LoadedDefinition) -> BpmnWorkflow:
    workflow = runtime.serializer.load_workflow(
        record.state_json, loaded.spec, loaded.subprocess_specs
    )
    workflow.script_engine = runtime.script_engine
    return workflow


def advance_and_save(
    record: InstanceRecord,
    workflow: BpmnWorkflow,
    loaded: LoadedDefinition,
    runtime: Runtime,
    move: Callable[[], list[dict[str, Any]]],
    *,
    action: str,
    now: datetime,
    actor: str,
    session: Session,
    completed_task: Task | None = None,
    clear_lock: bool = False,
) -> int:
    """Run ``move`` and the engine steps it unlocks inside the step, save the instance with
    its projections, and audit the step: one event (with before and after) per detail that
    ``move`` returns. Uncaught BPMN errors of the step are named in every event.

    :return: how many events were recorded.
    """
    previous = ready_human_tasks(workflow)
    before = snapshot(workflow, previous.values())
    # The sweep names the timers it fires; any other step is watched for timers it fires.
    timers_before = timer_outputs(workflow) if action != "timer.fired" else None
    with step_scope(
        now,
        session,
        instance_id=record.id,
        county=record.county,
        definition_id=record.definition_id,
        budget=runtime.budget,
        process=loaded.process_key,
        case_id=record.business_key,
        element=element_id(completed_task) if completed_task is not None else None,
    ):
        details = move()
        workflow.do_engine_steps()
    ready, errors = save_workflow(
        record,
        workflow,
        loaded,
        runtime,
        previous_ready=set(previous),
        now=now,
        actor=actor,
        session=session,
        completed_task=completed_task,
        clear_lock=clear_lock,
    )
    after = snapshot(workflow, ready.values())
    if timers_before is not None:
        for name in fired_between(timers_before, timer_outputs(workflow)):
            record_event(
                county=record.county,
                at=now,
                actor=TIMER_ACTOR,
                action="timer.fired",
                instance_id=record.id,
                detail={"timer": name, "during": action},
                session=session,
            )
    for detail in details:
        record_event(
            county=record.county,
            at=now,
            actor=actor,
            action=action,
            instance_id=record.id,
            task_id=str(completed_task.id) if completed_task is not None else None,
            task_name=element_id(completed_task) if completed_task is not None else None,
            before=before,
            after=after,
            detail=detail | {"bpmn_errors": errors} if errors else detail,
            session=session,
        )
    hand_over(record, workflow, runtime)
    return len(details)


def hand_over(record: InstanceRecord, workflow: BpmnWorkflow, runtime: Runtime) -> None:
    """The step is done with ``workflow``: keep it for the instance's next step, or, when the
    instance ended, dismantle it (:func:`~engine.core.live_workflows.dismantle`).

    Kept only now, not when it was saved: another thread's step on the same instance may
    find the entry out of date and dismantle it, which must never hit a workflow whose own
    step is still reading it (the audit snapshot after the save)."""
    if record.status == "running" and record.id is not None:
        runtime.live_workflows.keep(record.id, record.state_json, workflow)
    else:
        dismantle(workflow)


def start_instance(
    process_key: str,
    data: dict[str, Any],
    *,
    runtime: Runtime,
    now: datetime,
    actor: str,
    county: str,
    business_key: str | None = None,
    session: Session,
) -> InstanceRecord:
    """Start the latest version of ``process_key`` with ``data`` and run it to its first wait."""
    definition_id = latest_definition_id(process_key, county=county, session=session)
    loaded = runtime.definitions.get(definition_id, session=session)
    workflow = BpmnWorkflow(
        loaded.spec, loaded.subprocess_specs, script_engine=runtime.script_engine
    )
    # Scripts see the root task's data; workflow.set_data() would be invisible to them.
    workflow.task_tree.data.update(data)
    with step_scope(
        now,
        session,
        instance_id=None,
        county=county,
        definition_id=definition_id,
        budget=runtime.budget,
        process=loaded.process_key,
        case_id=business_key,
    ):
        workflow.do_engine_steps()
    record = InstanceRecord(
        id=None,
        county=county,
        definition_id=definition_id,
        version=0,
        status="running",
        state_json="",
        next_due_at=None,
        lock_owner=None,
        timer_failures=0,
        created_at=now,
        business_key=business_key,
    )
    ready, _errors = save_workflow(
        record,
        workflow,
        loaded,
        runtime,
        previous_ready=set(),
        now=now,
        actor=actor,
        session=session,
    )
    record_event(
        county=county,
        at=now,
        actor=actor,
        action="instance.started",
        instance_id=record.id,
        after=snapshot(workflow, ready.values()),
        detail={
            "process_key": process_key,
            "definition_version": loaded.version,
            "business_key": business_key,
        },
        session=session,
    )
    hand_over(record, workflow, runtime)
    return record


def complete_task(
    task_id: str,
    form: dict[str, Any],
    *,
    runtime: Runtime,
    now: datetime,
    actor: str,
    session: Session,
    groups: frozenset[str] | None = None,
) -> InstanceRecord:
    """Complete a ready human task with whitelisted form data and advance the instance.

    :param groups: the groups the actor acts for; when given, the task must be offered to
        one of them (or assigned to the actor by name).

    :raises TaskNotFound: no such task.
    :raises TaskAlreadyCompleted: someone else finished it, or the process moved on.
    :raises FormRejected: the form broke the task's whitelist; nothing changed.
    :raises NotPermitted: the actor's groups do not include the task's.
    :raises InstanceSuspended: an operator suspended the instance; nothing changed.
    """
    found = load_task_and_instance(task_id, session=session)
    if found is None:
        raise TaskNotFound(f"任务 {task_id} 不存在")
    task_row, record = found
    if groups is not None and not may_act(
        task_row.candidate_groups, task_row.assignee, actor, groups
    ):
        raise NotPermitted("您无权办理该任务：它不属于您所在的单位或岗位")
    if task_row.state != "ready":
        raise TaskAlreadyCompleted(task_id, task_row.completed_by, task_row.state)
    if record is None:
        raise InstanceNotFound(f"流程实例 {task_row.instance_id} 不存在")
    if record.status == "suspended":
        raise InstanceSuspended(record.id or task_row.instance_id)
    workflow, loaded = load_workflow(record, runtime, session=session, for_step=True)
    task = workflow.get_task_from_id(UUID(task_id))
    if task is None or task.state != TaskState.READY:
        # Another step committed between our two reads: report what it did.
        fresh = load_task(task_id, session=session)
        state = fresh.state if fresh and fresh.state != "ready" else "cancelled"
        raise TaskAlreadyCompleted(task_id, fresh.completed_by if fresh else None, state)
    cleaned = validate_form(loaded.task_meta.get(element_id(task)), task_row.title, form)

    def move() -> list[dict[str, Any]]:
        task.set_data(**cleaned)
        task.run()
        return [{"form": cleaned}]

    advance_and_save(
        record,
        workflow,
        loaded,
        runtime,
        move,
        action="task.completed",
        now=now,
        actor=actor,
        session=session,
        completed_task=task,
    )
    return record


def send_message(
    instance_id: int,
    message_name: str,
    data: dict[str, Any],
    *,
    runtime: Runtime,
    now: datetime,
    actor: str,
    session: Session,
) -> InstanceRecord:
    """Deliver a BPMN message to an instance that is waiting for it, with ``data`` set on
    the catching event first (callers are trusted code, not forms).

    :raises NotWaitingForMessage: the instance is not (or no longer) waiting for it.
    :raises InstanceSuspended: an operator suspended the instance; nothing changed.
    """
    record = load_instance(instance_id, session=session)
    if record is None:
        raise InstanceNotFound(f"流程实例 {instance_id} 不存在")
    if record.status == "suspended":
        raise InstanceSuspended(instance_id)
    workflow, loaded = load_workflow(record, runtime, session=session, for_step=True)
    catching = [
        t
        for t in workflow.get_tasks(state=TaskState.WAITING)
        if getattr(getattr(t.task_spec, "event_definition", None), "name", None) == message_name
    ]
    if not catching:
        raise NotWaitingForMessage(message_name)

    def move() -> list[dict[str, Any]]:
        for task in catching:
            task.data.update(data)
        workflow.send_event(BpmnEvent(catching[0].task_spec.event_definition, dict(data)))
        return [{"message": message_name, "data": data}]

    advance_and_save(
        record,
        workflow,
        loaded,
        runtime,
        move,
        action="message.received",
        now=now,
        actor=actor,
        session=session,
    )
    return record
