"""Histories and notifications read as words: people's and units' names, Chinese descriptions
of system actors, grids by name, cases by tracking code and short title."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.engine.complaints.helpers import do, move_to, report

MAJIAYING = "xiguocheng-002"


def test_new_task_notification_names_the_case_and_the_task(app, login):
    desk = app.extensions["juhaoban"].desk
    submitted = report(desk, "D07-07", MAJIAYING)
    complaint = desk.complaint(submitted.complaint_id)
    page = login("water").get("/notifications/").get_data(as_text=True)
    assert "新任务：签收" in page
    assert f"{complaint.tracking_code} {complaint.matter_name}" in page
    assert ">查看<" not in page


def test_case_history_names_people_and_the_timer_not_their_ids(app, login):
    desk = app.extensions["juhaoban"].desk
    submitted = report(desk, "D07-07", MAJIAYING, grid_id=f"{MAJIAYING}-g1")
    do(desk, submitted, "sign_for", {"decision": "accept"}, actor="water")
    due = datetime.fromisoformat(
        desk.host.instance_data(submitted.instance_id)["handle_deadline"]["remind_at"]
    )
    move_to(desk, due + timedelta(minutes=1))
    page = login("dispatcher").get(f"/cases/{submitted.complaint_id}").get_data(as_text=True)
    assert "· 王供水</span>" in page and "· water</span>" not in page
    assert "系统定时器" in page and "system:timer" not in page
    assert "马家营村第一网格" in page and f"{MAJIAYING}-g1" not in page
    assert "签收意见：签收" in page and "decision：accept" not in page
    assert "时限：办理提醒" in page


def test_a_case_without_a_matter_is_titled_by_its_description(app, login):
    desk = app.extensions["juhaoban"].desk
    submitted = report(
        desk, None, MAJIAYING, description="村东头有一棵大树倒在路上挡住了去路很危险请尽快处理"
    )
    page = login("dispatcher").get(f"/cases/{submitted.complaint_id}").get_data(as_text=True)
    assert "未选择事项" not in page.replace("未选择事项类别", "")
    assert "村东头有一棵大树倒在路上挡住了去路很危…" in page


def test_actor_labels(app):
    from web.actors import actor_label

    with app.test_request_context():
        assert actor_label("system:timer") == "系统定时器"
        assert actor_label("sim:reporter:119") == "模拟群众 119"
        assert actor_label("sim:water_supply") == "模拟（县供水服务中心）"
        assert actor_label("demo:sign_for") == "演示数据（签收）"
        assert actor_label("grid:gridworker") == "网格员 李网格"
        assert actor_label("grid_worker:gridworker") == "网格员 李网格"
        assert actor_label("dispatcher:dispatcher") == "韩调度"
        assert actor_label("water_supply") == "县供水服务中心"
        assert actor_label("public") == "匿名群众"


def test_designer_pages_name_who_deployed(app, login):
    page = login("designer").get("/designer/").get_data(as_text=True)
    assert "<td>秦设计</td>" in page and "<td>designer</td>" not in page
