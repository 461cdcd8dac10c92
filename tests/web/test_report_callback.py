"""Callback (回访): the reporter rates the reply — signed in, or by the phone number given."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.web.conftest import csrf_from
from tests.web.test_report_helpers import PHONE, code_of, complaints, photo, post_report, reply


def _detail_id(client) -> str:
    [complaint_id] = re.findall(
        r"/cases/mine/(\d+)", client.get("/cases/mine").get_data(as_text=True)
    )
    return complaint_id


def test_signed_in_resident_rates_the_reply_and_the_case_closes(app, login):
    client = login("resident")
    code = code_of(post_report(client))
    reply(app, code)
    complaint_id = _detail_id(client)
    page = client.get(f"/cases/mine/{complaint_id}").get_data(as_text=True)
    assert page.index("水管已修复") < page.index("您对办理结果是否满意")
    token = csrf_from(page)
    refused = client.post(f"/cases/mine/{complaint_id}/rate", data={"csrf_token": token})
    assert refused.status_code == 400
    assert "请选择：满意、基本满意或不满意" in refused.get_data(as_text=True)
    assert complaints(app)[0].stage == "callback"
    done = client.post(
        f"/cases/mine/{complaint_id}/rate",
        data={"csrf_token": token, "satisfaction": "basic", "callback_comment": "修得挺快"},
        follow_redirects=True,
    )
    assert "感谢您的评价" in done.get_data(as_text=True)
    [complaint] = complaints(app)
    assert (complaint.status, complaint.satisfaction) == ("closed", "basic")
    assert "评价：基本满意" in done.get_data(as_text=True)


def test_another_resident_cannot_rate_or_open_someone_elses_case(app, login):
    from cli.demo.users import DEMO_PASSWORD
    from engine.core.transactions import run_step
    from engine.people import create_account

    owner = login("resident")
    code = code_of(post_report(owner))
    reply(app, code)
    complaint_id = _detail_id(owner)
    host = app.extensions["juhaoban.host"]
    run_step(
        host.session_factory,
        lambda s: create_account(
            username="neighbour",
            display_name="邻居",
            password=DEMO_PASSWORD,
            role="resident",
            county="julu",
            now=host.clock.now(),
            session=s,
        ),
    )
    other = login("neighbour")
    assert other.get(f"/cases/mine/{complaint_id}").status_code == 403
    token = csrf_from(other.get("/report/new").get_data(as_text=True))
    response = other.post(
        f"/cases/mine/{complaint_id}/rate",
        data={"csrf_token": token, "satisfaction": "unsatisfied"},
    )
    assert response.status_code == 403
    assert complaints(app)[0].stage == "callback"


def test_grid_worker_rates_for_the_resident_they_reported_for(app, login):
    client = login("gridworker")
    code = code_of(post_report(client, reporter_name="王大爷", reporter_phone="", consent="yes"))
    reply(app, code)
    complaint_id = _detail_id(client)
    token = csrf_from(client.get(f"/cases/mine/{complaint_id}").get_data(as_text=True))
    client.post(
        f"/cases/mine/{complaint_id}/rate", data={"csrf_token": token, "satisfaction": "satisfied"}
    )
    assert complaints(app)[0].satisfaction == "satisfied"


def test_anonymous_reporter_rates_after_giving_the_right_phone(app):
    client = app.test_client()
    code = code_of(post_report(client, photos=[photo()]))
    reply(app, code)
    page = client.get(f"/cases/track?code={code}").get_data(as_text=True)
    assert "请输入反映问题时留下的手机号" in page and "村口路面塌陷" not in page
    token = csrf_from(page)

    wrong = client.post(
        f"/cases/track/{code}/verify", data={"csrf_token": token, "phone": "13900009999"}
    )
    assert wrong.status_code == 400
    assert "手机号与反映问题时留下的号码不一致" in wrong.get_data(as_text=True)
    skipped = client.post(
        f"/cases/track/{code}/rate", data={"csrf_token": token, "satisfaction": "satisfied"}
    )
    assert skipped.status_code == 403
    assert complaints(app)[0].stage == "callback", "nothing changes without the phone"

    client.post(f"/cases/track/{code}/verify", data={"csrf_token": token, "phone": "138 0000 1234"})
    page = client.get(f"/cases/track?code={code}").get_data(as_text=True)
    assert "村口路面塌陷" in page and "/cases/track/photos/" in page
    [complaint] = complaints(app)
    with client.get(f"/cases/track/photos/{complaint.id}/{complaint.photos[0]}") as shown:
        assert shown.status_code == 200 and shown.mimetype == "image/png"
        assert shown.cache_control.private and not shown.cache_control.public
    done = client.post(
        f"/cases/track/{code}/rate",
        data={"csrf_token": token, "satisfaction": "unsatisfied", "callback_comment": "还在漏水"},
        follow_redirects=True,
    )
    assert "感谢您的评价" in done.get_data(as_text=True)
    complaint = complaints(app)[0]
    assert complaint.satisfaction == "unsatisfied"
    assert complaint.reopen_count == 1 and complaint.stage == "handling"


def test_phone_guessing_is_cut_off(app):
    client = app.test_client()
    code = code_of(post_report(client))
    reply(app, code)
    token = csrf_from(client.get(f"/cases/track?code={code}").get_data(as_text=True))
    for _ in range(5):
        client.post(
            f"/cases/track/{code}/verify", data={"csrf_token": token, "phone": "13900000000"}
        )
    response = client.post(
        f"/cases/track/{code}/verify", data={"csrf_token": token, "phone": PHONE}
    )
    assert response.status_code == 429 and "尝试次数过多" in response.get_data(as_text=True)


def test_others_waiting_for_a_rating_are_told_so_and_the_owner_is_sent_to_rate(app, login):
    resident = login("resident")
    code = code_of(post_report(resident, grid_id="xiguocheng-002-g1"))
    reply(app, code)
    grid_page = login("gridworker").get("/cases/mine").get_data(as_text=True)
    assert "已答复，等待反映人评价" in grid_page and "已答复，请评价" not in grid_page
    assert "已答复，请评价" in resident.get("/cases/mine").get_data(as_text=True)
    owner_view = resident.get(f"/cases/track?code={code}").get_data(as_text=True)
    assert "去评价" in owner_view and "核对" not in owner_view
    public_view = app.test_client().get(f"/cases/track?code={code}").get_data(as_text=True)
    assert "请登录反映问题时使用的账号" in public_view and 'name="phone"' not in public_view


def test_new_sessions_do_not_buy_more_phone_guesses_until_a_day_has_passed(app, clock):
    code = code_of(post_report(app.test_client()))
    reply(app, code)

    def attempt(phone):
        client = app.test_client()  # a fresh browser session every time
        token = csrf_from(client.get(f"/cases/track?code={code}").get_data(as_text=True))
        return client.post(
            f"/cases/track/{code}/verify", data={"csrf_token": token, "phone": phone}
        )

    assert [attempt("13900000000").status_code for _ in range(5)] == [400] * 5
    assert attempt(PHONE).status_code == 429  # even the right number, from a new session
    clock.advance(timedelta(hours=24, minutes=1))
    assert attempt(PHONE).status_code == 302
