"""``juhaoban bpmn deploy`` goes through the deploy gate once the process has complaints."""

from __future__ import annotations

import shutil

from sqlalchemy import select

from engine.bootstrap import build_host
from engine.catalog_store import seed_versions
from engine.core.config import EngineConfig
from engine.core.persistence.models import AuditEvent, ProcessDefinition
from engine.core.transactions import run_step
from engine.desks import wire_desks
from tests.engine.complaints.conftest import BPMN_DIR
from tests.engine.complaints.helpers import report
from tests.engine.test_deploy_gate import raising_in_init


def test_a_version_whose_init_raises_is_refused_then_deployed_with_an_override(
    run, tmp_path, shipped_catalogs
) -> None:
    assert "第 1 版" in run("bpmn", "deploy", str(BPMN_DIR / "complaint.bpmn")).output
    host = build_host(EngineConfig.from_env(), create_tables=True)
    run_step(
        host.session_factory,
        lambda s: seed_versions(
            shipped_catalogs, county="julu", actor="test", now=host.clock.now(), session=s
        ),
    )
    desk = wire_desks(host).complaints
    for _ in range(3):
        report(desk, "D07-07", "xiguocheng-002")
    edited = tmp_path / "diagrams"
    edited.mkdir()
    for called in BPMN_DIR.glob("*.bpmn"):
        shutil.copy(called, edited / called.name)
    (edited / "complaint.bpmn").write_text(raising_in_init("1/0"), encoding="utf-8")

    refused = run("bpmn", "deploy", str(edited / "complaint.bpmn"))
    assert refused.exit_code == 1
    assert "回放最近 3 件" in refused.output and "3 件出错" in refused.output
    assert "在元素 init：" in refused.output and "ZeroDivisionError" in refused.output

    forced = run("bpmn", "deploy", str(edited / "complaint.bpmn"), "--override", "演练")
    assert forced.exit_code == 0, forced.output
    assert "已部署 complaint 第 2 版" in forced.output and "已强制部署" in forced.output
    with host.session_factory() as session:
        versions = session.scalars(
            select(ProcessDefinition.version).where(ProcessDefinition.process_key == "complaint")
        ).all()
        override = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "definition.deploy_override")
        ).one()
    assert sorted(versions) == [1, 2]
    assert (override.actor, override.detail["reason"]) == ("cli", "演练")
