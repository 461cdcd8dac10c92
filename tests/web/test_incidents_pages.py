"""The administrator's incident page and the designer's "withdraw this version" button."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine import StepFailed
from tests.conftest import DIAGRAMS
from tests.engine.complaints.conftest import BPMN_DIR
from tests.engine.helpers import start_ticket
from tests.web.conftest import csrf_from

TICKET = (DIAGRAMS / "ticket.bpmn").read_text(encoding="utf-8")


@pytest.fixture
def host(app):
    return app.extensions["juhaoban.host"]


@pytest.fixture
def failing(host, clock):
    """A ticket whose reminder keeps failing until the sweep parks it with an incident."""
    host.deploy(TICKET, actor="designer")
    sign_due = clock.now() + timedelta(days=5)
    iid = start_ticket(host, reminders="many", sign_due=sign_due.isoformat())
    at = clock.now() + timedelta(hours=2, seconds=1)
    for _ in range(3):
        host.sweep(at)
        at += timedelta(hours=1)
    clock.advance(at - clock.now())
    return iid


def _post(client, path, data=None):
    token = csrf_from(client.get("/admin/incidents/").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **(data or {})}, follow_redirects=True)


def test_the_admin_sees_open_incidents_with_their_way_out(login, failing):
    page = login("admin").get("/admin/incidents/").get_data(as_text=True)
    assert f'href="/designer/instances/{failing}"' in page
    assert "ticket 第 1 版" in page and "定时器故障" in page and "3 次" in page
    for button in ("暂停", "重试", "标记已处理"):
        assert f">{button}</button>" in page
    assert "迁移到版本…" not in page  # there is no other version yet
    assert 'href="/admin/incidents/"' in page  # in the admin's menu


@pytest.mark.parametrize("username", ["designer", "dispatcher", "dispatch_lead", "water"])
def test_only_the_admin_may_see_or_act(login, failing, username):
    client = login(username)
    assert client.get("/admin/incidents/").status_code == 403
    token = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post(
        f"/admin/incidents/instances/{failing}/suspend", data={"csrf_token": token}
    )
    assert response.status_code == 403


def test_suspend_resume_retry_and_resolve_from_the_page(login, failing, host, clock):
    admin = login("admin")
    page = _post(admin, f"/admin/incidents/instances/{failing}/suspend").get_data(as_text=True)
    assert f"流程实例 {failing} 已暂停" in page
    assert host.instance(failing).status == "suspended"
    assert f'id="suspended-{failing}"' in page and ">恢复</button>" in page
    version = admin.get(f"/designer/versions/{host.instance(failing).definition_id}")
    assert "<td>已暂停</td>" in version.get_data(as_text=True)

    page = _post(admin, f"/admin/incidents/instances/{failing}/retry").get_data(as_text=True)
    assert "未执行：" in page and "请先恢复" in page

    _post(admin, f"/admin/incidents/instances/{failing}/resume")
    assert host.instance(failing).status == "running"
    page = _post(admin, f"/admin/incidents/instances/{failing}/retry").get_data(as_text=True)
    assert "已重试" in page and "1 个运行异常已标记为已处理" in page
    assert "没有待处理的运行异常" in page
    assert host.sweep(clock.now() + timedelta(seconds=1)).claimed == 1


def test_move_to_another_version_from_the_page(login, failing, host):
    fixed = host.deploy(TICKET.replace("reminders + 1", "1"), actor="designer")
    admin = login("admin")
    page = admin.get("/admin/incidents/").get_data(as_text=True)
    assert f'<option value="{fixed.definition_id}">第 2 版</option>' in page
    page = _post(
        admin,
        f"/admin/incidents/instances/{failing}/move",
        {"definition_id": str(fixed.definition_id)},
    ).get_data(as_text=True)
    assert f"流程实例 {failing} 已从第 1 版迁移到第 2 版" in page
    assert host.instance(failing).definition_id == fixed.definition_id
    history = admin.get(f"/designer/instances/{failing}").get_data(as_text=True)
    assert "迁移版本" in history and "instance.moved" not in history

    complaint = host.deploy_file(BPMN_DIR / "complaint.bpmn", actor="designer")  # deployed
    page = _post(
        admin,
        f"/admin/incidents/instances/{failing}/move",
        {"definition_id": str(complaint.definition_id)},
    ).get_data(as_text=True)
    assert "未执行：只能迁移到同一流程的其他版本" in page


def test_mark_an_incident_handled(login, failing):
    admin = login("admin")
    page = _post(admin, "/admin/incidents/1/resolve").get_data(as_text=True)
    assert "运行异常 #1 已标记为已处理" in page and "没有待处理的运行异常" in page
    page = _post(admin, "/admin/incidents/1/resolve").get_data(as_text=True)
    assert "未执行：运行异常 #1 已由 admin 标记为已处理" in page


def test_a_designer_withdraws_a_version_and_new_reports_use_the_previous_one(login, host):
    first = host.deploy(TICKET, actor="designer")
    second = host.deploy(TICKET.replace("签收意见", "签收说明"), actor="designer")
    designer = login("designer")
    page = designer.get(f"/designer/versions/{second.definition_id}").get_data(as_text=True)
    assert ">撤回此版本</button>" in page
    response = designer.post(
        f"/designer/versions/{second.definition_id}/withdraw",
        data={"csrf_token": csrf_from(page)},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "已撤回第 2 版：新受理的诉求将使用第 1 版" in page
    assert 'id="withdrawn"' in page and ">撤回此版本</button>" not in page
    iid = start_ticket(host)
    assert host.instance(iid).definition_id == first.definition_id
    index = designer.get("/designer/").get_data(as_text=True)
    assert "已撤回" in index

    page = designer.get(f"/designer/versions/{first.definition_id}").get_data(as_text=True)
    response = designer.post(
        f"/designer/versions/{first.definition_id}/withdraw",
        data={"csrf_token": csrf_from(page)},
        follow_redirects=True,
    )
    assert "未撤回：" in response.get_data(as_text=True)
    assert "唯一可用的版本" in response.get_data(as_text=True)


def test_a_dispatcher_may_not_withdraw(login, host):
    second = host.deploy(TICKET, actor="designer")
    dispatcher = login("dispatcher")
    page = dispatcher.get(f"/designer/versions/{second.definition_id}").get_data(as_text=True)
    assert ">撤回此版本</button>" not in page
    response = dispatcher.post(
        f"/designer/versions/{second.definition_id}/withdraw",
        data={"csrf_token": csrf_from(page)},
    )
    assert response.status_code == 403


def test_a_step_on_a_suspended_case_is_answered_409_with_the_reason(app):
    from engine.core.errors import InstanceSuspended

    def step() -> str:
        raise InstanceSuspended(7)

    app.add_url_rule("/_test/suspended", "suspended_step", step)
    response = app.test_client().get("/_test/suspended")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "事项已暂停" in page and "流程实例 7）已被运维人员暂停" in page


def test_a_start_that_runs_over_budget_shows_as_one_counted_incident(app, login, host):
    host.deploy(
        TICKET.replace(
            'camunda:candidateGroups="=unit"',
            'camunda:candidateGroups="=[n for n in range(10**6) for m in range(10**6)]"',
            1,
        ),
        actor="designer",
    )
    for _ in range(2):
        with pytest.raises(StepFailed):
            start_ticket(host)
    page = login("admin").get("/admin/incidents/").get_data(as_text=True)
    assert "脚本超出预算" in page and "共 2 次" in page and "未能启动" in page
    assert "sign_for" in page and "新建流程实例时" in page
