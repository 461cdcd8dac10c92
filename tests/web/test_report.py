"""The report page: a resident or a grid worker reports, and sees where it went."""

from __future__ import annotations

from tests.web.test_report_helpers import (
    MAJIAYING,
    code_of,
    complaint_count,
    complaints,
    photo,
    post_report,
    stored_files,
)


def test_anonymous_report_gets_a_tracking_code_and_the_unit_it_went_to(app):
    client = app.test_client()
    page = client.get("/report/new").get_data(as_text=True)
    assert "我要反映" in page and "巨鹿镇" in page and "不确定，由调度中心判定" in page
    response = post_report(client, photos=[photo("road.png"), photo("pipe.png")])
    code = code_of(response)
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "您的诉求已受理" in result and code in result
    assert "已按责任清单派至 <b>县供水服务中心</b>" in result
    [complaint] = complaints(app)
    assert complaint.tracking_code == code
    assert complaint.channel == "web" and complaint.reporter_group == f"reporter:{code}"
    assert complaint.primary_unit == "water_supply" and complaint.stage == "sign_for"
    assert len(complaint.photos) == 2 and stored_files(app) == sorted(complaint.photos)


def test_unsure_matter_goes_to_the_dispatcher(app):
    client = app.test_client()
    response = post_report(client, matter_id="unsure", description="不知道归谁管")
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "调度中心正在确定承办单位" in result
    [complaint] = complaints(app)
    assert complaint.matter_id is None and complaint.stage == "jurisdiction"


def test_keyword_search_offers_matching_matters_and_picks_one(app):
    client = app.test_client()
    page = client.get("/report/new?q=垃圾").get_data(as_text=True)
    assert "村内垃圾点清运" in page and "城区生活垃圾清运" in page
    page = client.get("/report/new?q=路灯").get_data(as_text=True)
    assert "路灯不亮" in page and "matter=D09-01" in page
    chosen = client.get("/report/new?q=路灯&matter=D09-01").get_data(as_text=True)
    assert '<option value="D09-01" selected>路灯不亮</option>' in chosen
    nothing = client.get("/report/new?q=火星").get_data(as_text=True)
    assert "没有找到与“火星”相关的事项" in nothing


def test_domain_filter_narrows_the_matter_list_without_javascript(app):
    page = app.test_client().get("/report/new?domain=D09").get_data(as_text=True)
    assert "路灯不亮" in page and "村内垃圾点清运" not in page


def test_signed_in_resident_is_recognised_and_sees_the_report_in_my_reports(app, login):
    client = login("resident")
    page = client.get("/report/new").get_data(as_text=True)
    assert "您已登录" in page
    code = code_of(post_report(client, reporter_phone=""))
    [complaint] = complaints(app)
    assert complaint.reporter_group == "reporter:resident"
    mine = client.get("/cases/mine").get_data(as_text=True)
    assert code in mine and "待签收" in mine
    detail = client.get(f"/cases/mine/{complaint.id}").get_data(as_text=True)
    assert "村口路面塌陷" in detail and "已派至承办单位" in detail


def test_grid_worker_reports_on_behalf_of_a_resident(app, login):
    client = login("gridworker")
    assert "代群众反映问题" in client.get("/report/new").get_data(as_text=True)
    response = post_report(
        client,
        grid_id=f"{MAJIAYING}-g1",
        reporter_name="王大爷",
        reporter_phone="",
        consent="yes",
    )
    code = code_of(response)
    [complaint] = complaints(app)
    assert complaint.channel == "grid" and complaint.on_behalf
    assert complaint.reporter_group == "grid:gridworker" and complaint.reporter_name == "王大爷"
    mine = client.get("/cases/mine").get_data(as_text=True)
    assert code in mine


def test_grid_worker_on_behalf_report_requires_the_name_and_consent(app, login):
    client = login("gridworker")
    response = post_report(client, reporter_name="", reporter_phone="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "代群众反映须填写群众姓名" in page and "代群众反映须先取得群众本人同意" in page
    assert "村口路面塌陷，下面的水管破了" in page, "the typed description is kept"
    assert complaint_count(app) == 0


def test_grid_worker_sees_reports_of_their_grids_but_not_others(app, login):
    resident = login("resident")
    code_of(post_report(resident, grid_id=f"{MAJIAYING}-g1", description="网格内的问题"))
    code_of(
        post_report(
            resident, village_id="juluzhen-001", township_id="juluzhen", description="别处的问题"
        )
    )
    page = login("gridworker").get("/cases/mine").get_data(as_text=True)
    codes = {c.tracking_code: c for c in complaints(app)}
    inside, outside = (c for c in codes.values())
    assert inside.tracking_code in page and outside.tracking_code not in page


def test_my_reports_is_for_residents_and_grid_workers_only(app, login):
    assert login("water").get("/cases/mine").status_code == 403
    assert app.test_client().get("/cases/mine").status_code == 302
