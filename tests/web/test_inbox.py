"""The unit inbox against the real process: listing, filters, and the actions of each stage."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image

from engine.core.persistence.models import AuditEvent
from tests.engine.complaints.helpers import do, move_to, report, task, task_names
from tests.web.conftest import csrf_from

MAJIAYING = "xiguocheng-002"  # 马家营村, 西郭城镇
SHAOJI = "xiaolvzhai-006"  # 邵集村, 小吕寨镇 (off the provincial roads)
ACCEPT = {"decision": "accept"}


@pytest.fixture
def desk(app):
    return app.extensions["juhaoban"].desk


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def _post(client, task_id, data, files=None):
    token = csrf_from(_page(client, "/inbox/"))
    form = {**data, "csrf_token": token, **(files or {})}
    return client.post(
        f"/inbox/tasks/{task_id}",
        data=form,
        content_type="multipart/form-data" if files else None,
    )


def _png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def test_inbox_shows_only_my_units_tasks_by_deadline_with_working_days_left(app, desk, login):
    handled = report(desk, "D07-07", MAJIAYING, description="路面塌陷")
    do(desk, handled, "sign_for", ACCEPT, actor="water")
    waiting = report(desk, "D07-07", MAJIAYING, description="又塌了一处")
    other = report(desk, "D04-01", "juluzhen-001", description="占道经营")
    page = _page(login("water"), "/inbox/")
    sign_for, handle = task(desk, waiting, "sign_for"), task(desk, handled, "handle")
    assert page.index(sign_for.id) < page.index(handle.id), "sooner deadline first"
    assert task(desk, other, "sign_for").id not in page
    assert "今日到期" in page and "剩 3 个工作日" in page
    assert "马家营村" in page and waiting.tracking_code in page
    assert "供水管网破损致路面塌陷" in page
    # The supporting township sees its assist task, not the water centre's.
    township = _page(login("xgc"), "/inbox/")
    assert "协办" in township and sign_for.id not in township
    assert task(desk, waiting, "assist", "xiguocheng").id in township


def test_filters_by_stage_due_today_overdue_and_domain(app, desk, login):
    handled = report(desk, "D07-07", MAJIAYING)
    do(desk, handled, "sign_for", ACCEPT, actor="water")
    waiting = report(desk, "D07-07", MAJIAYING)
    sign_for, handle = task(desk, waiting, "sign_for"), task(desk, handled, "handle")
    client = login("water")
    only_handle = _page(client, "/inbox/?stage=handle")
    assert handle.id in only_handle and sign_for.id not in only_handle
    today = _page(client, "/inbox/?due=today")
    assert sign_for.id in today and handle.id not in today
    assert _page(client, "/inbox/?domain=供水").count("/inbox/tasks/") == 2
    assert "/inbox/tasks/" not in _page(client, "/inbox/?domain=民政救助")
    assert "/inbox/tasks/" not in _page(client, "/inbox/?due=overdue")
    move_to(desk, desk.host.clock.now() + timedelta(hours=2))
    overdue = _page(client, "/inbox/?due=overdue")
    assert sign_for.id in overdue and handle.id not in overdue
    assert "超期" in overdue


def test_sign_for_moves_the_case_to_handling(app, desk, login):
    submitted = report(desk, "D07-07", MAJIAYING)
    sign_for = task(desk, submitted, "sign_for")
    client = login("water")
    page = _page(client, f"/inbox/tasks/{sign_for.id}")
    assert "确认签收" in page and "退回理由" in page and "派单依据" in page
    assert "《城市供水条例》" in page and "2022-06" in page
    response = _post(client, sign_for.id, ACCEPT)
    assert response.status_code == 302
    assert "handle" in task_names(desk, submitted)
    assert desk.complaint(submitted.complaint_id).stage == "handling"
    assert "已提交" in _page(client, "/inbox/")


def test_return_without_reason_is_refused_next_to_the_field_and_changes_nothing(app, desk, login):
    submitted = report(desk, "D04-01", SHAOJI)
    sign_for = task(desk, submitted, "sign_for", "xiaolvzhai")
    client = login("xlz")
    response = _post(client, sign_for.id, {"decision": "return", "return_basis": "D04-01 占道经营"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "为“退回（不属于本单位职责）”时，“退回理由”为必填项" in page
    assert 'class="field-error" id="f-return-return_reason-err"' in page
    assert 'value="D04-01 占道经营"' in page, "what the person typed is kept"
    assert task(desk, submitted, "sign_for").id == sign_for.id
    assert desk.complaint(submitted.complaint_id).stage == "sign_for"


def test_return_with_reason_and_basis_reaches_the_dispatcher(app, desk, login):
    submitted = report(desk, "D04-01", SHAOJI)
    sign_for = task(desk, submitted, "sign_for", "xiaolvzhai")
    response = _post(
        login("xlz"),
        sign_for.id,
        {"decision": "return", "return_reason": "位于省道沿线", "return_basis": "D04-01 规则 2"},
    )
    assert response.status_code == 302
    assert task(desk, submitted, "adjudicate").candidate_groups == ["dispatcher"]
    complaint = desk.complaint(submitted.complaint_id)
    assert (complaint.stage, complaint.return_count) == ("contested", 1)


def _deploy_handle_form(app, *, photos: bool) -> None:
    """Deploy a revision of the diagram whose handling form does (or does not) take
    ``reply_photos``, whatever the shipped diagram says today."""
    from tests.engine.complaints.conftest import BPMN_DIR

    xml = (BPMN_DIR / "complaint.bpmn").read_text(encoding="utf-8")
    xml = re.sub(r'\s*<camunda:formField id="reply_photos"[^>]*/>', "", xml)
    if photos:
        at = xml.index('<camunda:formField id="reply_text"', xml.index('id="handle"'))
        xml = xml[:at] + '<camunda:formField id="reply_photos" label="办理照片" />' + xml[at:]
    called = (BPMN_DIR / "joint_consultation.bpmn").read_bytes()
    app.extensions["juhaoban.host"].deploy(
        xml, called_bpmn=(called,), source_name="complaint.bpmn", actor="designer"
    )


def _accepted_and_assisted(desk):
    submitted = report(desk, "D07-07", MAJIAYING)
    do(desk, submitted, "sign_for", ACCEPT, actor="water")
    for unit in ("xiguocheng", "transport"):
        do(desk, submitted, "assist", {"assist_note": "已配合"}, actor=unit, group=unit)
    return submitted


def test_reply_with_a_photo_when_the_form_takes_photos(app, desk, login):
    _deploy_handle_form(app, photos=True)
    submitted = _accepted_and_assisted(desk)
    handle = task(desk, submitted, "handle")
    client = login("water")
    assert 'name="reply_photos"' in _page(client, f"/inbox/tasks/{handle.id}")
    response = _post(
        client,
        handle.id,
        {"outcome": "reply", "reply_text": "已抢修完毕，路面恢复"},
        files={"reply_photos": (_png(), "after.png")},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "callback" in task_names(desk, submitted)
    with desk.host.session_factory() as db:
        form = db.query(AuditEvent).filter_by(task_id=handle.id).one().detail["form"]
    (name,) = form["reply_photos"].split(",")
    assert (app.extensions["juhaoban"].uploads_dir / name).is_file()
    case = _page(client, f"/inbox/tasks/{handle.id}")
    assert f"/photos/{name}" in case
    photo = client.get(f"/cases/{submitted.complaint_id}/photos/{name}")
    photo.close()
    assert photo.status_code == 200
    # A reply photo shows someone's house: the browser may keep it, a shared proxy may not.
    assert photo.cache_control.private and not photo.cache_control.public


def test_reply_without_a_photo_field_skips_photos(app, desk, login):
    _deploy_handle_form(app, photos=False)
    submitted = _accepted_and_assisted(desk)
    handle = task(desk, submitted, "handle")
    client = login("water")
    assert 'type="file"' not in _page(client, f"/inbox/tasks/{handle.id}")
    response = _post(client, handle.id, {"outcome": "reply", "reply_text": "已处理"})
    assert response.status_code == 302
    complaint = desk.complaint(submitted.complaint_id)
    assert (complaint.stage, complaint.reply_text) == ("callback", "已处理")


def test_extension_request_goes_to_the_dispatcher_and_a_missing_date_is_named(app, desk, login):
    submitted = report(desk, "D07-07", MAJIAYING)
    do(desk, submitted, "sign_for", ACCEPT, actor="water")
    handle = task(desk, submitted, "handle")
    client = login("water")
    refused = _post(client, handle.id, {"outcome": "extension", "extension_reason": "管材外调"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert 'id="f-extension-extension_until-err"' in page and "申请延至" in page
    assert "管材外调" in page
    response = _post(
        client,
        handle.id,
        {
            "outcome": "extension",
            "extension_reason": "管材外调",
            "extension_until": "2026-03-20",
            "progress_note": "已开挖",
        },
    )
    assert response.status_code == 302
    assert "approve_extension" in task_names(desk, submitted)


def test_assist_as_supporting_unit(app, desk, login):
    submitted = report(desk, "D07-07", MAJIAYING)
    assist = task(desk, submitted, "assist", "xiguocheng")
    client = login("xgc")
    assert "协办情况" in _page(client, f"/inbox/tasks/{assist.id}")
    assert _post(client, assist.id, {"assist_note": "已派人现场警戒"}).status_code == 302
    assert [
        t.candidate_groups
        for t in desk.host.ready_tasks(instance_id=submitted.instance_id)
        if t.task_name == "assist"
    ] == [["transport"]]


def test_a_township_cannot_see_or_act_on_another_townships_task(app, desk, login):
    submitted = report(desk, "D04-01", SHAOJI)
    sign_for = task(desk, submitted, "sign_for", "xiaolvzhai")
    client = login("xgc")
    assert client.get(f"/inbox/tasks/{sign_for.id}").status_code == 403
    assert _post(client, sign_for.id, ACCEPT).status_code == 403
    assert task(desk, submitted, "sign_for").id == sign_for.id
    assert desk.complaint(submitted.complaint_id).stage == "sign_for"
    assert sign_for.id not in _page(client, "/inbox/")


def test_a_second_completion_gets_409_with_a_way_back(app, desk, login):
    submitted = report(desk, "D07-07", MAJIAYING)
    sign_for = task(desk, submitted, "sign_for")
    first, second = login("water"), login("water_lead")
    token = csrf_from(_page(second, f"/inbox/tasks/{sign_for.id}"))
    assert _post(first, sign_for.id, ACCEPT).status_code == 302
    response = second.post(f"/inbox/tasks/{sign_for.id}", data={**ACCEPT, "csrf_token": token})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "已由 water 办理完成" in page and 'href="/inbox/"' in page
    assert task_names(desk, submitted).count("handle") == 1


def test_consultation_position_is_in_the_partys_inbox(app, desk, login):
    returned = {"decision": "return", "return_reason": "不属于本单位", "return_basis": "D04-01"}
    submitted = report(desk, "D04-01", SHAOJI)
    do(desk, submitted, "sign_for", returned, actor="xlz")
    do(
        desk,
        submitted,
        "adjudicate",
        {"ruling": "reroute", "new_primary_unit": "urban_management", "ruling_note": "改派"},
        actor="dispatcher",
    )
    do(desk, submitted, "sign_for", returned, actor="cgj")
    do(desk, submitted, "convene", {"meeting_note": "召集"}, actor="orgdept")
    position = task(desk, submitted, "state_position", "xiaolvzhai")
    client = login("xlz")
    inbox = _page(client, "/inbox/?stage=consultation")
    assert position.id in inbox and "联席会商" in inbox
    assert "本单位意见" in _page(client, f"/inbox/tasks/{position.id}")
    response = _post(
        client, position.id, {"position": "应由城管局负责", "proposed_primary": "urban_management"}
    )
    assert response.status_code == 302
    assert position.id not in _page(client, "/inbox/")


def test_listed_check_in_has_no_deadline_so_comes_last_and_reports_progress(app, desk, login):
    listed = report(desk, "D07-07", MAJIAYING)
    do(desk, listed, "sign_for", ACCEPT, actor="water")
    client = login("water")
    handle = task(desk, listed, "handle")
    response = _post(client, handle.id, {"outcome": "list", "listing_plan": "管网改造分三期"})
    assert response.status_code == 302
    do(desk, listed, "approve_listing", {"listing_approved": True}, actor="dispatcher")
    checkin = task(desk, listed, "listed_checkin")
    waiting = report(desk, "D07-07", MAJIAYING)
    page = _page(client, "/inbox/")
    assert page.index(task(desk, waiting, "sign_for").id) < page.index(checkin.id)
    assert "无时限" in page
    response = _post(client, checkin.id, {"progress_note": "一期完工", "solved": "false"})
    assert response.status_code == 302
    assert task(desk, listed, "listed_checkin").id != checkin.id, "not solved: next check-in"


def test_an_extension_to_a_past_day_is_refused_next_to_the_date_and_changes_nothing(
    app, desk, login
):
    submitted = report(desk, "D07-07", MAJIAYING)
    do(desk, submitted, "sign_for", ACCEPT, actor="water")
    handle = task(desk, submitted, "handle")
    yesterday = (desk.today() - timedelta(days=1)).isoformat()
    refused = _post(
        login("water"),
        handle.id,
        {"outcome": "extension", "extension_reason": "管材外调", "extension_until": yesterday},
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert 'id="f-extension-extension_until-err"' in page and "须晚于今天" in page
    assert task_names(desk, submitted) == ["assist", "assist", "handle"]


def test_the_extension_form_is_offered_only_while_the_catalog_allows_one(app, desk, login):
    allowed = report(desk, "D07-07", MAJIAYING)  # 路面塌陷: one extension
    none = report(desk, "D07-02", MAJIAYING)  # 供水管道破裂漏水: none (the township handles)
    for submitted in (allowed, none):
        do(desk, submitted, "sign_for", ACCEPT, actor="staff")
    allowed_page = _page(login("water"), f"/inbox/tasks/{task(desk, allowed, 'handle').id}")
    assert "提交延期申请" in allowed_page
    page = _page(login("xgc"), f"/inbox/tasks/{task(desk, none, 'handle').id}")
    assert "提交延期申请" not in page and "申请延期" not in page
    assert "提交答复" in page
