"""The operator's commands: incidents, instances suspend/resume/retry/move, bpmn rollback."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.bootstrap import build_host
from engine.core.config import EngineConfig
from tests.conftest import DIAGRAMS
from tests.engine.helpers import start_ticket
from tests.engine.test_incidents import review_diagram


@pytest.fixture
def host(run):
    return build_host(EngineConfig.from_env(), create_tables=True)


def test_incidents_name_the_version_and_can_be_resolved(run, host):
    host.deploy_file(DIAGRAMS / "ticket.bpmn", actor="designer")
    soon = host.clock.now() + timedelta(minutes=1)
    iid = start_ticket(host, reminders="many", remind_at=soon.isoformat())
    for hours in (1, 2, 3):
        host.sweep(host.clock.now() + timedelta(hours=hours))
    output = run("incidents").output
    assert f"#1 [待处理] 实例 {iid} timer_failed 流程 ticket 第 1 版 环节 count_reminder" in output

    result = run("incidents", "resolve", "1", "--actor", "ops")
    assert result.exit_code == 0 and "已标记为已处理" in result.output
    assert run("incidents").output.strip() == "没有待处理的运行异常"
    assert (
        "[已处理]" in run("incidents", "--all").output
        and "ops 处理于" in run("incidents", "--all").output
    )

    again = run("incidents", "resolve", "1")
    assert again.exit_code == 1 and "未执行：运行异常 #1 已由 ops 标记为已处理" in again.output
    missing = run("incidents", "resolve", "99")
    assert missing.exit_code == 1 and "不存在" in missing.output


def test_suspend_resume_and_retry(run, host):
    host.deploy(review_diagram(), actor="designer")
    iid = host.start("audit", actor="resident")
    due = host.instance(iid).next_due_at

    result = run("instances", "suspend", str(iid))
    assert result.exit_code == 0 and "已暂停" in result.output
    assert host.sweep(due + timedelta(days=1)).claimed == 0
    refused = run("instances", "retry", str(iid))
    assert refused.exit_code == 1 and "请先恢复" in refused.output
    assert "Traceback" not in refused.output

    assert run("instances", "resume", str(iid)).exit_code == 0
    assert host.instance(iid).status == "running"
    healthy = run("instances", "retry", str(iid))
    assert healthy.exit_code == 1 and "没有需要重试的故障" in healthy.output
    unknown = run("instances", "suspend", "999")
    assert unknown.exit_code == 1 and "流程实例 999 不存在" in unknown.output


def test_retry_a_parked_timer(run, host):
    host.deploy_file(DIAGRAMS / "ticket.bpmn", actor="designer")
    soon = host.clock.now() + timedelta(minutes=1)
    iid = start_ticket(host, reminders="many", remind_at=soon.isoformat())
    for hours in (1, 2, 3):
        host.sweep(host.clock.now() + timedelta(hours=hours))
    result = run("instances", "retry", str(iid))
    assert result.exit_code == 0
    assert f"{soon:%Y-%m-%d %H:%M}（UTC）到期后触发" in result.output
    assert "1 个运行异常已标记为已处理" in result.output
    assert host.instance(iid).next_due_at == soon


def test_move_refused_then_done(run, host):
    host.deploy(review_diagram(), actor="designer")
    iid = host.start("audit", actor="resident")
    host.deploy(review_diagram(review_id="check"), actor="designer")
    host.deploy(review_diagram(confirm=True), actor="designer")

    refused = run("instances", "move", str(iid), "--to-version", "2")
    assert (
        refused.exit_code == 1
        and "缺少实例用到的环节 review（审核）。实例未作任何改动" in refused.output
    )
    assert run("instances", "move", str(iid), "--to-version", "7").exit_code == 1
    done = run("instances", "move", str(iid), "--to-version", "3")
    assert done.exit_code == 0 and "已从 audit 第 1 版迁移到第 3 版" in done.output


def test_bpmn_rollback_names_the_version_new_instances_use(run, host):
    host.deploy(review_diagram(), actor="designer")
    host.deploy(review_diagram(confirm=True), actor="designer")
    result = run("bpmn", "rollback", "audit")
    assert result.exit_code == 0
    assert "已撤回 audit 第 2 版；新受理的诉求将使用第 1 版" in result.output
    last = run("bpmn", "rollback", "audit")
    assert last.exit_code == 1 and "唯一可用的版本" in last.output
    unknown = run("bpmn", "rollback", "nope")
    assert unknown.exit_code == 1 and "尚未部署" in unknown.output


def test_deploying_a_withdrawn_version_again_says_it_is_back(run, host, tmp_path):
    first, second = tmp_path / "v1" / "audit.bpmn", tmp_path / "v2" / "audit.bpmn"
    for path, xml in ((first, review_diagram()), (second, review_diagram(confirm=True))):
        path.parent.mkdir()
        path.write_text(xml, encoding="utf-8")
        assert run("bpmn", "deploy", str(path)).exit_code == 0
    assert run("bpmn", "rollback", "audit").exit_code == 0
    again = run("bpmn", "deploy", str(second))
    assert again.exit_code == 0
    assert "沿用 audit 第 2 版" in again.output and "第 2 版此前已撤回" in again.output
    iid = host.start("audit", actor="resident")
    assert host.instance(iid).definition_id == 2
