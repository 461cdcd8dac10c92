"""Engine benchmarks; prints one JSON object.

(a) ``lifecycle_ratio``: one complaint's life through the engine (start, three task
    completions, SQLite persistence, projections, audit) divided by bare SpiffWorkflow running
    the same diagram with a full serialize/deserialize at each step — measured interleaved in
    the same run, so machine drift cancels out.
(b) ``empty_sweep_ms``: a sweep when nothing is due, with many waiting instances.
(c) ``timers_fired_per_s``: due timers fired by one process on SQLite.

Usage: ``python bench/engine.py [--quick]``
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from SpiffWorkflow.bpmn import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer  # noqa: E402
from SpiffWorkflow.spiff.parser import SpiffBpmnParser  # noqa: E402
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench.interleaved import compare  # noqa: E402
from engine import VirtualClock, WorkflowHost  # noqa: E402
from engine.core.instances import start_instance  # noqa: E402
from engine.core.persistence import create_schema, make_engine, make_session_factory  # noqa: E402
from engine.core.transactions import run_step  # noqa: E402

DIAGRAMS = ROOT / "tests" / "engine" / "diagrams"
T0 = datetime(2026, 3, 2, tzinfo=UTC)
FORMS = [{"note": "收到"}, {"reply": "已处理", "satisfied": True}, {"verdict": "ok"}]


def ticket_data(now: datetime) -> dict[str, object]:
    return {
        "unit": "unit:cgj",
        "reminders": 0,
        "sign_due": (now + timedelta(hours=4)).isoformat(),
        "remind_at": (now + timedelta(hours=2)).isoformat(),
    }


def new_host(workdir: Path, name: str) -> WorkflowHost:
    db = make_engine(f"sqlite:///{workdir / name}")
    create_schema(db)
    return WorkflowHost(make_session_factory(db), VirtualClock(T0))


class Bare:
    """Plain SpiffWorkflow, as a developer would run it with its documented serializer."""

    def __init__(self, xml: str) -> None:
        parser = SpiffBpmnParser()
        parser.add_bpmn_str(xml.encode())
        self.spec = parser.get_spec("ticket")
        self.subs = parser.get_subprocess_specs("ticket")
        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))

    def lifecycle(self) -> None:
        wf = BpmnWorkflow(self.spec, self.subs)
        wf.task_tree.data.update(ticket_data(datetime.now(UTC)))  # real clock: no patching
        wf.do_engine_steps()
        blob = self.serializer.serialize_json(wf)
        for form in FORMS:
            wf = self.serializer.deserialize_json(blob)
            task = wf.get_tasks(state=TaskState.READY, manual=True)[0]
            task.set_data(**form)
            task.run()
            wf.do_engine_steps()
            blob = self.serializer.serialize_json(wf)
        assert wf.completed


def engine_lifecycle(host: WorkflowHost) -> None:
    iid = host.start("ticket", ticket_data(host.clock.now()), actor="resident")
    for form in FORMS:
        (task,) = host.ready_tasks(instance_id=iid)
        host.complete_task(task.id, form, actor="staff")


def measure_lifecycle(workdir: Path, rounds: int, per_round: int) -> dict[str, float]:
    xml = (DIAGRAMS / "ticket.bpmn").read_text(encoding="utf-8")
    host = new_host(workdir, "lifecycle.sqlite")
    host.deploy(xml, actor="bench")
    bare = Bare(xml)
    result = compare(
        bare.lifecycle,
        lambda: engine_lifecycle(host),
        rounds=rounds,
        per_round=per_round,
        warmup=20,
    )
    return {
        "lifecycle_ratio": round(result.ratio, 3),
        "lifecycle_bare_ms": round(result.baseline_s * 1000, 3),
        "lifecycle_engine_ms": round(result.candidate_s * 1000, 3),
    }


def _start_waiting(host: WorkflowHost, count: int, due: datetime) -> None:
    def chunk(session, offset: int) -> None:
        for _ in range(offset, min(offset + 1000, count)):
            start_instance(
                "wait_until",
                {"due": due.isoformat(), "fired": 0},
                runtime=host.runtime,
                now=host.clock.now(),
                actor="bench",
                county="julu",
                session=session,
            )

    for offset in range(0, count, 1000):
        run_step(host.session_factory, lambda s, o=offset: chunk(s, o))


def measure_empty_sweep(workdir: Path, waiting: int) -> dict[str, float]:
    host = new_host(workdir, "sweep.sqlite")
    host.deploy((DIAGRAMS / "wait_until.bpmn").read_text(encoding="utf-8"), actor="bench")
    _start_waiting(host, 1, T0 + timedelta(days=30))
    # Clone the waiting instance: the sweep only ever reads the due-time index.
    with host.session_factory.begin() as session:
        session.execute(
            text(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :k) "
                "INSERT INTO process_instance (county, definition_id, status, state_json, "
                "version, next_due_at, timer_failures, created_at, updated_at) "
                "SELECT p.county, p.definition_id, p.status, p.state_json, 1, "
                "datetime(p.next_due_at, '+' || (n.i % 1000) || ' minutes'), 0, "
                "p.created_at, p.updated_at FROM process_instance p, n WHERE p.id = 1"
            ),
            {"k": waiting - 1},
        )
    samples = []
    for _ in range(200):
        t = time.perf_counter()
        result = host.sweep(T0 + timedelta(days=1))
        samples.append((time.perf_counter() - t) * 1000)
        assert result.claimed == 0
    return {"empty_sweep_ms": round(statistics.median(samples), 3), "waiting_instances": waiting}


def measure_firing(workdir: Path, count: int) -> dict[str, float]:
    host = new_host(workdir, "fire.sqlite")
    host.deploy((DIAGRAMS / "wait_until.bpmn").read_text(encoding="utf-8"), actor="bench")
    _start_waiting(host, count, T0 + timedelta(hours=1))
    t = time.perf_counter()
    result = host.sweep(T0 + timedelta(hours=2))
    elapsed = time.perf_counter() - t
    assert result.fired == count, result
    return {"timers_fired_per_s": round(count / elapsed, 1), "timers_fired": count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="reduced run (under a minute)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        report: dict[str, object] = {"quick": args.quick}
        report |= measure_lifecycle(workdir, rounds=5 if args.quick else 15, per_round=40)
        report |= measure_empty_sweep(workdir, 10_000 if args.quick else 100_000)
        report |= measure_firing(workdir, 500 if args.quick else 3000)
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    report["wall_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
