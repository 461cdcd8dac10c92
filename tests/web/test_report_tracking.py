"""The public tracking page: progress by tracking code, and no personal data."""

from __future__ import annotations

from tests.web.test_report_helpers import PHONE, code_of, post_report, reply


def test_tracking_shows_stage_steps_and_reply_without_personal_data(app, login):
    client = login("gridworker")
    code = code_of(
        post_report(
            client,
            grid_id="xiguocheng-002-g1",
            reporter_name="王大爷",
            reporter_phone=PHONE,
            consent="yes",
            description="王大爷家门口路面塌陷，电话13800001234",
        )
    )
    reply(app, code, text="水管已修复，路面已恢复")
    page = app.test_client().get(f"/cases/track?code={code.lower()}").get_data(as_text=True)
    assert "待回访" in page
    for step in ("诉求已受理", "已派至承办单位", "承办单位已签收，正在办理", "承办单位已答复"):
        assert step in page
    assert "县供水服务中心" in page and "水管已修复，路面已恢复" in page
    for private in ("王大爷", PHONE, "gridworker", "李网格", "grid:", "water", "王供水", "门口"):
        assert private not in page, f"{private!r} leaked on the public page"


def test_unknown_code_says_so_without_hinting(app):
    client = app.test_client()
    response = client.get("/cases/track?code=JL-0000-NOTACODE")
    assert response.status_code == 404
    assert "未找到编号为“JL-0000-NOTACODE”的诉求" in response.get_data(as_text=True)
    assert "诉求编号" in client.get("/cases/track").get_data(as_text=True)


def test_tracking_page_escapes_what_was_typed(app):
    page = app.test_client().get("/cases/track?code=<script>x").get_data(as_text=True)
    assert "<script>x" not in page and "&lt;SCRIPT&gt;X" in page


def test_report_photos_are_not_public(app):
    from tests.web.test_report_helpers import complaints, photo

    client = app.test_client()
    code_of(post_report(client, photos=[photo()]))
    [complaint] = complaints(app)
    url = f"/cases/track/photos/{complaint.id}/{complaint.photos[0]}"
    assert app.test_client().get(url).status_code == 403
    assert login_free_page_has_no_photo(app.test_client(), complaint.tracking_code)


def login_free_page_has_no_photo(client, code: str) -> bool:
    return "/cases/track/photos/" not in client.get(f"/cases/track?code={code}").get_data(
        as_text=True
    )
