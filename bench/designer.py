"""Designer benchmarks; prints one JSON object.

- ``validate_complaint_ms``: parse + lint + foreign-construct checks of ``complaint.bpmn``
  with the consultation it calls (what every save and every "检查" costs), median of runs;
  ``parse_only_ms`` is SpiffWorkflow's parse of the same documents in the same run, so
  ``validate_ratio`` says what our checks add.
- ``diff_ms``: semantic diff of two versions of ``complaint.bpmn`` differing in one timer.
- ``inspect_instance_ms``: the instance view's facts for a complaint in handling.
- ``version_heat_ms``: the version heat map (GROUP BY over the task projection) with
  ``--tasks`` human tasks on the version (default 20,000), SQLite.

Usage: ``python bench/designer.py [--tasks N]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402
from SpiffWorkflow.spiff.parser import SpiffBpmnParser  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from engine import VirtualClock, WorkflowHost  # noqa: E402
from engine.catalog_store import seed_versions  # noqa: E402
from engine.complaints.desk import ComplaintDesk  # noqa: E402
from engine.complaints.intake import ComplaintReport  # noqa: E402
from engine.core.definition_diff import diff_definitions  # noqa: E402
from engine.core.definitions import validate  # noqa: E402
from engine.core.host import called_documents  # noqa: E402
from engine.core.instance_inspection import inspect_instance, version_heat  # noqa: E402
from engine.core.persistence import create_schema, make_engine, make_session_factory  # noqa: E402
from engine.core.persistence.models import HumanTask, ProcessDefinition  # noqa: E402
from engine.core.transactions import run_step  # noqa: E402
from responsibility_catalog.loader import load_catalogs, shipped_data_path  # noqa: E402

BPMN = ROOT / "bpmn" / "complaint.bpmn"
REMINDER = 'handle_deadline["remind_at"]</bpmn:timeDate>'


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def _parse_only(main: bytes, called: tuple[bytes, ...]) -> None:
    parser = SpiffBpmnParser()
    for index, document in enumerate((main, *called)):
        parser.add_bpmn_xml(etree.fromstring(document), f"d{index}.bpmn")
    parser.get_spec("complaint")
    parser.get_subprocess_specs("complaint")


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--tasks", type=int, default=20_000)
    args.add_argument("--runs", type=int, default=15)
    options = args.parse_args()

    xml = BPMN.read_bytes()
    called = called_documents(BPMN)
    text = xml.decode("utf-8")
    edited = text.replace(REMINDER, '"P1D"</bpmn:timeDate>')
    results: dict[str, object] = {}
    # Interleave validate and parse so machine drift hits both alike.
    validate_ms, parse_ms = [], []
    for _ in range(options.runs):
        validate_ms.append(_median_ms(lambda: validate(xml, called_bpmn=called), 1))
        parse_ms.append(_median_ms(lambda: _parse_only(xml, called), 1))
    results["validate_complaint_ms"] = statistics.median(validate_ms)
    results["parse_only_ms"] = statistics.median(parse_ms)
    results["validate_ratio"] = round(
        statistics.median(validate_ms) / statistics.median(parse_ms), 2
    )
    results["diff_ms"] = _median_ms(lambda: diff_definitions(text, edited), options.runs)

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        create_schema(engine)
        clock = VirtualClock(datetime(2026, 3, 2, tzinfo=UTC))
        host = WorkflowHost(make_session_factory(engine), clock)
        catalogs = load_catalogs(shipped_data_path())
        run_step(
            host.session_factory,
            lambda s: seed_versions(
                catalogs, county="julu", actor="bench", now=clock.now(), session=s
            ),
        )
        desk = ComplaintDesk(host)
        host.deploy_file(BPMN, actor="bench")
        submitted = desk.submit(
            ComplaintReport(
                matter_id="D07-07",
                village_id="xiguocheng-002",
                channel="app",
                description="路面塌陷",
                reporter_account="r1",
            ),
            actor="resident:1",
        )
        (task,) = [
            t
            for t in host.ready_tasks(instance_id=submitted.instance_id)
            if t.task_name == "sign_for"
        ]
        host.complete_task(task.id, {"decision": "accept"}, actor="staff:water")

        def inspect() -> None:
            with host.session_factory() as session:
                inspect_instance(submitted.instance_id, host.runtime, session=session)

        results["inspect_instance_ms"] = _median_ms(inspect, options.runs)

        with host.session_factory.begin() as session:
            definition_id = session.scalar(select(ProcessDefinition.id))
            names = ["sign_for", "handle", "assist", "callback", "adjudicate", "supervise"]
            session.execute(
                insert(HumanTask.__table__),
                [
                    {
                        "id": str(uuid.uuid4()),
                        "county": "julu",
                        "instance_id": submitted.instance_id,
                        "task_name": names[i % len(names)],
                        "title": "t",
                        "lane": None,
                        "candidate_groups": [],
                        "state": "ready" if i % 3 else "completed",
                        "created_at": clock.now(),
                    }
                    for i in range(options.tasks)
                ],
            )

        def heat() -> None:
            with host.session_factory() as session:
                version_heat(definition_id, session=session)

        results["version_heat_ms"] = _median_ms(heat, options.runs)
        results["version_heat_tasks"] = options.tasks
    print(json.dumps(results))


if __name__ == "__main__":
    main()
