"""The deploy gate: recent cases of a process are replayed on a new version before it goes live.

A new version of a process that carries complaints must not break the county on its first
report (DESIGN.md invariant 11). Before it is stored, the last cases of the same process are
replayed on it: their start data and their recorded answers (completed tasks, messages, timer
firings) at their recorded instants, on virtual time and under the step budget, each in a
scratch transaction that is always rolled back (``docs/adr/0013-deploy-gate.md``).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from statistics import fmean
from typing import Any

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.core.audit import record_event
from engine.core.definitions import ParsedDefinition, parse_definition
from engine.core.errors import EngineError, FormRejected
from engine.core.evaluation_budget import BudgetExceeded
from engine.core.forms import validate_form
from engine.core.host import Deployment, WorkflowHost
from engine.core.instance_state import element_id, ready_human_tasks, waiting_timers
from engine.core.persistence.database import WRITE_INTENT_OPTIONS
from engine.core.persistence.models import AuditEvent, HumanTask, ProcessDefinition, ProcessInstance
from engine.core.runtime import Runtime, step_scope
from engine.core.step_failures import StepFailed
from engine.core.tenancy import DEFAULT_COUNTY

DEFAULT_SAMPLE = 20
REPLAYED_ACTIONS = ("task.completed", "message.received", "timer.fired")
# The same catch-up bound as the sweep (engine/core/timers.py): each round advances one cycle.
_MAX_TIMER_ROUNDS = 50


@dataclass(frozen=True)
class ReplayFailure:
    """A replayed case raised: where (the BPMN element, when known) and what."""

    instance_id: int
    business_key: str | None
    element_id: str | None
    error: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "instance_id": self.instance_id,
            "business_key": self.business_key,
            "element_id": self.element_id,
            "error": self.error,
        }


@dataclass(frozen=True)
class Divergence:
    """A replayed case took another path: the first stage that differs, and how."""

    instance_id: int
    business_key: str | None
    element_id: str | None
    reason: str


@dataclass(frozen=True)
class StageDuration:
    """Mean hours from ready to completed of one human task, in the originals and replayed."""

    element_id: str
    name: str
    hours_before: float | None
    hours_after: float | None

    @property
    def change(self) -> float | None:
        if self.hours_before is None or self.hours_after is None:
            return None
        return self.hours_after - self.hours_before


@dataclass(frozen=True)
class Rehearsal:
    """What replaying the recent cases of a process on a new version showed."""

    process_key: str
    at: datetime
    sampled: int
    same_stages: int
    diverged: list[Divergence] = field(default_factory=list)
    failed: list[ReplayFailure] = field(default_factory=list)
    stage_durations: list[StageDuration] = field(default_factory=list)
    # BPMN element id -> its name in the new version, for the elements that failed.
    element_names: dict[str, str] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.failed

    def failed_elements(self) -> list[str]:
        return list(dict.fromkeys(f.element_id or "（未知元素）" for f in self.failed))


class DeployRefused(EngineError):
    """The new version raised errors when recent cases were replayed on it; nothing was
    stored. Deploying it anyway needs an override with a reason (audited)."""

    def __init__(self, rehearsal: Rehearsal) -> None:
        self.rehearsal = rehearsal
        super().__init__(
            f"新版本在回放最近 {rehearsal.sampled} 件事项时有 {len(rehearsal.failed)} 件出错"
            f"（元素：{'、'.join(rehearsal.failed_elements())}），未部署；"
            "如确需部署，请填写理由并强制部署"
        )


# -- sampling --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Event:
    action: str
    at: datetime
    task_name: str | None
    detail: dict[str, Any]


@dataclass
class _Case:
    instance_id: int
    business_key: str | None
    status: str
    created_at: datetime
    start_data: dict[str, Any]
    events: list[_Event] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    durations: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


def _hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


def _sample(
    process_key: str, *, runtime: Runtime, county: str, sample: int, session: Session
) -> list[_Case]:
    """The last ``sample`` instances of ``process_key`` (any version), newest first, with
    their start data, recorded answers and the stages they went through."""
    rows = session.execute(
        select(
            ProcessInstance.id,
            ProcessInstance.definition_id,
            ProcessInstance.business_key,
            ProcessInstance.status,
            ProcessInstance.created_at,
            ProcessInstance.state_json,
        )
        .join(ProcessDefinition, ProcessDefinition.id == ProcessInstance.definition_id)
        .where(ProcessInstance.county == county, ProcessDefinition.process_key == process_key)
        .order_by(ProcessInstance.created_at.desc(), ProcessInstance.id.desc())
        .limit(sample)
    ).all()
    cases: dict[int, _Case] = {}
    for row in rows:
        loaded = runtime.definitions.get(row.definition_id, session=session)
        stored = runtime.serializer.load_workflow(
            row.state_json, loaded.spec, loaded.subprocess_specs
        )
        # The root task holds exactly what the instance was started with.
        start_data = copy.deepcopy(dict(stored.task_tree.data))
        cases[row.id] = _Case(row.id, row.business_key, row.status, row.created_at, start_data)
    if not cases:
        return []
    events = session.execute(
        select(
            AuditEvent.instance_id,
            AuditEvent.action,
            AuditEvent.at,
            AuditEvent.task_name,
            AuditEvent.detail,
        )
        .where(
            AuditEvent.county == county,
            AuditEvent.instance_id.in_(cases),
            AuditEvent.action.in_(REPLAYED_ACTIONS),
        )
        .order_by(AuditEvent.id)
    ).all()
    for event in events:
        cases[event.instance_id].events.append(
            _Event(event.action, event.at, event.task_name, dict(event.detail or {}))
        )
    tasks = session.execute(
        select(
            HumanTask.instance_id,
            HumanTask.task_name,
            HumanTask.state,
            HumanTask.created_at,
            HumanTask.finished_at,
        )
        .where(HumanTask.instance_id.in_(cases))
        .order_by(HumanTask.created_at, HumanTask.task_name, HumanTask.id)
    ).all()
    for task in tasks:
        case = cases[task.instance_id]
        case.stages.append(task.task_name)
        if task.state == "completed" and task.finished_at is not None:
            case.durations[task.task_name].append(_hours(task.created_at, task.finished_at))
    return list(cases.values())


# -- replay ----------------------------------------------------------------------------------
class _Diverged(Exception):
    def __init__(self, element: str | None, reason: str) -> None:
        self.element = element
        self.reason = reason


class _Failed(Exception):
    def __init__(self, element: str | None, message: str) -> None:
        self.element = element
        self.message = message


def _budget_breach(err: BaseException) -> BudgetExceeded | None:
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        if isinstance(current, BudgetExceeded):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _located(err: Exception, running: Task | None) -> tuple[str | None, str]:
    """The element an error arose at and its message (a budget breach is named as such)."""
    element = element_id(running) if running is not None else None
    if isinstance(err, StepFailed):
        return err.element_id or element, err.detail
    if isinstance(err, WorkflowTaskException) and err.task is not None:
        element = element_id(err.task)
    elif isinstance(err, WorkflowException) and err.task_spec is not None:
        element = getattr(err.task_spec, "bpmn_id", None) or err.task_spec.name
    breach = _budget_breach(err)
    if breach is not None:
        return breach.element_id or element, str(breach)
    return element, str(err).strip() or type(err).__name__


def _error_name(event_definition: Any) -> str:
    # SpiffWorkflow has no stubs: an event definition is Any; its name and code are str.
    name: str | None = getattr(event_definition, "name", None)
    code: str = getattr(event_definition, "code", "error")
    return name or code


def _uncaught_errors(workflow: BpmnWorkflow) -> list[str]:
    return [
        _error_name(e.event_definition)
        for e in workflow.get_events()
        if type(e.event_definition).__name__ == "ErrorEventDefinition"
    ]


class _Replay:
    """One case on the new version, step by step as the engine ran it, in ``session``."""

    def __init__(
        self,
        case: _Case,
        parsed: ParsedDefinition,
        runtime: Runtime,
        *,
        county: str,
        session: Session,
    ) -> None:
        self.case = case
        self.parsed = parsed
        self.county = county
        self.session = session
        self.budget = runtime.budget
        self.workflow = BpmnWorkflow(
            parsed.spec, parsed.subprocess_specs, script_engine=runtime.script_engine
        )
        self.workflow.task_tree.data.update(copy.deepcopy(case.start_data))
        self.running: Task | None = None
        self.stages: list[tuple[datetime, str]] = []
        self.durations: dict[str, list[float]] = defaultdict(list)
        self._ready: dict[str, tuple[str, datetime]] = {}

    def run(self) -> None:
        """:raises _Diverged: a recorded answer has no place in the new version.
        :raises _Failed: the new version raised."""
        self._step(self.case.created_at, lambda: None)
        for event in self.case.events:
            self._fire_due(event.at)
            if event.action == "task.completed":
                self._complete(event)
            elif event.action == "message.received":
                self._deliver(event)

    def _step(self, at: datetime, move: Callable[[], str | None]) -> None:
        try:
            with step_scope(
                at,
                self.session,
                instance_id=self.case.instance_id,
                county=self.county,
                budget=self.budget,
            ):
                completed = move()
                self.workflow.do_engine_steps(will_complete_task=self._note)
        except (_Diverged, _Failed):
            raise
        except Exception as err:  # noqa: BLE001 - whatever the version raises is reported
            element, message = _located(err, self.running)
            raise _Failed(element, message) from err
        errors = _uncaught_errors(self.workflow)
        if errors and self.case.status != "failed":
            raise _Failed(
                self.running and element_id(self.running),
                f"流程抛出了未被捕获的 BPMN 错误“{'、'.join(errors)}”",
            )
        self._observe(at, completed)

    def _note(self, task: Task) -> None:
        self.running = task

    def _observe(self, at: datetime, completed: str | None) -> None:
        ready = ready_human_tasks(self.workflow)
        for task_id in self._ready.keys() - ready.keys():
            name, since = self._ready.pop(task_id)
            if task_id == completed:
                self.durations[name].append(_hours(since, at))
        for name, task_id in sorted(
            (element_id(t), i) for i, t in ready.items() if i not in self._ready
        ):
            self.stages.append((at, name))
            self._ready[task_id] = (name, at)

    def _fire_due(self, at: datetime) -> None:
        if not any(due < at for _name, due in waiting_timers(self.workflow)):
            return

        def fire() -> None:
            for _round in range(_MAX_TIMER_ROUNDS):
                due = [name for name, when in waiting_timers(self.workflow) if when < at]
                if not due:
                    return None
                self.running = None
                self.workflow.refresh_timers()
                self.workflow.do_engine_steps(will_complete_task=self._note)
            raise _Failed(None, f"定时器 {'、'.join(sorted(set(due)))} 触发后仍处于到期状态")

        self._step(at, fire)

    def _complete(self, event: _Event) -> None:
        name = event.task_name or ""
        ready = [
            t
            for t in self.workflow.get_tasks(state=TaskState.READY, manual=True)
            if element_id(t) == name
        ]
        if not ready:
            raise _Diverged(name, f"记录中办理了“{name}”，新版本此时没有该任务")
        task = ready[0]
        try:
            cleaned = validate_form(self.parsed.task_meta.get(name), name, event.detail["form"])
        except FormRejected as err:
            raise _Diverged(name, f"新版本的表单不接受记录的答复：{err}") from None

        def move() -> str:
            self.running = task
            task.set_data(**cleaned)
            task.run()
            return str(task.id)

        self._step(event.at, move)

    def _deliver(self, event: _Event) -> None:
        message = event.detail.get("message")
        data = dict(event.detail.get("data") or {})
        catching = [
            t
            for t in self.workflow.get_tasks(state=TaskState.WAITING)
            if getattr(getattr(t.task_spec, "event_definition", None), "name", None) == message
        ]
        if not catching:
            raise _Diverged(None, f"记录中收到了消息“{message}”，新版本此时不等待该消息")

        def move() -> None:
            for task in catching:
                task.data.update(data)
            self.running = catching[0]
            self.workflow.send_event(BpmnEvent(catching[0].task_spec.event_definition, data))

        self._step(event.at, move)


def _first_difference(original: list[str], replayed: list[str]) -> str | None:
    for index in range(max(len(original), len(replayed))):
        was = original[index] if index < len(original) else None
        now = replayed[index] if index < len(replayed) else None
        if was != now:
            return now or was
    return None


def _scratch_session(session_factory: sessionmaker[Session]) -> Session:
    """A session whose transaction will be rolled back; on SQLite it queues for the write
    lock up front (``BEGIN IMMEDIATE``), so a service operation that writes never fails on a
    stale snapshot half-way through a case."""
    session = session_factory()
    session.connection(execution_options=WRITE_INTENT_OPTIONS)
    return session


def _durations(
    cases: Iterable[_Case], replayed: dict[int, dict[str, list[float]]], parsed: ParsedDefinition
) -> list[StageDuration]:
    before: dict[str, list[float]] = defaultdict(list)
    after: dict[str, list[float]] = defaultdict(list)
    order: dict[str, None] = {}
    for case in cases:
        if case.instance_id not in replayed:
            continue  # compared only where the new version ran the case through
        for name in case.stages:
            order.setdefault(name)
        for name, hours in case.durations.items():
            before[name].extend(hours)
        for name, hours in replayed.get(case.instance_id, {}).items():
            order.setdefault(name)
            after[name].extend(hours)
    result = []
    for name in order:
        if not before.get(name) and not after.get(name):
            continue
        meta = parsed.task_meta.get(name)
        result.append(
            StageDuration(
                name,
                (meta.title if meta else None) or name,
                fmean(before[name]) if before.get(name) else None,
                fmean(after[name]) if after.get(name) else None,
            )
        )
    return result


def _element_names(parsed: ParsedDefinition, wanted: set[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for spec in (parsed.spec, *parsed.subprocess_specs.values()):
        for task_spec in spec.task_specs.values():
            bpmn_id = getattr(task_spec, "bpmn_id", None)
            if bpmn_id in wanted and getattr(task_spec, "bpmn_name", None):
                names[bpmn_id] = task_spec.bpmn_name
    return names


def rehearse(
    parsed: ParsedDefinition,
    *,
    runtime: Runtime,
    session_factory: sessionmaker[Session],
    county: str,
    now: datetime,
    sample: int = DEFAULT_SAMPLE,
) -> Rehearsal:
    """Replay the last ``sample`` cases of ``parsed.process_key`` on ``parsed``.

    Nothing is written: every case runs in its own transaction, rolled back at its end.
    """
    with session_factory() as session:
        cases = _sample(
            parsed.process_key, runtime=runtime, county=county, sample=sample, session=session
        )
    same = 0
    diverged: list[Divergence] = []
    failed: list[ReplayFailure] = []
    replayed: dict[int, dict[str, list[float]]] = {}
    for case in cases:
        session = _scratch_session(session_factory)
        replay = _Replay(case, parsed, runtime, county=county, session=session)
        try:
            replay.run()
        except _Failed as err:
            failed.append(
                ReplayFailure(case.instance_id, case.business_key, err.element, err.message)
            )
            continue
        except _Diverged as err:
            diverged.append(
                Divergence(case.instance_id, case.business_key, err.element, err.reason)
            )
            continue
        finally:
            session.rollback()
            session.close()
        replayed[case.instance_id] = replay.durations
        # Ordered as the task projection is: by the instant a task became ready, then name.
        stages = [name for _at, name in sorted(replay.stages)]
        differs = _first_difference(case.stages, stages)
        if differs is None:
            same += 1
        else:
            diverged.append(
                Divergence(
                    case.instance_id,
                    case.business_key,
                    differs,
                    f"环节顺序不同：原为 {'→'.join(case.stages) or '无'}，"
                    f"回放为 {'→'.join(stages) or '无'}",
                )
            )
    return Rehearsal(
        element_names=_element_names(parsed, {f.element_id for f in failed if f.element_id}),
        process_key=parsed.process_key,
        at=now,
        sampled=len(cases),
        same_stages=same,
        diverged=diverged,
        failed=failed,
        stage_durations=_durations(cases, replayed, parsed),
    )


def has_instances(process_key: str, *, county: str, session: Session) -> bool:
    """Whether any instance (any version) of ``process_key`` exists in the county."""
    found = session.scalar(
        select(ProcessInstance.id)
        .join(ProcessDefinition, ProcessDefinition.id == ProcessInstance.definition_id)
        .where(ProcessInstance.county == county, ProcessDefinition.process_key == process_key)
        .limit(1)
    )
    return found is not None


# -- the gated deployment ----------------------------------------------------------------------
@dataclass(frozen=True)
class GateCheck:
    """A parsed new version and what its rehearsal showed; ``rehearsal`` is None when there
    is nothing to replay (``skipped`` says why: ``first`` or ``unchanged``)."""

    parsed: ParsedDefinition
    rehearsal: Rehearsal | None
    skipped: str | None = None


def check_deploy(
    host: WorkflowHost,
    bpmn_xml: str | bytes,
    dmn_xmls: tuple[str | bytes, ...] = (),
    *,
    process_key: str | None = None,
    source_name: str = "upload.bpmn",
    called_bpmn: tuple[str | bytes, ...] = (),
    county: str = DEFAULT_COUNTY,
    sample: int = DEFAULT_SAMPLE,
) -> GateCheck:
    """Parse a new version and rehearse it on the recent cases of its process.

    A first deployment (no instance of the process yet) and content that is deployed already
    (no new version would be stored) are not replayed; content that was withdrawn is (deploying
    it again reinstates it for new instances).

    :raises DefinitionInvalid: listing every problem.
    """
    services = host.runtime.services
    parsed = parse_definition(
        bpmn_xml,
        dmn_xmls,
        process_key=process_key,
        source_name=source_name,
        called_bpmn=called_bpmn,
        services=services.keys() if services else None,
    )
    with host.session_factory() as session:
        deployed = session.scalar(
            select(ProcessDefinition.id).where(
                ProcessDefinition.county == county,
                ProcessDefinition.process_key == parsed.process_key,
                ProcessDefinition.content_hash == parsed.content_hash,
                ProcessDefinition.withdrawn_at.is_(None),
            )
        )
        if deployed is not None:
            return GateCheck(parsed, None, "unchanged")
        if not has_instances(parsed.process_key, county=county, session=session):
            return GateCheck(parsed, None, "first")
    rehearsal = rehearse(
        parsed,
        runtime=host.runtime,
        session_factory=host.session_factory,
        county=county,
        now=host.clock.now(),
        sample=sample,
    )
    return GateCheck(parsed, rehearsal)


def deploy_gated(
    host: WorkflowHost,
    bpmn_xml: str | bytes,
    dmn_xmls: tuple[str | bytes, ...] = (),
    *,
    process_key: str | None = None,
    source_name: str = "upload.bpmn",
    called_bpmn: tuple[str | bytes, ...] = (),
    actor: str,
    county: str = DEFAULT_COUNTY,
    override_reason: str | None = None,
    sample: int = DEFAULT_SAMPLE,
) -> tuple[Deployment, Rehearsal | None]:
    """Deploy a new version after rehearsing it on recent cases (see :func:`check_deploy`).

    :param override_reason: deploy even though the rehearsal raised errors; the reason and
        the failures are audited as ``definition.deploy_override`` with the deployment.
    :raises DefinitionInvalid: listing every problem; nothing is stored.
    :raises DeployRefused: the rehearsal raised errors and no override reason was given;
        nothing is stored.
    """
    checked = check_deploy(
        host,
        bpmn_xml,
        dmn_xmls,
        process_key=process_key,
        source_name=source_name,
        called_bpmn=called_bpmn,
        county=county,
        sample=sample,
    )
    rehearsal = checked.rehearsal
    reason = (override_reason or "").strip()
    if rehearsal is None or rehearsal.passed:
        also = None
    elif not reason:
        raise DeployRefused(rehearsal)
    else:

        def also(session: Session, deployment: Deployment) -> None:
            record_event(
                county=county,
                at=host.clock.now(),
                actor=actor,
                action="definition.deploy_override",
                detail={
                    "process_key": deployment.process_key,
                    "version": deployment.version,
                    "definition_id": deployment.definition_id,
                    "reason": reason,
                    "sampled": rehearsal.sampled,
                    "failures": [f.as_dict() for f in rehearsal.failed],
                },
                session=session,
            )

    deployment = host.deploy(
        bpmn_xml,
        dmn_xmls,
        process_key=checked.parsed.process_key,
        source_name=source_name,
        called_bpmn=called_bpmn,
        actor=actor,
        county=county,
        also=also,
    )
    return deployment, rehearsal
