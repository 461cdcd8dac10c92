"""Instance migration benchmark; prints one JSON object.

``--instances`` open complaints (default 1,000; ``--quick`` 200) on SQLite, spread over 签收,
定性, 办理 and 争议件裁定, are moved from version 1 of ``complaint.bpmn`` to a version 2 whose
签收提醒 fires 20 minutes after the case reached 签收 (a changed timer: every move re-computes
a due time).

- ``plan_ms`` / ``plan_ms_per_instance``: ``OperatorDesk.plan_migration`` (the web preview);
- ``migrate_ms`` / ``migrate_ms_per_moved``: ``OperatorDesk.migrate_instances`` (plans again,
  then one transaction per moved instance);
- ``web_migrate_ms_per_moved``: the web's way, ``migrate_instances(deadline_s=…)`` without a
  plan: each instance checked once, as it moves (measured moving the same instances back
  from version 2 to version 1, with a budget that never runs out);
- ``restore_ms_per_instance``: the bare reference in the same run: read every instance's row
  and restore its workflow on version 1 (what any per-instance check must at least do);
- ``plan_ratio`` / ``migrate_ratio``: the per-instance figures divided by the reference.

Usage: ``python bench/migration.py [--instances N] [--quick] [--profile plan|migrate|web]``
(``--profile`` needs pyinstrument, which is not a project dependency: ``pip install
pyinstrument``; the profile goes to stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from engine import VirtualClock, WorkflowHost  # noqa: E402
from engine.catalog_store import seed_versions  # noqa: E402
from engine.complaints.desk import ComplaintDesk, Submitted  # noqa: E402
from engine.complaints.intake import ComplaintReport  # noqa: E402
from engine.core import OperatorDesk  # noqa: E402
from engine.core.host import called_documents  # noqa: E402
from engine.core.persistence import create_schema, make_engine, make_session_factory  # noqa: E402
from engine.core.persistence.models import ProcessInstance  # noqa: E402
from engine.core.transactions import run_step  # noqa: E402
from responsibility_catalog.loader import load_catalogs, shipped_data_path  # noqa: E402

BPMN = ROOT / "bpmn" / "complaint.bpmn"
SIGN_REMINDER_V1 = (
    '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">'
    'sign_for_deadline["remind_at"]</bpmn:timeDate>'
)
SIGN_REMINDER_V2 = (
    '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"PT20M"</bpmn:timeDuration>'
)
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in the county, a Monday
FOUND = ("D04-01", "xiaolvzhai-002")  # found in the catalog: straight to 签收
UNFOUND = ("D09-04", "xiguocheng-002")  # not found here: the dispatcher determines (定性)
RETURN = {"decision": "return", "return_reason": "不属于本单位职责", "return_basis": "清单 D04-01"}


def version_two_xml() -> str:
    """complaint.bpmn with the sign reminder as a duration instead of the catalog's instant."""
    xml = BPMN.read_text(encoding="utf-8")
    assert SIGN_REMINDER_V1 in xml, "complaint.bpmn changed: update the bench"
    return xml.replace(SIGN_REMINDER_V1, SIGN_REMINDER_V2)


def _submit(desk: ComplaintDesk, matter: str, village: str) -> Submitted:
    return desk.submit(
        ComplaintReport(
            matter_id=matter,
            village_id=village,
            channel="app",
            description="群众反映的问题",
            reporter_account="resident-1",
        ),
        actor="resident:1",
    )


def _complete(desk: ComplaintDesk, case: Submitted, name: str, form: dict[str, object]) -> None:
    ready = desk.host.ready_tasks(instance_id=case.instance_id)
    (task,) = [t for t in ready if t.task_name == name]
    desk.host.complete_task(task.id, form, actor="staff")


def open_complaints(desk: ComplaintDesk, count: int) -> dict[str, int]:
    """``count`` open complaints, a quarter at each stage; how many at which."""
    stages = {"sign_for": 0, "determine": 0, "handle": 0, "adjudicate": 0}
    for index in range(count):
        stage = list(stages)[index % 4]
        stages[stage] += 1
        if stage == "determine":
            _submit(desk, *UNFOUND)
            continue
        case = _submit(desk, *FOUND)
        if stage == "handle":
            _complete(desk, case, "sign_for", {"decision": "accept"})
        elif stage == "adjudicate":
            _complete(desk, case, "sign_for", RETURN)
    return stages


def restore_all(host: WorkflowHost, definition_id: int) -> int:
    """The reference: read each open instance and restore its workflow, a page at a time."""
    runtime = host.runtime
    with host.session_factory() as session:
        loaded = runtime.definitions.get(definition_id, session=session)
        ids = session.scalars(
            select(ProcessInstance.id).where(ProcessInstance.definition_id == definition_id)
        ).all()
        for start in range(0, len(ids), 100):
            rows = session.scalars(
                select(ProcessInstance).where(ProcessInstance.id.in_(ids[start : start + 100]))
            ).all()
            for row in rows:
                runtime.serializer.load_workflow(
                    row.state_json, loaded.spec, loaded.subprocess_specs
                )
            session.expunge_all()
    return len(ids)


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, (time.perf_counter() - start) * 1000


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--instances", type=int, default=1000)
    args.add_argument("--quick", action="store_true", help="200 instances")
    args.add_argument(
        "--profile", choices=("plan", "migrate", "web"), help="pyinstrument one phase"
    )
    options = args.parse_args()
    count = 200 if options.quick else options.instances

    with tempfile.TemporaryDirectory() as tmp:
        db = make_engine(f"sqlite:///{tmp}/bench.db")
        create_schema(db)
        clock = VirtualClock(T0)
        host = WorkflowHost(make_session_factory(db), clock)
        catalogs = load_catalogs(shipped_data_path())
        run_step(
            host.session_factory,
            lambda s: seed_versions(
                catalogs, county="julu", actor="bench", now=clock.now(), session=s
            ),
        )
        v1 = host.deploy_file(BPMN, actor="bench").definition_id
        desk = ComplaintDesk(host)
        _, setup_ms = _timed(lambda: open_complaints(desk, count))
        clock.set(T0 + timedelta(minutes=10))
        dmns = tuple(p.read_bytes() for p in sorted(BPMN.parent.glob("*.dmn")))
        host.deploy(
            version_two_xml(),
            dmns,
            source_name="complaint.bpmn",
            called_bpmn=called_documents(BPMN),
            actor="bench",
        )
        operator = OperatorDesk(host)

        profiler = None
        if options.profile:
            from pyinstrument import Profiler

            profiler = Profiler()
        restored, restore_ms = _timed(lambda: restore_all(host, v1))
        if profiler and options.profile == "plan":
            profiler.start()
        plan, plan_ms = _timed(lambda: operator.plan_migration("complaint", 1, 2))
        if profiler and options.profile == "plan":
            profiler.stop()
        if profiler and options.profile == "migrate":
            profiler.start()
        result, migrate_ms = _timed(
            lambda: operator.migrate_instances("complaint", 1, 2, actor="bench")
        )
        if profiler and options.profile == "migrate":
            profiler.stop()
        if profiler and options.profile == "web":
            profiler.start()
        back, web_ms = _timed(
            lambda: operator.migrate_instances("complaint", 2, 1, actor="bench", deadline_s=1e9)
        )
        if profiler and options.profile == "web":
            profiler.stop()
        if profiler:
            profiler.print(file=sys.stderr, show_all=False)

    per_restore = restore_ms / restored
    per_plan = plan_ms / count
    per_move = migrate_ms / max(len(result.moved), 1)
    per_web = web_ms / max(len(back.moved), 1)
    print(
        json.dumps(
            {
                "instances": count,
                "movable": len(plan.movable),
                "blocked": len(plan.blocked),
                "moved": len(result.moved),
                "setup_s": round(setup_ms / 1000, 1),
                "restore_ms_per_instance": round(per_restore, 2),
                "plan_ms": round(plan_ms),
                "plan_ms_per_instance": round(per_plan, 2),
                "migrate_ms": round(migrate_ms),
                "migrate_ms_per_moved": round(per_move, 2),
                "plan_ratio": round(per_plan / per_restore, 1),
                "migrate_ratio": round(per_move / per_restore, 1),
                "web_moved": len(back.moved),
                "web_migrate_ms_per_moved": round(per_web, 2),
                "web_migrate_ratio": round(per_web / per_restore, 1),
                "plan_8400_s": round(per_plan * 8400 / 1000, 1),
                "migrate_8400_s": round(per_move * 8400 / 1000, 1),
                "web_migrate_8400_s": round(per_web * 8400 / 1000, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
