"""Bad input on the report page: a clear message next to the field, the input kept, nothing
stored (no complaint row, no photo file)."""

from __future__ import annotations

import re

from tests.web.test_report_helpers import (
    code_of,
    complaint_count,
    photo,
    png_bytes,
    post_report,
    stored_files,
)
from web.uploads import MAX_PHOTO_BYTES


def _error_of(page: str, field: str) -> str:
    match = re.search(
        rf'<div class="field-error" id="{field}-error" role="alert">([^<]+)</div>', page
    )
    assert match, f"no error shown for {field}"
    return match.group(1)


def test_oversized_photo_is_refused_by_name_and_nothing_is_stored(app):
    client = app.test_client()
    big = png_bytes() + b"\0" * MAX_PHOTO_BYTES
    response = post_report(client, photos=[photo("ok.png"), photo("huge.png", big)])
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "“huge.png”超过 5 MB" in _error_of(page, "photos")
    assert "照片尚未保存，请重新选择" in page
    assert "村口路面塌陷，下面的水管破了" in page and 'value="13800001234"' in page
    assert complaint_count(app) == 0 and stored_files(app) == []


def test_text_file_renamed_jpg_is_not_a_picture(app):
    response = post_report(
        app.test_client(), photos=[photo("scan.jpg", b"just some text, not a picture\n")]
    )
    assert response.status_code == 400
    assert "“scan.jpg”不是图片" in _error_of(response.get_data(as_text=True), "photos")
    assert complaint_count(app) == 0 and stored_files(app) == []


def test_missing_required_fields_are_named_and_the_input_kept(app):
    response = post_report(
        app.test_client(), matter_id="", village_id="", description="", reporter_phone="138"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请选择事项类别" in _error_of(page, "matter_id")
    assert "请选择问题所在的村（社区）" in _error_of(page, "village_id")
    assert "请描述遇到的问题" in _error_of(page, "description")
    assert '<option value="xiguocheng" selected>西郭城镇</option>' in page
    assert complaint_count(app) == 0


def test_anonymous_report_needs_a_phone_and_a_valid_one(app):
    client = app.test_client()
    page = post_report(client, reporter_phone="").get_data(as_text=True)
    assert "请留下手机号" in _error_of(page, "reporter_phone")
    page = post_report(client, reporter_phone="12345").get_data(as_text=True)
    assert "电话号码格式不正确" in _error_of(page, "reporter_phone")
    assert complaint_count(app) == 0


def test_bad_photo_with_a_good_one_whose_report_is_then_refused_leaves_no_file(app):
    response = post_report(app.test_client(), reporter_phone="12345", photos=[photo()])
    assert response.status_code == 400
    assert complaint_count(app) == 0 and stored_files(app) == []


def test_village_outside_the_chosen_township_and_foreign_grid_are_refused(app):
    client = app.test_client()
    page = post_report(client, township_id="juluzhen").get_data(as_text=True)
    assert "不属于所选乡镇" in _error_of(page, "village_id")
    page = post_report(client, grid_id="juluzhen-001-g1").get_data(as_text=True)
    assert "所选网格不属于" in _error_of(page, "grid_id")
    page = post_report(client, latitude="北纬37", longitude="115").get_data(as_text=True)
    assert "请填写数字" in _error_of(page, "latitude")
    assert complaint_count(app) == 0


def test_forged_csrf_token_is_refused_and_nothing_stored(app):
    response = post_report(app.test_client(), csrf_token="forged", photos=[photo()])
    assert response.status_code == 400
    assert "CSRF 校验失败" in response.get_data(as_text=True)
    assert complaint_count(app) == 0 and stored_files(app) == []


def test_script_in_the_description_is_shown_as_text(app, login):
    client = login("resident")
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    code_of(post_report(client, description=f"路面塌陷 {script}"))
    [complaint_id] = re.findall(
        r"/cases/mine/(\d+)", client.get("/cases/mine").get_data(as_text=True)
    )
    detail = client.get(f"/cases/mine/{complaint_id}").get_data(as_text=True)
    assert script not in detail
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
        in detail
    )
    refused = post_report(client, matter_id="", description=script).get_data(as_text=True)
    assert script not in refused and "&lt;script&gt;" in refused
