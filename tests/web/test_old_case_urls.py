"""The reporter's case pages moved from /report/... to /cases/... (one vocabulary: a report is
the act, a case page the view). Tracking links printed on slips, sent by SMS or bookmarked keep
working: GETs are redirected permanently with their query, POSTs with 308 (same method, same
form)."""

from __future__ import annotations

from tests.web.conftest import csrf_from
from tests.web.test_report_helpers import code_of, complaints, photo, post_report, reply


def test_an_old_tracking_link_leads_to_the_case_page(app):
    code = code_of(post_report(app.test_client()))
    client = app.test_client()
    moved = client.get(f"/report/track?code={code}")
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith(f"/cases/track?code={code}")
    page = client.get(f"/report/track?code={code}", follow_redirects=True)
    assert page.status_code == 200 and code in page.get_data(as_text=True)
    assert page.request.path == "/cases/track"


def test_old_form_posts_keep_their_method_and_reach_the_new_page(app):
    client = app.test_client()
    code = code_of(post_report(client))
    reply(app, code)
    # A form from a page opened before the move carries that session's token.
    token = csrf_from(client.get(f"/cases/track?code={code}").get_data(as_text=True))
    form = {"phone": "13900000000", "csrf_token": token}
    moved = client.post(f"/report/track/{code}/verify", data=form)
    assert moved.status_code == 308
    assert moved.headers["Location"].endswith(f"/cases/track/{code}/verify")
    answer = client.post(moved.headers["Location"], data=form)
    assert "手机号与反映问题时留下的号码不一致" in answer.get_data(as_text=True)
    for old, new in (
        (f"/report/track/{code}/rate", f"/cases/track/{code}/rate"),
        ("/report/mine/7/rate", "/cases/mine/7/rate"),
    ):
        response = client.post(old, data={"csrf_token": token})
        assert (response.status_code, response.headers["Location"].endswith(new)) == (308, True)


def test_my_complaints_and_photos_moved_with_their_ids(app, login):
    client = login("resident")
    assert client.get("/report/mine").headers["Location"].endswith("/cases/mine")
    assert client.get("/report/mine", follow_redirects=True).status_code == 200
    assert client.get("/report/mine/12").headers["Location"].endswith("/cases/mine/12")
    post_report(app.test_client(), photos=[photo()])
    [complaint] = [c for c in complaints(app) if c.photos]
    old = f"/report/photos/{complaint.id}/{complaint.photos[0]}"
    moved = app.test_client().get(old)
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith(
        f"/cases/track/photos/{complaint.id}/{complaint.photos[0]}"
    )


def test_pages_link_to_the_new_addresses(app):
    code = code_of(post_report(app.test_client()))
    page = app.test_client().get(f"/report/submitted/{code}").get_data(as_text=True)
    assert f"/cases/track?code={code}" in page
    assert "/report/track" not in page
