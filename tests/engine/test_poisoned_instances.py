"""A designer's mistake must never stop the county (issue 16).

One test per hazard a careless diagram can carry — ``while True: pass`` in a script, the
condition ``sum(range(10**12)) > 0``, the script ``r = 10 ** (10 ** 8) > 0``, the timer
``'PT' + str(sum(range(10**12))) + 'S'`` and a timer of ``"P99999999999Y"`` — wherever it
sits: first thing after the start, after a user task, after a timer. Each ends in a
validation result or, at run time, in :class:`StepFailed` within the budget, naming the
element, changing nothing, and one open incident counting its occurrences. A poisoned timer
backs off, is parked after three attempts and never wakes the scheduler in a loop.

Every step runs under :func:`bounded`: a hang is a failure here, not a stalled test run.
Then the county goes on: 50 complaints reported and signed for while a poisoned instance
exists, on PostgreSQL with two worker processes sweeping (the SQLite server with its
scheduler is ``tests/web/test_poisoned_server.py``).
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select

from engine import StepFailed, VirtualClock, WorkflowHost
from engine.catalog_store import seed_versions
from engine.complaints.desk import ComplaintDesk
from engine.complaints.models import Complaint
from engine.core.deploy_gate import deploy_gated
from engine.core.host import called_documents
from engine.core.persistence import make_engine, make_session_factory
from engine.core.persistence.models import (
    AuditEvent,
    HumanTask,
    Incident,
    ProcessDefinition,
    ProcessInstance,
)
from engine.core.problems import DefinitionInvalid
from engine.core.timers import earliest_due
from engine.core.transactions import run_step
from engine.core.version_rollback import roll_back_process
from engine.scheduler import TimerScheduler
from tests.engine.complaints.conftest import BPMN_DIR
from tests.engine.complaints.helpers import do, report

T = TypeVar("T")

# A hang is measured, not speed: the budget is 200 ms of CPU, these bounds are generous.
STEP_BOUND_S = 10.0
MAJIAYING = "xiguocheng-002"  # D07-07 there goes to the water supply centre to sign for
SECOND = timedelta(seconds=1)
YEARS = "99999999999"

# name -> (element kind, the poisoned code, what StepFailed.kind says)
HAZARDS: dict[str, tuple[str, str, str]] = {
    "while_true": ("script", "while True: pass", "budget_exceeded"),
    "sum_condition": ("condition", "sum(range(10**12)) &gt; 0", "budget_exceeded"),
    "huge_power": ("script", "r = 10 ** (10 ** 8) &gt; 0", "budget_exceeded"),
    "sum_timer": ("timer", "'PT' + str(sum(range(10**12))) + 'S'", "budget_exceeded"),
    # The literal "P99999999999Y" is refused at deploy (below); computed, it reaches run time.
    "centuries_timer": ("timer", "'P' + years + 'Y'", "timer_value"),
}


def bounded(call: Callable[[], T], seconds: float = STEP_BOUND_S) -> tuple[T, float]:
    """``call()`` and its wall-clock time; a call still running after ``seconds`` fails the
    test instead of hanging it (its thread is left behind as a daemon)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as err:  # noqa: BLE001 - handed back to the test's thread
            outcome["error"] = err

    started = time.monotonic()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    elapsed = time.monotonic() - started
    assert not worker.is_alive(), f"still running after {seconds} s: it hangs"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"], elapsed


def bounded_failure(call: Callable[[], object]) -> StepFailed:
    """The :class:`StepFailed` ``call()`` raises within the bound."""

    def expect() -> StepFailed:
        with pytest.raises(StepFailed) as caught:
            call()
        return caught.value

    failure, _ = bounded(expect)
    return failure


# -- diagrams -----------------------------------------------------------------------------


def _hazard(name: str) -> str:
    """The hazard as the element ``poison``, flowing on to the end event ``end``."""
    element, code, _kind = HAZARDS[name]
    if element == "script":
        return f"""
    <bpmn:scriptTask id="poison" name="中毒脚本"><bpmn:script>{code}</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="f_out" sourceRef="poison" targetRef="end"/>"""
    if element == "condition":
        return f"""
    <bpmn:exclusiveGateway id="poison" name="中毒条件" default="f_other"/>
    <bpmn:sequenceFlow id="f_out" sourceRef="poison" targetRef="end">
      <bpmn:conditionExpression>{code}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f_other" sourceRef="poison" targetRef="end"/>"""
    return f"""
    <bpmn:intermediateCatchEvent id="poison" name="中毒定时器">
      <bpmn:timerEventDefinition><bpmn:timeDuration>{code}</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f_out" sourceRef="poison" targetRef="end"/>"""


# Where the hazard sits: what runs it is the start, a user's step, or the timer sweep.
_BEFORE = {
    "start": "",
    "task": """
    <bpmn:userTask id="sign_for" name="签收" camunda:candidateGroups="unit:cgj"/>
    <bpmn:sequenceFlow id="f_task" sourceRef="sign_for" targetRef="poison"/>""",
    "timer": """
    <bpmn:intermediateCatchEvent id="wait" name="等一秒">
      <bpmn:timerEventDefinition><bpmn:timeDuration>"PT1S"</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f_wait" sourceRef="wait" targetRef="poison"/>""",
}
_FIRST = {"start": "poison", "task": "sign_for", "timer": "wait"}


def poisoned_diagram(hazard: str, where: str, process_key: str = "poisoned") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="{process_key}" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f_start" sourceRef="start" targetRef="{_FIRST[where]}"/>{_BEFORE[where]}{_hazard(hazard)}
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>"""


def healthy_diagram() -> str:
    """A timer due in one second, then a unit signs for: what the county does all day."""
    return """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="h" targetNamespace="t">
  <bpmn:process id="healthy" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
    <bpmn:intermediateCatchEvent id="wait" name="等一秒">
      <bpmn:timerEventDefinition><bpmn:timeDuration>"PT1S"</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="sign_for"/>
    <bpmn:userTask id="sign_for" name="签收" camunda:candidateGroups="unit:cgj"/>
    <bpmn:sequenceFlow id="f3" sourceRef="sign_for" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>"""


# -- reading the database -----------------------------------------------------------------


def incidents(host: WorkflowHost) -> list[Incident]:
    with host.session_factory() as session:
        return list(session.scalars(select(Incident).order_by(Incident.id)))


def counts(host: WorkflowHost) -> dict[str, int]:
    with host.session_factory() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (ProcessInstance, HumanTask, AuditEvent, Complaint)
        }


def wake_at(host: WorkflowHost) -> datetime | None:
    with host.session_factory() as session:
        return earliest_due(session=session)


def start_poisoned(host: WorkflowHost) -> int:
    return host.start("poisoned", {"years": YEARS}, actor="resident:1")


# -- validation ---------------------------------------------------------------------------


def test_the_literal_centuries_timer_is_a_validation_result_naming_the_timer(host):
    xml = poisoned_diagram("centuries_timer", "timer").replace(
        "'P' + years + 'Y'", '"P99999999999Y"'
    )
    with pytest.raises(DefinitionInvalid) as refused:
        bounded(lambda: host.deploy(xml, actor="designer"))
    (problem,) = refused.value.problems
    assert (problem.code, problem.element_id) == ("timer-value", "poison")
    assert "P99999999999Y" in problem.message and "10 年" in problem.message
    with host.session_factory() as session:
        assert session.scalar(select(func.count(ProcessDefinition.id))) == 0


@pytest.mark.parametrize("hazard", HAZARDS)
def test_every_hazard_deploys_and_is_caught_at_run_time_instead(host, hazard):
    """Only literal timer values can be judged before running; the rest are caught by the
    budget at run time (the deploy gate replays complaint versions: test_deploy_gate.py)."""
    deployment, _ = bounded(lambda: host.deploy(poisoned_diagram(hazard, "start"), actor="d"))
    assert deployment.created


# -- run time: the start and a user's step ------------------------------------------------


@pytest.mark.parametrize("hazard", HAZARDS)
def test_a_poisoned_start_fails_at_once_changes_nothing_and_is_one_counted_incident(host, hazard):
    deployment = host.deploy(poisoned_diagram(hazard, "start"), actor="designer")
    before = counts(host)

    failure = bounded_failure(lambda: start_poisoned(host))
    assert (failure.element_id, failure.kind) == ("poison", HAZARDS[hazard][2])
    assert "poison" in str(failure) and "未生效" in str(failure)
    assert counts(host) == before  # no instance, no task, no audit row: nothing half-made

    (incident,) = incidents(host)
    assert (incident.instance_id, incident.definition_id) == (None, deployment.definition_id)
    assert (incident.element_id, incident.kind) == ("poison", HAZARDS[hazard][2])
    assert "新建流程实例时" in incident.message and "poison" in incident.message
    assert incident.id == failure.incident_id

    # A resident who tries again meets the same fault: counted, not a second incident.
    again = bounded_failure(lambda: start_poisoned(host))
    assert again.incident_id == incident.id
    (incident,) = incidents(host)
    assert incident.detail["occurrences"] == 2
    assert counts(host) == before


@pytest.mark.parametrize("hazard", HAZARDS)
def test_a_poisoned_step_after_a_user_task_leaves_the_task_ready(host, hazard):
    host.deploy(poisoned_diagram(hazard, "task"), actor="designer")
    iid = start_poisoned(host)
    (task,) = host.ready_tasks(instance_id=iid)
    version = host.instance(iid).version
    before = counts(host)

    for attempt in (1, 2, 3):
        failure = bounded_failure(lambda: host.complete_task(task.id, {}, actor="staff:cgj"))
        assert (failure.element_id, failure.kind, failure.instance_id) == (
            "poison",
            HAZARDS[hazard][2],
            iid,
        )
        (incident,) = incidents(host)
        assert incident.detail["occurrences"] == attempt

    # The unit's task is still there to do once the diagram is fixed; nothing moved.
    assert [t.id for t in host.ready_tasks(instance_id=iid)] == [task.id]
    row = host.instance(iid)
    assert (row.version, row.status) == (version, "running")
    assert counts(host) == before
    assert (incident.instance_id, incident.element_id) == (iid, "poison")


# -- run time: the timer sweep ------------------------------------------------------------


@pytest.mark.parametrize("hazard", HAZARDS)
def test_a_poisoned_timer_backs_off_is_parked_after_three_attempts_and_never_spins(
    host, clock, hazard
):
    host.deploy(poisoned_diagram(hazard, "timer"), actor="designer")
    host.deploy(healthy_diagram(), actor="designer")
    t0 = clock.now()
    iid = start_poisoned(host)
    healthy = [host.start("healthy", {}, actor="resident:2") for _ in range(3)]
    assert host.instance(iid).next_due_at == t0 + SECOND
    state = host.instance(iid).state_json

    now = t0 + 2 * SECOND
    backoffs = []
    for attempt in (1, 2, 3):
        result, _ = bounded(lambda now=now: host.sweep(now, worker_id="w"))
        assert result.failed == 1, f"attempt {attempt}: {result}"
        row = host.instance(iid)
        # Counted, and the workflow's state is exactly as before: the firing rolled back.
        assert row.timer_failures == attempt and row.state_json == state
        if attempt == 1:
            # The healthy timers due at the same instant fired in the very same sweep.
            assert result.fired == len(healthy)
            assert all(host.ready_tasks(instance_id=h) for h in healthy)
        if attempt < 3:
            assert result.incidents == 0 and not incidents(host)
            backoff = row.lock_expires_at - now
            backoffs.append(backoff)
            # Backed off: an immediate sweep claims nothing, and the scheduler's next wake-up
            # is the end of the back-off, never the past due time (a hot loop).
            assert host.sweep(now + SECOND, worker_id="w").claimed == 0
            assert wake_at(host) == row.lock_expires_at > now
            assert host.sweep(row.lock_expires_at, worker_id="w").claimed == 0
            now = row.lock_expires_at + SECOND
        else:
            assert result.incidents == 1
    assert backoffs == [timedelta(seconds=60), timedelta(seconds=120)]

    (incident,) = incidents(host)
    assert (incident.instance_id, incident.kind, incident.element_id) == (
        iid,
        "timer_failed",
        "poison",
    )
    assert "3 次" in incident.message and "poison" in incident.message
    assert incident.detail["cause"] == HAZARDS[hazard][2]
    row = host.instance(iid)
    assert (row.status, row.next_due_at, row.timer_failures) == ("running", None, 3)
    assert row.state_json == state
    assert wake_at(host) is None  # parked: nothing left to wake up for
    assert host.sweep(now + timedelta(days=365), worker_id="w").claimed == 0
    # Nothing half-applied: the instance still waits at its timer, as before the sweeps.
    assert host.instance_data(iid) == {"years": YEARS}


def test_the_scheduler_wakes_at_the_end_of_the_back_off_not_in_a_loop(host, clock):
    host.deploy(poisoned_diagram("while_true", "timer"), actor="designer")
    scheduler = TimerScheduler(host, interval_s=30, worker_id="test")
    scheduler.start(paused=True)
    try:
        iid = start_poisoned(host)
        assert scheduler.planned_wake - clock.now() < 2 * SECOND
        clock.advance(2 * SECOND)
        bounded(scheduler.sweep_now)
        assert host.instance(iid).timer_failures == 1
        # Without the back-off in earliest_due this would be "now": a sweep, a failure
        # skipped, a wake-up at once, for the next minute.
        assert scheduler.planned_wake >= clock.now() + timedelta(seconds=59)
    finally:
        scheduler.shutdown()


# -- the complaint story ------------------------------------------------------------------

COMPLAINT = (BPMN_DIR / "complaint.bpmn").read_text(encoding="utf-8")
INIT_FIRST_LINE = "<bpmn:script>return_count = 0\n"
DMNS = tuple(p.read_bytes() for p in sorted(BPMN_DIR.glob("*.dmn")))


def never_ending_init() -> str:
    """complaint.bpmn with ``while True: pass`` run first in its ``init`` script task."""
    assert INIT_FIRST_LINE in COMPLAINT
    return COMPLAINT.replace(INIT_FIRST_LINE, "<bpmn:script>while True: pass\nreturn_count = 0\n")


@pytest.fixture
def desk(host, clock, shipped_catalogs) -> ComplaintDesk:
    run_step(
        host.session_factory,
        lambda s: seed_versions(
            shipped_catalogs, county="julu", actor="test", now=clock.now(), session=s
        ),
    )
    host.deploy_file(BPMN_DIR / "complaint.bpmn", actor="designer")
    return ComplaintDesk(host)


def test_a_never_ending_init_answers_at_once_and_a_rollback_takes_reports_again(desk):
    host = desk.host
    first = report(desk, "D07-07", MAJIAYING)
    # The gate replays the first complaint on it and refuses it, naming init, in bounded
    # time; a designer overrides it: the version new reports start on.
    (broken, rehearsal), _ = bounded(
        lambda: deploy_gated(
            host,
            never_ending_init(),
            DMNS,
            source_name="complaint.bpmn",
            called_bpmn=called_documents(BPMN_DIR / "complaint.bpmn"),
            actor="designer",
            override_reason="演练：确认平台能扛住设计错误",
        )
    )
    assert broken.version == 2 and rehearsal.failed_elements() == ["init"]
    before = counts(host)

    failure = bounded_failure(lambda: report(desk, "D07-07", MAJIAYING, description="停水"))
    assert (failure.element_id, failure.kind) == ("init", "budget_exceeded")
    assert "“init”环节出错" in str(failure) and "超出预算" in str(failure)
    assert counts(host) == before  # no complaint row, no instance: the report left no trace
    bounded_failure(lambda: report(desk, "D07-07", MAJIAYING, description="又停水"))
    (incident,) = incidents(host)
    assert (incident.definition_id, incident.element_id, incident.instance_id) == (
        broken.definition_id,
        "init",
        None,
    )
    assert incident.detail["occurrences"] == 2

    # Complaints already running on version 1 go on meanwhile.
    do(desk, first, "sign_for", {"decision": "accept"}, actor="staff:water")
    assert desk.complaint(first.complaint_id).stage == "handling"

    withdrawal = run_step(
        host.session_factory,
        lambda s: roll_back_process(
            "complaint", county="julu", actor="ops:li", now=host.clock.now(), session=s
        ),
    )
    assert (withdrawal.withdrawn_version, withdrawal.current_version) == (2, 1)
    again, elapsed = bounded(lambda: report(desk, "D07-07", MAJIAYING, description="停水"))
    assert elapsed < STEP_BOUND_S
    assert host.instance(again.instance_id).definition_id == withdrawal.current_definition_id
    do(desk, again, "sign_for", {"decision": "accept"}, actor="staff:water")
    assert desk.complaint(again.complaint_id).stage == "handling"


# -- PostgreSQL: two workers sweep while the county works ---------------------------------


def sweep_loop(url: str, now: Any, sweeps: Any, stop: Any, results: Any, worker_id: str) -> None:
    """A worker process: sweep at the shared virtual instant until told to stop."""
    host = WorkflowHost(
        make_session_factory(make_engine(url)), VirtualClock(datetime.fromtimestamp(0, UTC))
    )
    ComplaintDesk(host)  # the complaint services its timers' scripts call, as `juhaoban worker`
    totals = {"sweeps": 0, "claimed": 0, "fired": 0, "failed": 0, "incidents": 0}
    while not stop.is_set():
        instant = datetime.fromtimestamp(now.value, UTC)
        host.clock.set(instant)
        result = host.sweep(instant, worker_id=worker_id, batch_size=10)
        totals["sweeps"] += 1
        with sweeps.get_lock():
            sweeps.value += 1
        for key in ("claimed", "fired", "failed", "incidents"):
            totals[key] += getattr(result, key)
        stop.wait(0.02)  # the scheduler's interval, shortened
    results.put((worker_id, totals))


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_workers_on_postgresql_park_the_poison_while_fifty_complaints_go_on(
    database_url, desk, clock
):
    host = desk.host
    host.deploy(poisoned_diagram("while_true", "timer"), actor="designer")
    host.deploy(healthy_diagram(), actor="designer")
    t0 = clock.now()
    poisoned = start_poisoned(host)
    healthy = [host.start("healthy", {}, actor="resident:2") for _ in range(10)]

    ctx = multiprocessing.get_context("spawn")
    now = ctx.Value("d", (t0 + 2 * SECOND).timestamp())
    sweeps = ctx.Value("i", 0)
    stop, results = ctx.Event(), ctx.Queue()
    workers = [
        ctx.Process(target=sweep_loop, args=(database_url, now, sweeps, stop, results, f"w{n}"))
        for n in range(2)
    ]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    try:

        def poll(what: str, done: Callable[[], bool], seconds: float = 60) -> None:
            deadline = time.monotonic() + seconds
            while not done():
                assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
                assert all(w.is_alive() for w in workers), "a worker died"
                time.sleep(0.05)

        def failures() -> int:
            return host.instance(poisoned).timer_failures

        poll("the healthy timers", lambda: all(host.ready_tasks(instance_id=h) for h in healthy))
        poll("the first failure", lambda: failures() == 1)

        def retry_poison() -> None:
            """Move the workers' instant past the poison's back-off: they retry it now,
            while the complaints below go on."""
            lock = host.instance(poisoned).lock_expires_at
            now.value = (lock + SECOND).timestamp()

        # 50 complaints reported and signed for while the poisoned instance exists; the
        # workers retry it twice meanwhile (each attempt holds its row for 200 ms of CPU).
        clock.set(t0 + 2 * SECOND)
        submitted = []
        for n in range(50):
            if n == 20:
                # The workers swept at the same instant all along: no second attempt.
                assert failures() == 1
                retry_poison()
            if n == 35:
                poll("attempt 2", lambda: failures() == 2)
                retry_poison()
            sub, _ = bounded(
                lambda n=n: report(desk, "D07-07", MAJIAYING, description=f"路面塌陷 {n}")
            )
            submitted.append(sub)
            bounded(
                lambda sub=sub: do(
                    desk, sub, "sign_for", {"decision": "accept"}, actor="staff:water"
                )
            )
        for h in healthy:
            (task,) = host.ready_tasks(instance_id=h)
            host.complete_task(task.id, {}, actor="staff:cgj")
        poll("attempt 3", lambda: failures() == 3)
        poll("the incident", lambda: any(i.kind == "timer_failed" for i in incidents(host)))
        # Far into the future: parked, it is never claimed again.
        now.value = (t0 + timedelta(days=1)).timestamp()
        swept = sweeps.value
        poll("more sweeps", lambda: sweeps.value >= swept + 20)
    finally:
        stop.set()
        for worker in workers:
            worker.join(30)
    elapsed = time.monotonic() - started
    assert all(w.exitcode == 0 for w in workers), "a worker hung or crashed"
    totals = dict(results.get(timeout=5) for _ in workers)
    print(f"two workers: {elapsed:.1f} s, {totals}")

    assert sum(t["failed"] for t in totals.values()) == 3  # exactly three attempts in all
    assert sum(t["fired"] for t in totals.values()) == len(healthy)
    (incident,) = incidents(host)
    assert (incident.instance_id, incident.kind, incident.element_id) == (
        poisoned,
        "timer_failed",
        "poison",
    )
    row = host.instance(poisoned)
    assert (row.timer_failures, row.next_due_at, row.status) == (3, None, "running")

    with host.session_factory() as session:
        complaints = session.execute(select(Complaint.id, Complaint.stage)).all()
        statuses = dict(
            session.execute(
                select(ProcessInstance.status, func.count())
                .where(ProcessInstance.id.in_(healthy))
                .group_by(ProcessInstance.status)
            ).all()
        )
    assert sorted(c.id for c in complaints) == sorted(s.complaint_id for s in submitted)
    assert {c.stage for c in complaints} == {"handling"}
    assert statuses == {"completed": len(healthy)}


def test_bounded_fails_a_hang_instead_of_hanging():
    release = threading.Event()
    with pytest.raises(AssertionError, match="hangs"):
        bounded(lambda: release.wait(5), seconds=0.05)
    release.set()
