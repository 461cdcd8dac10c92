"""The console's queues: unrouted (determine), screening of duplicates, extension and
listing requests, the overdue board with supervision and the listed-supervision ledger."""

from __future__ import annotations

from datetime import timedelta

from tests.engine.complaints.helpers import move_to, task_names
from tests.web.test_console_common import (
    act,
    desk_fixture,  # noqa: F401  (the desk fixture)
    do,
    post,
    report,
    signed_case,
    task,
)


def test_home_counts_queues_and_the_unrouted_case_is_determined(login, desk):
    unrouted = report(desk, None, "dicun-002", description="村里有个坑，不知道归谁管")
    returned = report(desk, "D04-01", "xiaolvzhai-002")
    do(
        desk,
        returned,
        "sign_for",
        {"decision": "return", "return_reason": "非本镇", "return_basis": "D04-01"},
    )
    client = login("dispatcher")
    home = client.get("/console/").get_data(as_text=True)
    assert unrouted.tracking_code in home and "村里有个坑" in home
    assert "未选择事项类别" in home  # why the catalog could not decide
    assert "<b>1</b>争议件待裁定" in home and "<b>1</b>待定性" in home

    determine = task(desk, unrouted, "determine")
    response = act(
        client,
        determine.id,
        {
            "primary_unit": "dicun",
            "supporting_units_text_pick": ["transport", "water_supply"],
            "determine_note": "村内道路，属地负责",
        },
    )
    assert response.status_code == 302
    complaint = desk.complaint(unrouted.complaint_id)
    assert (complaint.primary_unit, complaint.supporting_units) == (
        "dicun",
        ["transport", "water_supply"],
    )
    assert task(desk, unrouted, "sign_for").candidate_groups == ["dicun"]
    assert (
        unrouted.tracking_code
        not in client.get("/console/")
        .get_data(as_text=True)
        .split('id="unrouted"')[1]
        .split('id="screening"')[0]
    )


def test_determine_without_a_unit_shows_the_error_next_to_the_field(login, desk):
    unrouted = report(desk, None, "dicun-002")
    client = login("dispatcher")
    determine = task(desk, unrouted, "determine")
    response = act(client, determine.id, {"primary_unit": "", "determine_note": "待查"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    field = html.index('name="primary_unit"')
    assert "“主体责任单位”为必填项" in html[field : field + 3000]
    assert "待查" in html
    assert task_names(desk, unrouted) == ["determine"]


def test_duplicates_are_merged_or_closed_before_sign_for_and_refused_after(login, desk):
    first = report(desk, "D07-07", "xiguocheng-002", description="村口路面塌陷")
    dup = report(desk, "D07-07", "xiguocheng-002", description="村口路面塌陷（重复）")
    spam = report(desk, "D07-07", "xiguocheng-002", description="同上")
    late = report(desk, "D07-07", "xiguocheng-002", description="又一次")
    assert dup.duplicate_of == first.complaint_id
    client = login("dispatcher")
    home = client.get("/console/").get_data(as_text=True)
    screening = home[home.index('id="screening"') :]
    assert dup.tracking_code in screening and first.tracking_code in screening

    response = post(
        client,
        f"/console/screening/{dup.complaint_id}/close",
        {"kind": "merged", "merged_into": first.tracking_code, "reason": "同一处塌陷"},
    )
    assert response.status_code == 302
    merged = desk.complaint(dup.complaint_id)
    assert (merged.stage, merged.merged_into) == ("merged", first.complaint_id)

    url = f"/console/screening/{spam.complaint_id}/close"
    response = post(client, url, {"kind": "invalid", "reason": " "})
    assert response.status_code == 400
    assert "请填写合并或作废的理由" in response.get_data(as_text=True)
    assert desk.complaint(spam.complaint_id).status == "open"
    assert post(client, url, {"kind": "invalid", "reason": "无效信息"}).status_code == 302
    assert desk.complaint(spam.complaint_id).stage == "invalid"

    do(desk, late, "sign_for", {"decision": "accept"}, actor="water")
    response = post(
        client,
        f"/console/screening/{late.complaint_id}/close",
        {"kind": "merged", "merged_into": first.tracking_code, "reason": "重复"},
    )
    assert response.status_code == 409
    assert "可能已签收或已办结" in response.get_data(as_text=True)
    assert desk.complaint(late.complaint_id).stage == "handling"


def _ask(desk, submitted, **form):
    do(desk, submitted, "handle", form, actor="water")


def test_extension_requests_show_date_and_reason_and_are_approved_or_refused(login, desk):
    approved, refused = signed_case(desk), signed_case(desk, "D07-07", "dicun-002")
    for case, reason in ((approved, "需更换整段主管道"), (refused, "等待材料")):
        _ask(desk, case, outcome="extension", extension_reason=reason, extension_until="2022-04-29")
    client = login("dispatcher")
    page = client.get("/console/approvals").get_data(as_text=True)
    assert "2022-04-29" in page and "需更换整段主管道" in page and "等待材料" in page
    due_before = desk.complaint(approved.complaint_id).handle_due

    yes = act(
        client,
        task(desk, approved, "approve_extension").id,
        {"extension_approved": "true", "extension_note": "同意"},
    )
    no = act(
        client,
        task(desk, refused, "approve_extension").id,
        {"extension_approved": "false", "extension_note": "请按期办结"},
    )
    assert yes.status_code == no.status_code == 302
    extended = desk.complaint(approved.complaint_id)
    assert extended.extension_count == 1 and extended.handle_due > due_before
    assert desk.complaint(refused.complaint_id).extension_count == 0
    assert "handle" in task_names(desk, approved) and "handle" in task_names(desk, refused)
    assert "approve_extension" not in task_names(desk, approved) + task_names(desk, refused)


def test_listing_request_is_approved_and_appears_in_the_ledger(login, desk):
    submitted = signed_case(desk, "D07-06", "guanting-003")
    _ask(desk, submitted, outcome="list", listing_plan="纳入年度管网改造计划")
    client = login("dispatcher")
    assert "纳入年度管网改造计划" in client.get("/console/approvals").get_data(as_text=True)
    response = act(
        client, task(desk, submitted, "approve_listing").id, {"listing_approved": "true"}
    )
    assert response.status_code == 302
    do(desk, submitted, "listed_checkin", {"progress_note": "已完成管材招标"}, actor="water")
    ledger = client.get("/console/listed").get_data(as_text=True)
    assert submitted.tracking_code in ledger
    assert "纳入年度管网改造计划" in ledger and "已完成管材招标" in ledger and "整改中" in ledger


def test_overdue_board_lists_late_cases_oldest_first_and_supervises_them(login, desk):
    older = signed_case(desk)
    desk.host.clock.advance(timedelta(hours=2))
    newer = signed_case(desk, "D07-02", "juluzhen-001")
    late = desk.complaint(newer.complaint_id).handle_due
    move_to(desk, late + timedelta(hours=1))
    on_time = signed_case(desk, "D10-02", "dicun-002")
    client = login("dispatcher")
    board = client.get("/console/overdue").get_data(as_text=True)
    assert board.index(older.tracking_code) < board.index(newer.tracking_code)
    assert on_time.tracking_code not in board
    supervise = task(desk, older, "supervise")
    response = act(client, supervise.id, {"supervision_note": "请今日办结并答复群众"})
    assert response.status_code == 302
    assert "supervise" not in task_names(desk, older)
