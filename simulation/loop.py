"""The discrete-event loop: arrivals and people's actions on the engine's virtual clock.

Before every event the clock moves forward, stopping wherever a timer falls due so that the
real sweep fires it on time; the instances a sweep or a step touched are planned again from
the human-task projection, exactly as a person's inbox would show them.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, Executable, Row, bindparam, exists, func, select

from engine import DEFAULT_COUNTY
from engine.complaints.desk import ComplaintDesk
from engine.complaints.intake import ComplaintReport, ReportRejected
from engine.complaints.models import Complaint, ComplaintStage
from engine.core.clock import VirtualClock
from engine.core.errors import EngineError
from engine.core.persistence.models import ProcessInstance
from rules import CHINA_TZ, ComplaintFacts, route_on
from simulation.arrivals import Arrival
from simulation.behaviour import Behaviour, CaseFacts
from simulation.collection import scheduled_collection

_FACTS = select(
    Complaint.primary_unit,
    Complaint.routing,
    Complaint.handle_due,
    Complaint.return_count,
    # A joint consultation's decision binds the units: nobody returns the case after it.
    exists().where(
        ComplaintStage.complaint_id == Complaint.id, ComplaintStage.stage == "consultation"
    ),
).where(Complaint.id == bindparam("b_id"))
_STATUS = select(ProcessInstance.status).where(ProcessInstance.id == bindparam("b_id"))
_NEXT_DUE = select(func.min(ProcessInstance.next_due_at))
# SpiffWorkflow fires a timer only once now is strictly after its due time.
_AFTER_DUE = timedelta(seconds=1)


@dataclass
class Case:
    arrival: Arrival
    complaint_id: int
    seen: dict[tuple[str, str], int] = field(default_factory=dict)
    planned: set[str] = field(default_factory=set)


@dataclass
class LoopStats:
    requests: int = 0
    rejected: int = 0
    steps: int = 0  # submits and task completions
    timers_fired: int = 0
    sweeps: int = 0
    skipped: int = 0  # planned actions whose task was gone (a timer moved the case on)
    open_cases_peak: int = 0
    # Steps that reused the instance's live workflow instead of restoring it from its row.
    live_workflow_hits: int = 0
    live_workflow_misses: int = 0


class SimulationLoop:
    def __init__(
        self,
        desk: ComplaintDesk,
        behaviour: Behaviour,
        clock: VirtualClock,
        *,
        county: str = DEFAULT_COUNTY,
    ) -> None:
        self.desk = desk
        self.host = desk.host
        self.behaviour = behaviour
        self.clock = clock
        self.county = county
        self.cases: dict[int, Case] = {}
        self.queue: list[tuple[datetime, int, int, str, str, dict, str]] = []
        self.seq = 0
        self._arrivals: Iterator[Arrival] | None = None
        self._pending: Arrival | None = None
        self.stats = LoopStats()
        self.bind = self.host.session_factory.kw["bind"]
        self._reader: Connection | None = None

    def _read(self, statement: Executable, params: dict | None = None) -> Row | None:
        """One read of the simulator's own (the clock, a case's facts), on a connection kept
        for the run: a connection per read cost more than the read (ADR 0023). The read's
        transaction ends at once, so the next read sees what the steps committed since."""
        if self._reader is None:
            self._reader = self.bind.connect()
        try:
            return self._reader.execute(statement, params or {}).first()
        finally:
            self._reader.rollback()

    # -- the dispatcher's reading of the catalog (reports without a matter) -----------------
    def true_route(self, arrival: Arrival) -> tuple[str, list[str]]:
        with self.host.session_factory() as session:
            catalogs = self.desk.catalogs.in_force(county=self.county, session=session)
        decision = route_on(
            ComplaintFacts(matter=arrival.matter_id, village=arrival.village_id),
            catalogs,
            arrival.at.date(),
        )
        if decision.primary is None:
            return arrival.township_id, []
        return decision.primary.id, [u.id for u in decision.supporting]

    # -- main loop -------------------------------------------------------------------------
    def run(
        self,
        arrivals: Iterator[Arrival],
        end: datetime,
        progress: Callable[[datetime, LoopStats], None] | None = None,
    ) -> LoopStats:
        """Play events until ``end``. May be called again with the same iterator and a later
        ``end`` to go on (benchmarks interleave other work between slices)."""
        if arrivals is not self._arrivals:
            self._arrivals, self._pending = arrivals, next(arrivals, None)
        try:
            with scheduled_collection() as event:
                self._run(arrivals, end, progress, event)
        finally:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
        live = self.host.runtime.live_workflows
        self.stats.live_workflow_hits, self.stats.live_workflow_misses = live.hits, live.misses
        return self.stats

    def _run(
        self,
        arrivals: Iterator[Arrival],
        end: datetime,
        progress: Callable[[datetime, LoopStats], None] | None,
        event: Callable[[], None],
    ) -> None:
        last_report = None
        while True:
            head = self.queue[0][0] if self.queue else None
            pending = self._pending
            if pending is not None and pending.at < end and (head is None or pending.at <= head):
                self._advance(pending.at)
                self._arrive(pending)
                self._pending = next(arrivals, None)
            elif head is not None and head < end:
                at, _, instance_id, task_id, _name, form, actor = heapq.heappop(self.queue)
                self._advance(at)
                self._act(instance_id, task_id, form, actor)
            else:
                break
            event()
            if progress is not None:
                month = self.clock.now().astimezone(CHINA_TZ).strftime("%Y-%m")
                if month != last_report:
                    last_report = month
                    progress(self.clock.now(), self.stats)
        self._advance(end)

    def _advance(self, at: datetime) -> None:
        """Move the clock to ``at``, sweeping at every earlier instant a timer falls due, as
        the scheduler's wake-up at the earliest due time does (ADR 0001): a timer fires one
        second after its due time, not at whatever event happens next."""
        while True:
            due = self._read(_NEXT_DUE)[0]
            if due is None or due + _AFTER_DUE > at:
                break
            self.clock.set(max(self.clock.now(), due + _AFTER_DUE))
            if not self._sweep():
                break  # due but not claimable (a failing timer in back-off): go on
        if at > self.clock.now():
            self.clock.set(at)

    def _sweep(self) -> int:
        result = self.host.sweep(self.clock.now())
        self.stats.sweeps += 1
        self.stats.timers_fired += result.fired
        for instance_id in result.instance_ids:
            self._plan(instance_id)
        return result.claimed

    def _arrive(self, arrival: Arrival) -> None:
        if arrival.channel == "grid":
            extra = {
                "grid_worker": f"gw-{arrival.grid_id}",
                "reporter_name": "群众",
                "consent": True,
            }
        else:
            extra = {"reporter_account": f"sim-{arrival.index}"}
        report = ComplaintReport(
            channel=arrival.channel,
            village_id=arrival.village_id,
            grid_id=arrival.grid_id,
            matter_id=arrival.matter_id if arrival.matter_chosen else None,
            description=arrival.description,
            **extra,
        )
        try:
            submitted = self.desk.submit(report, actor=f"sim:reporter:{arrival.index}")
        except ReportRejected:
            self.stats.rejected += 1
            return
        self.stats.requests += 1
        self.stats.steps += 1
        self.cases[submitted.instance_id] = Case(arrival, submitted.complaint_id)
        self.stats.open_cases_peak = max(self.stats.open_cases_peak, len(self.cases))
        self._plan(submitted.instance_id)

    def _act(self, instance_id: int, task_id: str, form: dict, actor: str) -> None:
        case = self.cases.get(instance_id)
        if case is None:
            self.stats.skipped += 1
            return
        case.planned.discard(task_id)
        try:
            self.host.complete_task(task_id, form, actor=actor)
        except EngineError:
            self.stats.skipped += 1  # the task ended meanwhile (a timer took the case on)
            return
        self.stats.steps += 1
        self._plan(instance_id)

    def _plan(self, instance_id: int) -> None:
        case = self.cases.get(instance_id)
        if case is None:
            return
        ready = self.host.ready_tasks(instance_id=instance_id, county=self.county)
        if not ready:
            found = self._read(_STATUS, {"b_id": instance_id})
            status = found[0] if found is not None else None
            if status != "running":
                del self.cases[instance_id]
            return
        # A deterministic order: several tasks of one step share their creation instant, and
        # their ids are random UUIDs.
        ready.sort(key=lambda t: (t.task_name, ",".join(t.candidate_groups)))
        facts = None
        now = self.clock.now()
        for task in ready:
            if task.id in case.planned:
                continue
            case.planned.add(task.id)
            group = ",".join(task.candidate_groups)
            key = (task.task_name, group)
            n = case.seen.get(key, 0)
            case.seen[key] = n + 1
            if facts is None:
                facts = self._facts(case.complaint_id)
            decision = self.behaviour.decide(case.arrival, task.task_name, group, n, now, facts)
            if decision is None:
                continue
            at = max(decision.at, now + timedelta(seconds=1))
            self.seq += 1
            heapq.heappush(
                self.queue,
                (at, self.seq, instance_id, task.id, task.task_name, decision.form, decision.actor),
            )
        # Forget tasks that are no longer ready (long listed cases loop for months).
        case.planned &= {t.id for t in ready}

    def _facts(self, complaint_id: int) -> CaseFacts:
        row = self._read(_FACTS, {"b_id": complaint_id})
        return CaseFacts(*row)
