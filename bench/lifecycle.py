"""Complaints per second through the full complaint process; prints one JSON object.

One complaint's life: report (routing at once), sign-for, two assisting units, handling with a
reply, callback "satisfied" — on SQLite and, when ``JUHAOBAN_BENCH_DATABASE_URL`` (or
``JUHAOBAN_TEST_DATABASE_URL``) points at PostgreSQL, on PostgreSQL too. The same run measures
bare SpiffWorkflow running the same diagrams with the same (pure) service logic, serializing
and deserializing the workflow at each step, and reports the ratio.

Usage: ``python bench/lifecycle.py [--quick]``
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from SpiffWorkflow.bpmn import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine  # noqa: E402
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer  # noqa: E402
from SpiffWorkflow.spiff.parser import SpiffBpmnParser  # noqa: E402
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.interleaved import compare  # noqa: E402
from engine import VirtualClock, WorkflowHost  # noqa: E402
from engine.catalog_store import seed_versions  # noqa: E402
from engine.complaints.desk import ComplaintDesk  # noqa: E402
from engine.complaints.intake import ComplaintReport  # noqa: E402
from engine.complaints.services import ComplaintServices  # noqa: E402
from engine.core.host import called_documents  # noqa: E402
from engine.core.instance_state import element_id  # noqa: E402
from engine.core.persistence import create_schema, make_engine, make_session_factory  # noqa: E402
from engine.core.runtime import step_scope  # noqa: E402
from engine.core.scripting import RestrictedEnvironment  # noqa: E402
from engine.core.transactions import run_step  # noqa: E402
from responsibility_catalog import load_catalogs, shipped_data_path  # noqa: E402
from rules import WorkingCalendar  # noqa: E402

BPMN = ROOT / "bpmn" / "complaint.bpmn"
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Beijing
VILLAGE, MATTER = "xiguocheng-002", "D07-07"  # 马家营村; primary water_supply, two supporting
STEPS: list[tuple[str, dict[str, Any], str | None]] = [
    ("sign_for", {"decision": "accept"}, None),
    ("assist", {"assist_note": "已配合"}, "xiguocheng"),
    ("assist", {"assist_note": "已配合"}, "transport"),
    ("handle", {"outcome": "reply", "reply_text": "已修复"}, None),
    ("callback", {"satisfaction": "satisfied"}, None),
]


def platform_lifecycle(desk: ComplaintDesk) -> None:
    submitted = desk.submit(
        ComplaintReport(
            channel="app",
            village_id=VILLAGE,
            matter_id=MATTER,
            description="路面塌陷",
            reporter_account="bench",
        ),
        actor="resident",
    )
    for name, form, group in STEPS:
        ready = desk.host.ready_tasks(instance_id=submitted.instance_id)
        task = next(
            t
            for t in ready
            if t.task_name == name and (group is None or group in t.candidate_groups)
        )
        desk.host.complete_task(task.id, form, actor="staff")
    assert desk.complaint(submitted.complaint_id).status == "closed"


def make_platform(url: str, catalogs) -> ComplaintDesk:
    db = make_engine(url)
    create_schema(db)
    host = WorkflowHost(make_session_factory(db), VirtualClock(T0))
    run_step(
        host.session_factory,
        lambda s: seed_versions(catalogs, county="julu", actor="bench", now=T0, session=s),
    )
    host.deploy_file(BPMN, actor="bench")
    return ComplaintDesk(host)


class _MemoryCatalogs:
    def __init__(self, catalogs) -> None:
        self.catalogs = catalogs

    def in_force(self, *, county: str, session: Any) -> tuple:
        return self.catalogs


class _MemoryCalendars:
    def __init__(self) -> None:
        self._calendar = WorkingCalendar()

    def calendar(self, *, county: str, session: Any) -> WorkingCalendar:
        return self._calendar


class Bare:
    """Plain SpiffWorkflow with its documented serializer, the same diagrams, the same pure
    routing and deadline logic, and no database."""

    def __init__(self, catalogs) -> None:
        parser = SpiffBpmnParser()
        parser.add_bpmn_str(BPMN.read_bytes())
        for called in called_documents(BPMN):
            parser.add_bpmn_str(called)
        self.spec = parser.get_spec("complaint")
        self.subs = parser.get_subprocess_specs("complaint")
        # In-memory stand-ins with the same methods
        services = ComplaintServices(_MemoryCatalogs(catalogs), _MemoryCalendars())  # type: ignore[arg-type]
        operations = services.operations()
        operations["notify"] = lambda params, data: {"sent": 0}
        self.engine = PythonScriptEngine(environment=RestrictedEnvironment(services=operations))
        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
        self.now = T0

    def lifecycle(self, *, persist: bool = True) -> None:
        """One complaint's life; ``persist=False`` keeps the workflow in memory throughout
        (SpiffWorkflow's own cost, the floor for any engine that stores its state)."""
        # No database: the services here never use the session
        with step_scope(self.now, None, instance_id=None, county="julu"):  # type: ignore[arg-type]
            wf = BpmnWorkflow(self.spec, self.subs, script_engine=self.engine)
            wf.task_tree.data.update(
                {
                    "complaint_id": 1,
                    "tracking_code": "JL-BENCH",
                    "matter_id": MATTER,
                    "village_id": VILLAGE,
                    "received_at": self.now.isoformat(),
                    "reporter_group": "reporter:bench",
                    "duplicate_of": None,
                    "county": "julu",
                    "text": "路面塌陷",
                }
            )
            wf.do_engine_steps()
            blob = self.serializer.serialize_json(wf) if persist else ""
            for name, form, group in STEPS:
                if persist:
                    wf = self.serializer.deserialize_json(blob)
                    wf.script_engine = self.engine
                task = next(
                    t
                    for t in wf.get_tasks(state=TaskState.READY, manual=True)
                    if element_id(t) == name
                    and (group is None or t.data.get("assisting_unit") == group)
                )
                task.set_data(**form)
                task.run()
                wf.do_engine_steps()
                if persist:
                    blob = self.serializer.serialize_json(wf)
        assert wf.completed


def measure(desk: ComplaintDesk, bare: Bare, rounds: int, per_round: int) -> dict[str, float]:
    result = compare(
        bare.lifecycle, lambda: platform_lifecycle(desk), rounds=rounds, per_round=per_round
    )
    return {
        "complaints_per_s": round(1 / result.candidate_s, 1),
        "bare_complaints_per_s": round(1 / result.baseline_s, 1),
        "ratio_to_bare_spiff": round(result.ratio, 3),
    }


def _pg_url() -> str | None:
    url = os.environ.get("JUHAOBAN_BENCH_DATABASE_URL") or os.environ.get(
        "JUHAOBAN_TEST_DATABASE_URL"
    )
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="reduced run (under a minute)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    rounds, per_round = (3, 10) if args.quick else (7, 25)
    catalogs = load_catalogs(shipped_data_path())
    bare = Bare(catalogs)
    report: dict[str, object] = {"quick": args.quick}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = measure(
            make_platform(f"sqlite:///{Path(tmp) / 'bench.sqlite'}", catalogs),
            bare,
            rounds,
            per_round,
        )
    report["complaints_per_s_sqlite"] = sqlite["complaints_per_s"]
    report["bare_complaints_per_s"] = sqlite["bare_complaints_per_s"]
    report["ratio_to_bare_spiff"] = sqlite["ratio_to_bare_spiff"]
    pg = _pg_url()
    if pg:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(make_url(pg).set(drivername="postgresql+psycopg"))
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        try:
            url = make_url(pg).set(
                drivername="postgresql+psycopg", query={"options": f"-csearch_path={schema}"}
            )
            result = measure(
                make_platform(url.render_as_string(hide_password=False), catalogs),
                bare,
                rounds,
                per_round,
            )
            report["complaints_per_s_postgresql"] = result["complaints_per_s"]
            report["ratio_to_bare_spiff_postgresql"] = result["ratio_to_bare_spiff"]
        finally:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()
    report["wall_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
