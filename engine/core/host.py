"""The workflow host: the engine's public face for the web app, workers and the CLI.

Each method is one step in its own transaction (with retries on lost races); code that
must combine a step with its own writes calls the session-level functions in
:mod:`engine.core.instances` inside its own transaction instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from engine.core import instances
from engine.core.audit import record_event
from engine.core.clock import Clock
from engine.core.definition_store import store_definition
from engine.core.definitions import called_process_ids, parse_definition, process_ids
from engine.core.errors import InstanceNotFound
from engine.core.instance_rows import load_instance
from engine.core.instance_state import workflow_view
from engine.core.persistence.models import HumanTask, ProcessInstance
from engine.core.runtime import Runtime
from engine.core.scripting import ServiceOperation
from engine.core.tenancy import DEFAULT_COUNTY
from engine.core.timers import SweepResult, sweep
from engine.core.transactions import run_step
from engine.core.version_rollback import reinstate_definition


@dataclass(frozen=True)
class Deployment:
    definition_id: int
    process_key: str
    version: int
    content_hash: str
    created: bool
    # The content was deployed before and withdrawn since: deploying it again reinstated it.
    reinstated: bool = False


@dataclass(frozen=True)
class TaskView:
    id: str
    instance_id: int
    task_name: str
    title: str
    lane: str | None
    candidate_groups: list[str]
    assignee: str | None
    state: str
    created_at: datetime


_task = HumanTask.__table__
_TASK_VIEW_COLUMNS = (
    _task.c.id,
    _task.c.instance_id,
    _task.c.task_name,
    _task.c.title,
    _task.c.lane,
    _task.c.candidate_groups,
    _task.c.assignee,
    _task.c.state,
    _task.c.created_at,
)
_READY_TASKS = (
    select(*_TASK_VIEW_COLUMNS)
    .where(_task.c.county == bindparam("b_county"), _task.c.state == "ready")
    .order_by(_task.c.created_at, _task.c.id)
)
# One instance's tasks are found through its instance index. With the county in the WHERE
# clause as well, SQLite (which keeps no statistics) prefers the (county, state, ...) queue
# index and reads every ready task of the county: each step then cost more with every open
# case. The county is checked on the few rows found instead.
_READY_TASKS_OF_INSTANCE = (
    select(*_TASK_VIEW_COLUMNS, _task.c.county)
    .where(_task.c.instance_id == bindparam("b_instance"), _task.c.state == "ready")
    .order_by(_task.c.created_at, _task.c.id)
)


def called_documents(path: Path) -> tuple[bytes, ...]:
    """The other ``.bpmn`` files beside ``path`` that define processes it calls."""
    others = {p: p.read_bytes() for p in sorted(path.parent.glob("*.bpmn")) if p != path}
    wanted = called_process_ids(path.read_bytes())
    chosen: dict[Path, bytes] = {}
    while True:
        found = {
            p: xml for p, xml in others.items() if p not in chosen and process_ids(xml) & wanted
        }
        if not found:
            return tuple(chosen.values())
        chosen.update(found)
        for xml in found.values():
            wanted |= called_process_ids(xml)


class WorkflowHost:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Clock,
        *,
        functions: Mapping[str, Callable[..., Any]] | None = None,
        services: Mapping[str, ServiceOperation] | None = None,
        max_timer_attempts: int = 3,
    ) -> None:
        self.session_factory = session_factory
        self.runtime = Runtime(
            clock=clock,
            functions=dict(functions or {}),
            services=dict(services or {}),
            max_timer_attempts=max_timer_attempts,
        )

    @property
    def bind(self) -> Engine:
        """The database engine the host's sessions use (health checks, maintenance)."""
        engine: Engine = self.session_factory.kw["bind"]
        return engine

    @property
    def clock(self) -> Clock:
        return self.runtime.clock

    def on_clock(self, clock: Clock) -> WorkflowHost:
        """A host on the same database reading ``clock`` (a story replayed on a virtual
        clock). It starts with a fresh runtime: desks built on it register themselves."""
        return WorkflowHost(self.session_factory, clock)

    # -- definitions ---------------------------------------------------------------------
    def deploy(
        self,
        bpmn_xml: str | bytes,
        dmn_xmls: tuple[str | bytes, ...] = (),
        *,
        process_key: str | None = None,
        source_name: str = "upload.bpmn",
        called_bpmn: tuple[str | bytes, ...] = (),
        actor: str,
        county: str = DEFAULT_COUNTY,
        also: Callable[[Session, Deployment], None] | None = None,
    ) -> Deployment:
        """Validate and store a new immutable version (or return the identical one).

        This stores without the deploy gate (bootstrap, demo, tests); designers and the CLI
        deploy through :func:`engine.core.deploy_gate.deploy_gated`.

        :param also: writes of the caller's own (an audited override) that must commit or
            fail together with the deployment.
        :raises DefinitionInvalid: listing every problem; nothing is stored.
        """
        parsed = parse_definition(
            bpmn_xml,
            dmn_xmls,
            process_key=process_key,
            source_name=source_name,
            called_bpmn=called_bpmn,
            services=self.runtime.services.keys() if self.runtime.services else None,
        )
        now = self.clock.now()

        def step(session: Session) -> Deployment:
            row, created = store_definition(
                parsed,
                serializer=self.runtime.serializer,
                county=county,
                actor=actor,
                now=now,
                session=session,
            )
            row.source_name = source_name if created else row.source_name
            reinstated = not created and row.withdrawn_at is not None
            if reinstated:
                reinstate_definition(row, actor=actor, now=now, session=session)
            if created:
                record_event(
                    county=county,
                    at=now,
                    actor=actor,
                    action="definition.deployed",
                    detail={
                        "process_key": row.process_key,
                        "version": row.version,
                        "content_hash": row.content_hash,
                        "source": source_name,
                    },
                    session=session,
                )
            deployment = Deployment(
                row.id, row.process_key, row.version, row.content_hash, created, reinstated
            )
            if also is not None:
                also(session, deployment)
            return deployment

        for _ in range(3):  # two deployers racing for the same next version number
            try:
                return run_step(self.session_factory, step)
            except IntegrityError:
                continue
        return run_step(self.session_factory, step)

    def deploy_file(
        self,
        path: str | Path,
        *,
        actor: str,
        county: str = DEFAULT_COUNTY,
        process_key: str | None = None,
    ) -> Deployment:
        """Deploy ``path`` with the ``.dmn`` files beside it and the ``.bpmn`` files there
        that define the processes its call activities call (transitively)."""
        path = Path(path)
        main = path.read_bytes()
        dmns = tuple(p.read_bytes() for p in sorted(path.parent.glob("*.dmn")))
        return self.deploy(
            main,
            dmns,
            process_key=process_key,
            source_name=path.name,
            called_bpmn=called_documents(path),
            actor=actor,
            county=county,
        )

    # -- instances -----------------------------------------------------------------------
    def start(
        self,
        process_key: str,
        data: dict[str, Any] | None = None,
        *,
        actor: str,
        county: str = DEFAULT_COUNTY,
        business_key: str | None = None,
    ) -> int:
        def step(session: Session) -> int:
            row = instances.start_instance(
                process_key,
                dict(data or {}),
                runtime=self.runtime,
                now=self.clock.now(),
                actor=actor,
                county=county,
                business_key=business_key,
                session=session,
            )
            return row.stored_id

        instance_id = run_step(self.session_factory, step)
        self.notify_due(instance_id)
        return instance_id

    def complete_task(
        self,
        task_id: str,
        form: dict[str, Any] | None = None,
        *,
        actor: str,
        groups: frozenset[str] | None = None,
    ) -> int:
        """Complete a task; see :func:`engine.core.instances.complete_task` for the errors."""

        def step(session: Session) -> int:
            row = instances.complete_task(
                task_id,
                dict(form or {}),
                runtime=self.runtime,
                now=self.clock.now(),
                actor=actor,
                session=session,
                groups=groups,
            )
            return row.stored_id

        instance_id = run_step(self.session_factory, step)
        self.notify_due(instance_id)
        return instance_id

    def ready_tasks(
        self,
        *,
        instance_id: int | None = None,
        lane: str | None = None,
        group: str | None = None,
        county: str = DEFAULT_COUNTY,
    ) -> list[TaskView]:
        # A plain connection: an ORM session costs as much as the query for this hot read.
        with self.bind.connect() as connection:
            stmt = _READY_TASKS
            params: dict[str, Any] = {"b_county": county}
            if instance_id is not None:
                stmt = _READY_TASKS_OF_INSTANCE
                params["b_instance"] = instance_id
            if lane is not None:
                stmt = stmt.where(_task.c.lane == lane)
            found = connection.execute(stmt, params).all()
        rows: Sequence[Sequence[Any]] = found
        if instance_id is not None:
            rows = [row[:-1] for row in found if row.county == county]
        views = [TaskView(*row) for row in rows]
        if group is not None:
            views = [v for v in views if group in v.candidate_groups]
        return views

    def instance(self, instance_id: int) -> ProcessInstance:
        with self.session_factory() as session:
            row = session.get(ProcessInstance, instance_id)
            if row is None:
                raise InstanceNotFound(f"流程实例 {instance_id} 不存在")
            return row

    def instance_data(self, instance_id: int) -> dict[str, Any]:
        """The current process variables (see :func:`engine.core.instance_state.workflow_view`)."""
        with self.session_factory() as session:
            record = load_instance(instance_id, session=session)
            if record is None:
                raise InstanceNotFound(f"流程实例 {instance_id} 不存在")
            workflow, _ = instances.load_workflow(record, self.runtime, session=session)
        return workflow_view(workflow) or dict(workflow.data)

    # -- timers ---------------------------------------------------------------------------
    def sweep(
        self,
        now: datetime | None = None,
        *,
        worker_id: str = "worker",
        batch_size: int = 200,
        max_instances: int | None = None,
    ) -> SweepResult:
        return sweep(
            self.runtime,
            self.session_factory,
            now=now,
            worker_id=worker_id,
            batch_size=batch_size,
            max_instances=max_instances,
        )

    def notify_due(self, instance_id: int) -> None:
        """Tell due-time listeners (the scheduler's wake-up) about the instance's next timer."""
        if not self.runtime.due_listeners:
            return
        with self.session_factory() as session:
            due = session.scalar(
                select(ProcessInstance.next_due_at).where(ProcessInstance.id == instance_id)
            )
        if due is not None:
            self.runtime.notify_due(due)
