"""The agriculture pages without a browser: asking with photos, refused input, the expert's
answer, the push composer's preview, reading receipts, the printable notice, who may see what."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import func, select

from engine.agri.models import Consultation, GuidancePush, PushReceipt
from tests.web.conftest import csrf_from


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 160, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def _count(app, column) -> int:
    with app.extensions["juhaoban.host"].session_factory() as s:
        return s.scalar(select(func.count(column)))


def _grower_id(client, name: str) -> str:
    html = client.get("/agri/ask").get_data(as_text=True)
    start = html.index(f">{name}（")
    return html[html.rindex('value="', 0, start) + 7 : html.rindex('"', 0, start)]


def _ask(client, **fields):
    token = csrf_from(client.get("/agri/ask").get_data(as_text=True))
    return client.post(
        "/agri/ask",
        data={"csrf_token": token, **fields},
        content_type="multipart/form-data",
    )


def test_grid_worker_asks_with_a_photo_and_the_expert_concludes(agri_app, login):
    gridworker = login("gridworker")
    grower = _grower_id(gridworker, "卢俊飞")
    response = _ask(
        gridworker,
        grower_id=grower,
        crop="honeysuckle",
        symptom="leaf_drying",
        description="金银花叶子干枯，周边也有",
        photos=(io.BytesIO(_png()), "leaf.png"),
    )
    assert response.status_code == 302
    page = gridworker.get(response.location).get_data(as_text=True)
    assert "待专家答复" in page and "金银花" in page and "孔寨村" in page
    assert "/photos/" in page  # the photo is shown in the conversation

    expert = login("expert")
    inbox = expert.get("/agri/expert").get_data(as_text=True)
    assert "金银花 · 叶片干枯发黄" in inbox
    cid = response.location.rsplit("/", 1)[1]
    token = csrf_from(expert.get(f"/agri/c/{cid}").get_data(as_text=True))
    done = expert.post(
        f"/agri/c/{cid}/expert_reply",
        data={
            "csrf_token": token,
            "reply_kind": "conclude",
            "message": "浇水过多",
            "diagnosis": "土壤过湿引发病菌",
            "guidance": "修剪病枝、换土移盆、晒干土壤",
            "widespread": "true",
        },
    )
    assert done.status_code == 302
    page = gridworker.get(f"/agri/c/{cid}").get_data(as_text=True)
    assert "修剪病枝" in page and "专家的帮助有用吗" in page


def test_a_file_that_is_not_an_image_or_a_foreign_field_changes_nothing(agri_app, login):
    gridworker = login("gridworker")
    grower = _grower_id(gridworker, "卢俊飞")
    fields = dict(grower_id=grower, crop="honeysuckle", symptom="pests", description="有虫")
    refused = _ask(gridworker, **fields, photos=(io.BytesIO(b"%PDF-1.4 not a photo"), "a.pdf"))
    assert refused.status_code == 400
    assert "“a.pdf”不是图片（只接受 JPEG、PNG、WebP、GIF）" in refused.get_data(as_text=True)
    foreign = _ask(gridworker, **fields, expert="expert")
    assert foreign.status_code == 400
    assert "表单含有不接受的字段：expert" in foreign.get_data(as_text=True)
    empty = _ask(gridworker, grower_id=grower, crop="honeysuckle", symptom="", description="")
    assert empty.status_code == 400
    assert "请选择症状" in empty.get_data(as_text=True)
    assert _count(agri_app, Consultation.id) == 0
    uploads = agri_app.extensions["juhaoban"].uploads_dir
    assert not uploads.exists() or not any(uploads.iterdir())


def test_composer_previews_the_audience_then_growers_confirm_reading(agri_app, login):
    expert = login("expert")
    preview = expert.get("/agri/push/new?crop=honeysuckle&townships=dicun&title=&body=").get_data(
        as_text=True
    )
    # 25 registered growers of 堤村乡 grow honeysuckle, in five villages.
    assert "将推送给 <b>25</b> 户种植户，分布在 <b>5</b> 个村" in preview
    assert "堤村乡孔寨村：5 户" in preview
    token = csrf_from(preview)
    bad = expert.post(
        "/agri/push/new",
        data={"csrf_token": token, "crop": "honeysuckle", "title": "", "body": "x"},
    )
    assert bad.status_code == 400 and "请至少选择一个乡镇或村" in bad.get_data(as_text=True)
    assert _count(agri_app, GuidancePush.id) == 0
    sent = expert.post(
        "/agri/push/new",
        data={
            "csrf_token": token,
            "crop": "honeysuckle",
            "townships": "dicun",
            "title": "金银花叶枯病防治",
            "body": "修剪病枝、换土移盆、晒干土壤",
        },
    )
    assert sent.status_code == 302
    detail = expert.get(sent.location).get_data(as_text=True)
    assert "还没有确认阅读的种植户（25）" in detail

    grower = login("grower")
    mine = grower.get("/agri/mine").get_data(as_text=True)
    assert "金银花叶枯病防治" in mine and "1 条未确认" in mine
    with agri_app.extensions["juhaoban.host"].session_factory() as s:
        receipt = s.scalar(select(PushReceipt.id).where(PushReceipt.recipient == "grower"))
        other = s.scalar(select(PushReceipt.id).where(PushReceipt.recipient == "gridworker"))
    token = csrf_from(mine)
    grower.post(f"/agri/guidance/{receipt}/read", data={"csrf_token": token})
    grower.post(f"/agri/guidance/{other}/read", data={"csrf_token": token})  # not his
    detail = expert.get(sent.location).get_data(as_text=True)
    assert "还没有确认阅读的种植户（24）" in detail
    assert "杨培武" not in detail.split("还没有确认阅读")[1]

    notice = grower.get(sent.location + "/print").get_data(as_text=True)
    assert "@media print" in notice and "致堤村乡金银花种植户" in notice


def test_who_may_see_the_agriculture_pages(agri_app, login):
    assert login("resident").get("/agri/ask").status_code == 403
    assert login("grower").get("/agri/expert").status_code == 403
    assert login("grower").get("/agri/push/new").status_code == 403
    assert login("water").get("/agri/pushes").status_code == 403
    assert login("leader").get("/agri/pushes").status_code == 200
    assert login("agri_lead").get("/agri/experts").status_code == 200
    assert login("gridworker").get("/agri/growers").status_code == 200


def test_leaders_dashboard_and_report_show_the_agricultural_figures(agri_app, login, clock):
    gridworker = login("gridworker")
    _ask(
        gridworker,
        grower_id=_grower_id(gridworker, "卢俊飞"),
        crop="honeysuckle",
        symptom="leaf_drying",
        description="叶子干枯",
    )
    page = login("leader").get("/analytics/").get_data(as_text=True)
    assert "农技咨询（近30天）" in page
    assert '<b id="agri-questions">1</b>' in page
    assert '<td>金银花</td><td>叶片干枯发黄</td><td class="num">1</td>' in page

    from datetime import date

    from analytics import Period, publish_report

    published = publish_report(
        agri_app.extensions["juhaoban.host"].session_factory,
        county="julu",
        period=Period(date(2026, 3, 1), date(2026, 3, 31)),
        now=clock.now(),
        actor="test",
    )
    report = login("leader").get(f"/analytics/reports/{published.snapshot_id}")
    assert "六、农技咨询与指导推送" in report.get_data(as_text=True)


def test_a_scheduled_push_shows_its_date_and_can_be_withdrawn(agri_app, login):
    expert = login("expert")
    token = csrf_from(expert.get("/agri/push/new").get_data(as_text=True))
    bad = expert.post(
        "/agri/push/new",
        data={
            "csrf_token": token,
            "crop": "honeysuckle",
            "townships": "dicun",
            "title": "蚜虫",
            "body": "注意蚜虫",
            "send_at": "明天早上",
        },
    )
    assert bad.status_code == 400 and "发送时间格式不对" in bad.get_data(as_text=True)
    scheduled = expert.post(
        "/agri/push/new",
        data={
            "csrf_token": token,
            "crop": "honeysuckle",
            "townships": "dicun",
            "title": "蚜虫",
            "body": "第二茬花采后注意蚜虫",
            "send_at": "2026-06-20T08:00",
        },
    )
    detail = expert.get(scheduled.location).get_data(as_text=True)
    assert "定时 2026-06-20 08:00 推送" in detail
    expert.post(scheduled.location + "/cancel", data={"csrf_token": token})
    detail = expert.get(scheduled.location).get_data(as_text=True)
    assert "已取消（定时推送在发送前撤销）" in detail
    assert "取消定时推送</button>" not in detail
    assert _count(agri_app, PushReceipt.id) == 0


def test_notifications_of_a_consultation_lead_to_its_page(agri_app, login):
    gridworker = login("gridworker")
    response = _ask(
        gridworker,
        grower_id=_grower_id(gridworker, "卢俊飞"),
        crop="honeysuckle",
        symptom="pests",
        description="有虫",
    )
    consultation_page = response.location
    expert = login("expert")
    listing = expert.get("/notifications/").get_data(as_text=True)
    assert "新任务：专家答复" in listing
    link = listing.split("新任务：专家答复")[1].split('href="')[1].split('"')[0]
    assert expert.get(link).location.endswith(consultation_page.split("/agri")[1])


def test_grid_worker_registers_a_grower_and_bad_fields_are_named(agri_app, login):
    gridworker = login("gridworker")
    token = csrf_from(gridworker.get("/agri/growers").get_data(as_text=True))
    bad = gridworker.post(
        "/agri/growers",
        data={
            "csrf_token": token,
            "name": "",
            "village_id": "dicun-001",
            "username": "resident",
            "crops": ["honeysuckle"],
            "area_honeysuckle": "很多",
        },
    )
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "只能登记您网格所在村的种植户" in page
    bad = gridworker.post(
        "/agri/growers",
        data={
            "csrf_token": token,
            "name": "",
            "village_id": "dicun-002",
            "username": "resident",
            "crops": ["honeysuckle"],
            "area_honeysuckle": "很多",
        },
    )
    page = bad.get_data(as_text=True)
    assert "请填写种植户姓名" in page and "不是种植户账号" in page
    assert "金银花的种植面积应为数字（亩）" in page
    before = gridworker.get("/agri/growers").get_data(as_text=True).count("<tr><td>")
    ok = gridworker.post(
        "/agri/growers",
        data={
            "csrf_token": token,
            "name": "高令娟",
            "village_id": "dicun-002",
            "crops": ["honeysuckle", "wheat"],
            "area_honeysuckle": "4.5",
            "area_wheat": "2",
        },
    )
    assert ok.status_code == 302
    listing = gridworker.get("/agri/growers").get_data(as_text=True)
    assert listing.count("<tr><td>") == before + 1
    assert "金银花 4.5、小麦 2" in listing


def test_an_unanswered_question_shows_as_escalated_to_the_bureaus_lead(agri_app, login, clock):
    from datetime import timedelta

    gridworker = login("gridworker")
    response = _ask(
        gridworker,
        grower_id=_grower_id(gridworker, "卢俊飞"),
        crop="honeysuckle",
        symptom="pests",
        description="有虫",
    )
    lead = login("agri_lead")
    assert "逾期升级的咨询" not in lead.get("/agri/expert").get_data(as_text=True)
    clock.advance(timedelta(days=2))  # past Tuesday's close of business
    agri_app.extensions["juhaoban.host"].sweep()
    inbox = lead.get("/agri/expert").get_data(as_text=True)
    assert "逾期升级的咨询" in inbox and "已升级" in inbox
    page = lead.get(response.location).get_data(as_text=True)
    assert "已升级督办 1 次" in page and "答复种植户" in page  # the lead may answer now


def test_a_grower_with_an_account_registers_themselves(app, login):
    grower = login("grower")
    assert "登记所在村、作物和种植面积" in grower.get("/agri/ask").get_data(as_text=True)
    page = grower.get("/agri/register").get_data(as_text=True)
    token = csrf_from(page)
    bad = grower.post("/agri/register", data={"csrf_token": token, "village_id": "nowhere"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "请选择种植户所在的村" in text and "请至少选择一种作物并填写面积" in text
    ok = grower.post(
        "/agri/register",
        data={
            "csrf_token": token,
            "village_id": "dicun-003",
            "crops": ["honeysuckle"],
            "area_honeysuckle": "20",
        },
    )
    assert ok.status_code == 302 and ok.location.endswith("/agri/ask")
    assert "杨培武（堤村乡前堤村）" in grower.get("/agri/ask").get_data(as_text=True)
    assert grower.get("/agri/register").status_code == 302  # registered once
