"""Move the running instances of one process version onto another, in bulk.

A plan says, per instance, whether it can move: every element it is at, waits on or has run
exists in the target version; the target's expressions of the elements it waits at (timer
values, task assignments) evaluate on its data (a trial migration in memory); and it is not
suspended, failed, troubled by a failing timer or being fired by the sweep right now.

A migration moves the movable ones, each in its own transaction (re-checked there: an
instance that changed since the plan and can no longer move is refused, not forced), audits
each move and the run, and re-computes the timers the target version changed:

- ``timeDate``: evaluated again on the instance's data;
- ``timeDuration``: counted from the moment the timer began waiting (the task's
  ``last_state_change``), not from the migration;
- ``timeCycle``: restarted from the new expression with its full repeat count; a cycle given
  by a duration alone starts when the timer began waiting. Occurrences of the new cycle that
  already lie in the past fire once, together, at the next sweep; the rest follow the new
  schedule. Firings made under the old rule are not counted against the new one.

A due time now in the past fires at the next sweep. Timers the target did not change keep
their due time. See docs/adr/0021-instance-migration.md.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs import BpmnProcessSpec
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.bpmn.util.diff import SpecDiff
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from engine.core.audit import record_event
from engine.core.clock import current_clock
from engine.core.definition_store import LoadedDefinition
from engine.core.errors import DefinitionNotFound, OperatorActionRefused
from engine.core.evaluation_budget import step_budget
from engine.core.incidents import STATUS_LABELS, missing_elements, repredict
from engine.core.instance_state import element_id, next_due_at
from engine.core.persistence.models import HumanTask, ProcessDefinition, ProcessInstance
from engine.core.runtime import FixedClock, Runtime

PAGE_SIZE = 100


@dataclass(frozen=True)
class BlockedInstance:
    """An instance that cannot move, where it is and why (Chinese, one reason a line)."""

    instance_id: int
    business_key: str | None
    elements: tuple[str, ...]  # current element ids
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MigrationPlan:
    """Which running instances of ``from_version`` can move to ``to_version``.

    ``movable_by_element`` counts movable instances by the element they are at (a ready
    human task, else a waiting event); an instance in two parallel elements counts under
    each. ``element_names`` names every element id the plan mentions.
    """

    process_key: str
    from_version: int
    to_version: int
    from_definition_id: int
    to_definition_id: int
    movable: tuple[int, ...]
    movable_by_element: dict[str, int]
    element_names: dict[str, str]
    blocked: tuple[BlockedInstance, ...]
    changed_elements: tuple[str, ...]  # element ids whose definition changed (e.g. a timer)
    # Open instances a time-bounded plan did not get to (checked when they are moved).
    unchecked: tuple[int, ...] = ()


@dataclass(frozen=True)
class MigrationResult:
    plan: MigrationPlan
    dry_run: bool
    moved: tuple[int, ...]
    refused: tuple[BlockedInstance, ...]  # found unmovable at move time (changed since the plan)
    # Instances a time-bounded run did not get to: still on the source, for the next run.
    remaining: tuple[int, ...] = ()


# -- the two versions ------------------------------------------------------------------------
@dataclass(frozen=True)
class _Versions:
    process_key: str
    source: ProcessDefinition
    target: ProcessDefinition


def _version_row(
    process_key: str, version: int, *, county: str, session: Session
) -> ProcessDefinition:
    row = session.scalars(
        select(ProcessDefinition).where(
            ProcessDefinition.county == county,
            ProcessDefinition.process_key == process_key,
            ProcessDefinition.version == version,
        )
    ).first()
    if row is None:
        exists = session.scalar(
            select(ProcessDefinition.id).where(
                ProcessDefinition.county == county, ProcessDefinition.process_key == process_key
            )
        )
        if exists is None:
            raise DefinitionNotFound(f"流程 {process_key} 尚未部署")
        raise DefinitionNotFound(f"流程 {process_key} 没有第 {version} 版")
    return row


def _versions(
    process_key: str, from_version: int, to_version: int, *, county: str, session: Session
) -> _Versions:
    """The source and target rows, or a refusal naming what is wrong."""
    if from_version == to_version:
        raise OperatorActionRefused(
            f"源版本与目标版本相同（第 {from_version} 版）：请选择另一个目标版本"
        )
    source = _version_row(process_key, from_version, county=county, session=session)
    target = _version_row(process_key, to_version, county=county, session=session)
    if target.withdrawn_at is not None:
        raise OperatorActionRefused(
            f"{process_key} 第 {to_version} 版已撤回，不能把实例迁移到该版本"
        )
    return _Versions(process_key, source, target)


# -- comparing the specs ---------------------------------------------------------------------
def _specs(loaded: LoadedDefinition) -> dict[str, BpmnProcessSpec]:
    return {loaded.spec.name: loaded.spec, **loaded.subprocess_specs}


def _timer_signature(task_spec: Any) -> tuple[tuple[str, str], ...] | None:
    """A timer's kind and expression; for an event-based gateway (a multiple event), those of
    its timers. None when the spec has no timer."""
    definition = getattr(task_spec, "event_definition", None)
    if isinstance(definition, TimerEventDefinition):
        members = [definition]
    elif isinstance(definition, MultipleEventDefinition):
        members = [d for d in definition.event_definitions if isinstance(d, TimerEventDefinition)]
    else:
        return None
    return tuple((type(d).__name__, str(d.expression)) for d in members) or None


def changed_timers(source: LoadedDefinition, target: LoadedDefinition) -> set[tuple[str, str]]:
    """(process spec name, task spec name) of every timer whose kind or expression differs
    in ``target`` (an event-based gateway counts when one of its timers does); a timer the
    target lacks is not listed (missing elements block)."""
    changed = set()
    targets = _specs(target)
    for name, spec in _specs(source).items():
        other = targets.get(name)
        if other is None:
            continue
        for task_name, task_spec in spec.task_specs.items():
            old = _timer_signature(task_spec)
            new = _timer_signature(other.task_specs.get(task_name))
            if old is not None and new is not None and old != new:
                changed.add((name, task_name))
    return changed


_CHANGED: dict[tuple[int, int], tuple[Any, Any, set[tuple[str, str]]]] = {}


def _changed_timers_of(source: LoadedDefinition, target: LoadedDefinition) -> set[tuple[str, str]]:
    """:func:`changed_timers`, computed once per pair of loaded definitions (a run moves
    thousands of instances between the same two). Keyed by the objects themselves: a
    definition id means another version in another database."""
    key = (id(source), id(target))
    cached = _CHANGED.get(key)
    if cached is None or cached[0] is not source or cached[1] is not target:
        if len(_CHANGED) > 16:
            _CHANGED.clear()
        cached = _CHANGED[key] = (source, target, changed_timers(source, target))
    return cached[2]


def changed_elements(
    source: LoadedDefinition, target: LoadedDefinition, runtime: Runtime
) -> tuple[str, ...]:
    """BPMN element ids present in both versions whose definition differs (SpiffWorkflow's
    spec diff: any serialized attribute, e.g. a timer expression, a script, the flows)."""
    ids: set[str] = set()
    targets = _specs(target)
    for name, spec in _specs(source).items():
        other = targets.get(name)
        if other is None:
            continue
        try:
            diff = SpecDiff(runtime.serializer.registry, spec, other)
        except Exception:  # noqa: BLE001 - informational; the changed timers still count
            continue
        for task_spec in diff.changed:
            bpmn_id = getattr(task_spec, "bpmn_id", None)
            if bpmn_id:
                ids.add(bpmn_id)
    sources = _specs(source)
    for spec_name, task_name in changed_timers(source, target):
        task_spec = sources[spec_name].task_specs[task_name]
        ids.add(getattr(task_spec, "bpmn_id", None) or task_name)
    return tuple(sorted(ids))


def _element_names(*loaded: LoadedDefinition) -> dict[str, str]:
    names: dict[str, str] = {}
    for definition in loaded:
        for spec in _specs(definition).values():
            for task_spec in spec.task_specs.values():
                bpmn_id = getattr(task_spec, "bpmn_id", None)
                title = getattr(task_spec, "bpmn_name", None)
                if bpmn_id and title:
                    names[bpmn_id] = title  # the later definition (the target) wins
    return names


# -- one instance ----------------------------------------------------------------------------
def current_elements(workflow: BpmnWorkflow) -> tuple[str, ...]:
    """Where the instance is: its ready human tasks, else the events it waits at (not the
    boundary events riding on a task)."""
    ready = workflow.get_tasks(state=TaskState.READY, manual=True)
    if ready:
        return tuple(sorted({element_id(t) for t in ready}))
    waiting = [
        t
        for t in workflow.get_tasks(state=TaskState.WAITING)
        if getattr(t.task_spec, "bpmn_id", None) and not isinstance(t.task_spec, BoundaryEvent)
    ]
    return tuple(sorted({element_id(t) for t in waiting}))


def _cause(err: BaseException) -> BaseException:
    """The innermost error: SpiffWorkflow wraps evaluation errors in its own."""
    seen = set()
    while id(err) not in seen:
        seen.add(id(err))
        inner = getattr(err, "exception", None) or err.__cause__
        if not isinstance(inner, BaseException):
            break
        err = inner
    return err


def _describe(err: BaseException) -> str:
    root = _cause(err)
    if isinstance(root, NameError) and getattr(root, "name", None):
        return f"实例数据中缺少变量 {root.name}"
    if isinstance(root, KeyError):
        return f"实例数据中缺少键 {root.args[0]!r}" if root.args else "实例数据中缺少键"
    text = str(root).strip() or type(root).__name__
    return f"{type(root).__name__}: {text}"


def _label(task: Task) -> str:
    title = getattr(task.task_spec, "bpmn_name", None)
    return f"{element_id(task)}（{title}）" if title else element_id(task)


def _waiting_since(task: Task) -> datetime:
    return datetime.fromtimestamp(task.last_state_change, UTC)


def _cycle_value(expression: str, since: datetime, now: datetime) -> dict[str, Any]:
    """A cycle's cached value per the rule in the module docstring."""
    cycles, start, duration = TimerEventDefinition.parse_iso_recurring_interval(expression)
    parts = expression.upper().replace("--", "/").strip("R").split("/")
    if len(parts) == 2 and parts[1].startswith("P"):
        start = since + duration  # duration only: counted from when the timer began waiting
    step = duration.total_seconds()
    if cycles != 0 and start < now and step > 0:
        passed = int((now - start).total_seconds() // step) + 1
        if cycles > 0:
            passed = min(passed, cycles)
        start = start + duration * (passed - 1)
        if cycles > 0:
            cycles -= passed - 1
    return {"cycles": cycles, "next": start.isoformat(), "duration": step}


def recompute_timer(task: Task, definition: TimerEventDefinition, runtime: Runtime) -> None:
    """Drop the due time ``task`` cached under its old definition and compute it under
    ``definition`` (the target's), on the task's data."""
    value = runtime.script_engine.environment.evaluate(definition.expression, task.data)
    now = current_clock.get().now()
    if isinstance(definition, CycleTimerEventDefinition):
        cached: Any = _cycle_value(str(value), _waiting_since(task), now)
    elif isinstance(definition, DurationTimerEventDefinition):
        since = _waiting_since(task)
        parsed = TimerEventDefinition.parse_iso_duration(str(value))
        cached = (since + TimerEventDefinition.get_timedelta_from_start(parsed, since)).isoformat()
    elif isinstance(definition, TimeDateEventDefinition):
        due = TimerEventDefinition.parse_time_or_duration(str(value))
        if not isinstance(due, datetime):
            raise ValueError(f"timeDate 的取值 {value!r} 不是日期时间")
        cached = str(value)
    else:  # pragma: no cover - the three kinds above are all SpiffWorkflow has
        raise ValueError(f"未知的定时器类型 {type(definition).__name__}")
    task.internal_data.pop("event_fired", None)
    task.internal_data["event_value"] = cached


def _waiting_timer_tasks(workflow: BpmnWorkflow) -> list[Task]:
    return [
        task
        for task in workflow.event_manager.tasks.values()
        if isinstance(
            getattr(task.task_spec, "event_definition", None),
            TimerEventDefinition | MultipleEventDefinition,
        )
    ]


def _check_timers(
    moved: BpmnWorkflow, changed: set[tuple[str, str]], runtime: Runtime
) -> list[str]:
    """Re-compute changed timers in ``moved`` and evaluate every waiting timer's target
    expression on the instance's data; the reasons it cannot move, if any."""
    reasons = []
    for task in _waiting_timer_tasks(moved):
        definition = task.task_spec.event_definition
        key = (task.workflow.spec.name, task.task_spec.name)
        if isinstance(definition, MultipleEventDefinition):
            if key in changed:
                reasons.append(
                    f"事件网关 {_label(task)} 上的定时器在目标版本中已修改，暂不支持迁移"
                )
            continue
        try:
            if key in changed:
                recompute_timer(task, definition, runtime)
            else:
                runtime.script_engine.environment.evaluate(definition.expression, task.data)
        except Exception as err:  # noqa: BLE001 - any failure is a reason, never a crash
            reasons.append(f"定时器 {_label(task)} 的表达式无法求值：{_describe(err)}")
    return reasons


def _check_assignments(
    moved: BpmnWorkflow, target: LoadedDefinition, runtime: Runtime
) -> list[str]:
    """Ready human tasks: the target's candidate-group and assignee expressions evaluate."""
    reasons = []
    for task in moved.get_tasks(state=TaskState.READY, manual=True):
        meta = target.task_meta.get(element_id(task))
        for raw in (meta.candidate_groups, meta.assignee) if meta else ():
            if not raw or not raw.startswith("="):
                continue
            try:
                runtime.script_engine.environment.evaluate(raw[1:], task.data)
            except Exception as err:  # noqa: BLE001 - any failure is a reason, never a crash
                reasons.append(f"任务 {_label(task)} 的办理人表达式无法求值：{_describe(err)}")
    return reasons


def _state_reasons(row: ProcessInstance, now: datetime) -> list[str]:
    """Instances an operator must look at one by one are not moved in bulk."""
    if row.status == "suspended":
        return ["实例已被暂停：请先在运行异常页恢复，或由管理员单独迁移"]
    if row.status == "failed":
        return ["实例出错：请先处理其运行异常（重试或单独迁移）"]
    if row.status != "running":
        return [f"实例当前{STATUS_LABELS.get(row.status, row.status)}，不能迁移"]
    if row.timer_failures > 0:
        return ["实例的定时器多次触发失败：请先在运行异常页处理"]
    if row.lock_owner is not None and row.lock_expires_at is not None and row.lock_expires_at > now:
        return ["实例的定时器正在触发，请稍后重试"]
    return []


@dataclass
class Trial:
    """A trial migration of one instance, in memory: the moved workflow if it can move."""

    elements: tuple[str, ...]
    reasons: list[str] = field(default_factory=list)
    moved: BpmnWorkflow | None = None


def _spec_in(loaded: LoadedDefinition, name: str) -> BpmnProcessSpec | None:
    return loaded.spec if loaded.spec.name == name else loaded.subprocess_specs.get(name)


def fits_target(payload: str, source: LoadedDefinition, target: LoadedDefinition) -> bool:
    """A pre-check on the stored payload, without restoring it: True when every task of the
    instance (subprocesses included) names an element the target has and every subprocess
    is called by the same name there, i.e. what :func:`missing_elements` would find nothing
    wrong with. False also when the payload cannot be read this way: the full check decides.
    """
    try:
        dct = json.loads(payload)
        owners: dict[str, tuple[str, str]] = {}  # task id -> (process spec, task spec)

        def scan(tasks: dict[str, Any], spec_name: str) -> bool:
            spec = _spec_in(target, spec_name)
            if spec is None:
                return False
            for task_id, task in tasks.items():
                if task["task_spec"] not in spec.task_specs:
                    return False
                owners[task_id] = (spec_name, task["task_spec"])
            return True

        if not scan(dct["tasks"], source.spec.name):
            return False
        pending = dict(dct["subprocesses"])
        while pending:  # a subprocess's caller is scanned before the subprocess itself
            ready = [task_id for task_id in pending if task_id in owners]
            if not ready:
                return False
            for task_id in ready:
                owner, caller = owners[task_id]
                old_owner, new_owner = _spec_in(source, owner), _spec_in(target, owner)
                if old_owner is None or new_owner is None:
                    return False
                name = getattr(old_owner.task_specs[caller], "spec", None)
                if name is None or getattr(new_owner.task_specs[caller], "spec", None) != name:
                    return False
                if not scan(pending.pop(task_id)["tasks"], name):
                    return False
        return True
    except Exception:  # noqa: BLE001 - unreadable here: the full check reports it
        return False


def _try_on_target(
    row: ProcessInstance,
    target: LoadedDefinition,
    changed: set[tuple[str, str]],
    elements: tuple[str, ...] | None,
    *,
    runtime: Runtime,
    now: datetime,
) -> Trial | None:
    """Restore ``row`` onto ``target`` and check what the target's expressions need.

    ``elements`` None: the instance was not restored on its own version first; its current
    elements are read from the target's restore, and a failing restore returns None (the
    caller falls back to the full check, which names the reason)."""
    token = current_clock.set(FixedClock(now))
    try:
        try:
            moved = runtime.serializer.load_workflow(
                row.state_json, target.spec, target.subprocess_specs
            )
        except Exception as err:  # noqa: BLE001 - the trial's failure is the reason
            if elements is None:
                return None
            return Trial(elements, [f"在第 {target.version} 版上恢复实例失败：{_describe(err)}"])
        trial = Trial(current_elements(moved) if elements is None else elements)
        try:
            moved.script_engine = runtime.script_engine
            with step_budget(runtime.budget):
                repredict(moved)
                trial.reasons += _check_timers(moved, changed, runtime)
                trial.reasons += _check_assignments(moved, target, runtime)
                if not trial.reasons:
                    next_due_at(moved)
        except Exception as err:  # noqa: BLE001 - the trial's failure is the reason
            trial.reasons.append(f"在第 {target.version} 版上恢复实例失败：{_describe(err)}")
    finally:
        current_clock.reset(token)
    if not trial.reasons:
        trial.moved = moved
    return trial


def trial_migration(
    row: ProcessInstance,
    source: LoadedDefinition,
    target: LoadedDefinition,
    changed: set[tuple[str, str]],
    *,
    runtime: Runtime,
    now: datetime,
) -> Trial:
    """Whether ``row`` can move onto ``target``; nothing is written."""
    if not _state_reasons(row, now) and fits_target(row.state_json, source, target):
        # Nothing blocks it before the target is tried: one restore (onto the target) does.
        fast = _try_on_target(row, target, changed, None, runtime=runtime, now=now)
        if fast is not None:
            return fast
    try:
        workflow = runtime.serializer.load_workflow(
            row.state_json, source.spec, source.subprocess_specs
        )
    except Exception as err:  # noqa: BLE001 - a damaged instance is reported, not fatal
        return Trial((), [f"实例状态无法读取：{_describe(err)}"])
    trial = Trial(current_elements(workflow), _state_reasons(row, now))
    missing = missing_elements(workflow, target)
    if missing:
        trial.reasons.append(f"第 {target.version} 版缺少实例用到的环节 {'、'.join(missing)}")
    if trial.reasons:
        return trial
    moved = _try_on_target(row, target, changed, trial.elements, runtime=runtime, now=now)
    assert moved is not None  # elements given: a failing restore is a reason, not None
    return moved


# -- planning --------------------------------------------------------------------------------
def _open_ids(source_id: int, county: str, session: Session) -> list[int]:
    return list(
        session.scalars(
            select(ProcessInstance.id)
            .where(
                ProcessInstance.county == county,
                ProcessInstance.definition_id == source_id,
                ProcessInstance.status != "completed",
            )
            .order_by(ProcessInstance.id)
        )
    )


def _pages(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


class Budget:
    """Wall time for one request's worth of work, on an injectable clock (tests step it).

    ``spent()`` is never true before ``done`` reaches ``least``: every bounded call makes
    progress, so "continue" always ends."""

    def __init__(
        self, seconds: float | None, *, timer: Callable[[], float] = time.monotonic
    ) -> None:
        if seconds is not None and not seconds >= 0:
            raise OperatorActionRefused(f"时间预算必须是非负的秒数（收到 {seconds}）")
        self.seconds = seconds
        self.timer = timer
        self.started = timer()

    def spent(self, done: int, least: int = 1) -> bool:
        if self.seconds is None or done < least:
            return False
        return self.timer() - self.started >= self.seconds


def migration_scope(
    process_key: str,
    from_version: int,
    to_version: int,
    *,
    runtime: Runtime,
    county: str,
    session: Session,
) -> tuple[MigrationPlan, list[int]]:
    """A plan that has examined no instance yet, and the open instances of the source.

    :raises OperatorActionRefused: same versions, or the target is withdrawn.
    :raises DefinitionNotFound: no such process or version.
    """
    versions = _versions(process_key, from_version, to_version, county=county, session=session)
    source = runtime.definitions.get(versions.source.id, session=session)
    target = runtime.definitions.get(versions.target.id, session=session)
    empty = MigrationPlan(
        process_key=process_key,
        from_version=from_version,
        to_version=to_version,
        from_definition_id=source.id,
        to_definition_id=target.id,
        movable=(),
        movable_by_element={},
        element_names=_element_names(source, target),
        blocked=(),
        changed_elements=changed_elements(source, target, runtime),
    )
    return empty, _open_ids(source.id, county, session)


def plan_migration(
    process_key: str,
    from_version: int,
    to_version: int,
    *,
    runtime: Runtime,
    county: str,
    now: datetime,
    session: Session,
    page_size: int = PAGE_SIZE,
    budget: Budget | None = None,
) -> MigrationPlan:
    """Which open instances of ``from_version`` can move to ``to_version``, and why not.

    Instances are read a page at a time; no more than one page of workflows is held. With a
    ``budget``, instances are examined until it is spent (at least one); the others are
    listed as ``unchecked``.

    :raises OperatorActionRefused: same versions, or the target is withdrawn.
    :raises DefinitionNotFound: no such process or version.
    """
    scope, open_ids = migration_scope(
        process_key, from_version, to_version, runtime=runtime, county=county, session=session
    )
    source = runtime.definitions.get(scope.from_definition_id, session=session)
    target = runtime.definitions.get(scope.to_definition_id, session=session)
    changed = changed_timers(source, target)
    movable: list[int] = []
    by_element: dict[str, int] = {}
    blocked: list[BlockedInstance] = []
    unchecked: list[int] = []
    for page in _pages(open_ids, page_size):
        if unchecked or (budget and budget.spent(len(movable) + len(blocked))):
            unchecked += page
            continue
        rows = session.scalars(
            select(ProcessInstance).where(ProcessInstance.id.in_(page)).order_by(ProcessInstance.id)
        ).all()
        for index, row in enumerate(rows):
            if budget and budget.spent(len(movable) + len(blocked)):
                unchecked += [r.id for r in rows[index:]]
                break
            trial = trial_migration(row, source, target, changed, runtime=runtime, now=now)
            if trial.reasons:
                blocked.append(
                    BlockedInstance(row.id, row.business_key, trial.elements, tuple(trial.reasons))
                )
                continue
            movable.append(row.id)
            for element in trial.elements or ("—",):
                by_element[element] = by_element.get(element, 0) + 1
        session.expunge_all()  # the page's rows (and their state) are not kept
    return replace(
        scope,
        movable=tuple(movable),
        movable_by_element=dict(sorted(by_element.items(), key=lambda kv: (-kv[1], kv[0]))),
        blocked=tuple(blocked),
        unchecked=tuple(unchecked),
    )


# -- moving one instance ---------------------------------------------------------------------
def migrate_one(
    instance_id: int,
    plan: MigrationPlan,
    *,
    runtime: Runtime,
    county: str,
    actor: str,
    now: datetime,
    session: Session,
) -> BlockedInstance | None:
    """Move one instance in the caller's transaction, checked again on its current state.

    :return: None when moved; why not when it can no longer move (nothing changed).
    """
    row = session.get(ProcessInstance, instance_id)
    if row is None or row.county != county:
        return BlockedInstance(instance_id, None, (), ("实例已不存在",))
    if row.definition_id != plan.from_definition_id:
        where = (
            "已迁移到目标版本" if row.definition_id == plan.to_definition_id else "已不在源版本上"
        )
        return BlockedInstance(instance_id, row.business_key, (), (f"实例{where}",))
    if row.status == "completed":
        return BlockedInstance(instance_id, row.business_key, (), ("实例已结束",))
    source = runtime.definitions.get(plan.from_definition_id, session=session)
    target = runtime.definitions.get(plan.to_definition_id, session=session)
    trial = trial_migration(
        row, source, target, _changed_timers_of(source, target), runtime=runtime, now=now
    )
    if trial.moved is None:
        return BlockedInstance(instance_id, row.business_key, trial.elements, tuple(trial.reasons))
    before_due = row.next_due_at
    row.definition_id = target.id
    row.state_json = runtime.serializer.dump_workflow(trial.moved)
    row.next_due_at = next_due_at(trial.moved)
    row.updated_at = now
    runtime.live_workflows.forget(row.id)
    _retitle_ready_tasks(trial.moved, target, session)
    record_event(
        county=county,
        at=now,
        actor=actor,
        action="instance.migrated",
        instance_id=row.id,
        detail={
            "process_key": plan.process_key,
            "from_version": plan.from_version,
            "to_version": plan.to_version,
            "from_definition_id": plan.from_definition_id,
            "to_definition_id": plan.to_definition_id,
            "next_due_at_before": before_due.isoformat() if before_due else None,
            "next_due_at": row.next_due_at.isoformat() if row.next_due_at else None,
        },
        session=session,
    )
    session.flush()  # the optimistic version check happens here, inside the transaction
    return None


# Built once: building and compiling the statement per task was a third of a move's cost.
_TASKS = HumanTask.__table__
_RETITLE = (
    update(_TASKS)
    .where(_TASKS.c.id == bindparam("task_id"), _TASKS.c.state == "ready")
    .values(title=bindparam("new_title"))
)


def _retitle_ready_tasks(moved: BpmnWorkflow, target: LoadedDefinition, session: Session) -> None:
    """Ready tasks keep their ids and who they are offered to; their title follows the target
    (a renamed task shows its new name in every task list)."""
    titles = []
    for task in moved.get_tasks(state=TaskState.READY, manual=True):
        meta = target.task_meta.get(element_id(task))
        title = (meta.title if meta else None) or task.task_spec.bpmn_name
        if title:
            titles.append({"task_id": str(task.id), "new_title": title})
    if titles:
        session.execute(_RETITLE, titles)


def record_run(
    result: MigrationResult, *, county: str, actor: str, now: datetime, session: Session
) -> None:
    """One audit event for the whole run (the per-instance events carry the detail)."""
    plan = result.plan
    record_event(
        county=county,
        at=now,
        actor=actor,
        action="definition.instances_migrated",
        detail={
            "process_key": plan.process_key,
            "from_version": plan.from_version,
            "to_version": plan.to_version,
            "dry_run": result.dry_run,
            "moved": len(result.moved),
            "refused": [b.instance_id for b in result.refused][:100],
            "blocked": len(plan.blocked),
            "remaining": len(result.remaining),
        },
        session=session,
    )


__all__ = [
    "BlockedInstance",
    "Budget",
    "MigrationPlan",
    "MigrationResult",
    "changed_elements",
    "changed_timers",
    "current_elements",
    "migrate_one",
    "migration_scope",
    "plan_migration",
    "recompute_timer",
    "record_run",
    "trial_migration",
]
