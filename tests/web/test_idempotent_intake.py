"""Idempotent intake (issue 18, ADR 0015): a client that sends a report again under the same
``Idempotency-Key`` (or the report form's submission token) gets the first report back and
nothing is stored twice, on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
import threading
import uuid
from datetime import timedelta

import pytest
import requests
from sqlalchemy import func, select

from engine.complaints.idempotency import IdempotencyKey
from engine.complaints.models import Complaint
from engine.core.config import EngineConfig
from engine.open311.models import Open311Submission
from engine.scheduler import TimerScheduler
from tests.web import open311_schemas as schema
from tests.web.county_app import county_app
from tests.web.open311_keys import issue_open311_key
from tests.web.test_report_helpers import form, photo, post_report, stored_files

MAJIAYING = "xiguocheng-002"
BODY = {"village_id": MAJIAYING, "matter_id": "D07-07", "description": "村口路面塌陷"}


@pytest.fixture
def app(tmp_path, clock, shipped_catalogs, database_url):
    """The web fixture's app, on SQLite and on PostgreSQL (the key's insert is per dialect)."""
    config = EngineConfig.from_env(
        {"JUHAOBAN_INSTANCE_DIR": str(tmp_path), "JUHAOBAN_DATABASE_URL": database_url}
    )
    app = county_app(config, clock, shipped_catalogs)
    host = app.extensions["juhaoban.host"]
    yield app
    host.session_factory.kw["bind"].dispose()


def _count(app, model=Complaint) -> int:
    with app.extensions["juhaoban.host"].session_factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


# -- the JSON API ---------------------------------------------------------------------------


def test_a_retried_report_returns_the_first_one_and_stores_nothing_more(app):
    client = app.test_client()
    key = _key()
    first = client.post("/api/complaints", json=BODY, headers=key)
    assert first.status_code == 201, first.get_data(as_text=True)
    assert "Idempotent-Replayed" not in first.headers
    # The same request again, its JSON keys in another order: the first report, not a second.
    again = client.post("/api/complaints", json=dict(reversed(BODY.items())), headers=key)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.get_json()["tracking_code"] == first.get_json()["tracking_code"]
    assert _count(app) == 1
    # Without a key every request is a new report, as before; a new key, a new report.
    assert client.post("/api/complaints", json=BODY).status_code == 201
    other = client.post("/api/complaints", json=BODY, headers=_key())
    assert other.get_json()["id"] != first.get_json()["id"]
    assert _count(app) == 3


def test_the_same_key_on_a_different_report_is_refused_in_chinese(app):
    client = app.test_client()
    key = _key()
    assert client.post("/api/complaints", json=BODY, headers=key).status_code == 201
    changed = client.post(
        "/api/complaints", json=BODY | {"description": "家里停水两天了"}, headers=key
    )
    assert changed.status_code == 422
    assert "已用于另一份内容不同的请求" in changed.get_json()["message"]
    assert _count(app) == 1


@pytest.mark.parametrize(
    "value", ["", " ", "含中文的键", "a" * 256, "tab\tinside", '"unterminated'], ids=repr
)
def test_a_malformed_key_is_a_400_naming_the_header(app, value):
    answer = app.test_client().post(
        "/api/complaints", json=BODY, headers={"Idempotency-Key": value}
    )
    assert answer.status_code == 400
    assert "Idempotency-Key" in answer.get_json()["message"]
    assert _count(app) == 0


def test_a_quoted_key_is_the_same_key(app):
    """The IETF draft sends the key as a structured-field string: "abc" means abc."""
    client = app.test_client()
    first = client.post("/api/complaints", json=BODY, headers={"Idempotency-Key": '"k-42"'})
    again = client.post("/api/complaints", json=BODY, headers={"Idempotency-Key": "k-42"})
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]


def test_a_refused_report_does_not_use_up_its_key(app):
    client = app.test_client()
    key = _key()
    refused = client.post("/api/complaints", json=BODY | {"village_id": "nowhere"}, headers=key)
    assert refused.status_code == 400
    fixed = client.post("/api/complaints", json=BODY, headers=key)
    assert fixed.status_code == 201 and "Idempotent-Replayed" not in fixed.headers
    assert _count(app) == 1


def test_keys_are_per_client(app, login):
    """Two people who happen to pick the same key each get their own report."""
    key = {"Idempotency-Key": "same-key-for-both"}
    anonymous = app.test_client().post("/api/complaints", json=BODY, headers=key)
    signed_in = login("resident")
    csrf = signed_in.get("/api/session").get_json()["csrf_token"]
    resident = signed_in.post("/api/complaints", json=BODY, headers=key | {"X-CSRF-Token": csrf})
    assert anonymous.status_code == resident.status_code == 201
    assert "Idempotent-Replayed" not in resident.headers
    assert anonymous.get_json()["id"] != resident.get_json()["id"]


def test_a_key_is_kept_seven_days(app, clock):
    client = app.test_client()
    key = _key()
    first = client.post("/api/complaints", json=BODY, headers=key).get_json()
    clock.advance(timedelta(days=6, hours=23))
    assert client.post("/api/complaints", json=BODY, headers=key).get_json()["id"] == first["id"]
    clock.advance(timedelta(hours=2))
    later = client.post("/api/complaints", json=BODY, headers=key)
    assert later.status_code == 201 and "Idempotent-Replayed" not in later.headers
    assert later.get_json()["id"] != first["id"]
    # The scheduler's hourly job forgets the keys past their time.
    scheduler = TimerScheduler(app.extensions["juhaoban.host"])
    scheduler.start(paused=True)
    try:
        job = scheduler.scheduler.get_job("idempotency-keys")
        assert job is not None
        client.post("/api/complaints", json=BODY, headers=_key())
        clock.advance(timedelta(days=6, hours=12))
        job.func()
        assert _count(app, IdempotencyKey) == 2  # the renewed key (above) and this one
        clock.advance(timedelta(days=1))
        job.func()
        assert _count(app, IdempotencyKey) == 0
    finally:
        scheduler.shutdown()


def test_concurrent_duplicates_wait_for_the_first_and_get_its_report(app, live_url):
    """A double send in flight: the second waits on the key until the first commits."""
    key = _key()
    barrier = threading.Barrier(4)
    answers: list[requests.Response] = []

    def send() -> None:
        barrier.wait()
        answers.append(requests.post(f"{live_url}/api/complaints", json=BODY, headers=key))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [a.status_code for a in answers] == [201] * 4
    assert len({a.json()["id"] for a in answers}) == 1
    assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == ["", *["true"] * 3]
    assert _count(app) == 1


# -- Open311 --------------------------------------------------------------------------------


@pytest.fixture
def api_key(app) -> str:
    return issue_open311_key(app)


def _open311(client, api_key, fmt, key, **fields):
    data = {
        "api_key": api_key,
        "service_code": "D07-07",
        "address_id": MAJIAYING,
        "description": "路面塌陷，水管破了",
        "device_id": "phone-1",
    } | fields
    return client.post(f"/open311/v2/requests.{fmt}", data=data, headers=key)


def test_open311_retries_get_the_same_service_request_id_in_both_formats(app, api_key):
    client = app.test_client()
    key = _key()
    first = _open311(client, api_key, "json", key)
    assert first.status_code == 200, first.get_data(as_text=True)
    again = _open311(client, api_key, "json", key)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    as_xml = _open311(client, api_key, "xml", key)
    code = first.get_json()[0]["service_request_id"]
    assert f"<service_request_id>{code}</service_request_id>" in as_xml.get_data(as_text=True)
    assert _count(app) == 1 and _count(app, Open311Submission) == 1

    changed = _open311(client, api_key, "xml", key, description="另一处路面塌陷")
    assert changed.status_code == 422
    errors = schema.check_xml(changed.data, "errors")
    assert "已用于另一份内容不同的请求" in errors[0].findtext("description")
    changed = _open311(client, api_key, "json", key, description="另一处路面塌陷")
    assert changed.status_code == 422
    assert "已用于另一份内容不同的请求" in changed.get_json()[0]["description"]
    assert _count(app) == 1


# -- the report form ------------------------------------------------------------------------


def _token(html: str) -> str:
    match = re.search(r'name="submission_token" value="([^"]+)"', html)
    assert match, "the report form has no submission token"
    return match.group(1)


def test_a_double_click_on_the_report_form_files_one_report(app):
    client = app.test_client()
    token = _token(client.get("/report/new").get_data(as_text=True))
    shots = [photo("road.png")]
    first = post_report(client, submission_token=token, photos=shots)
    shots[0][0].seek(0)
    second = post_report(client, submission_token=token, photos=shots)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert _count(app) == 1
    # The second request's copy of the photo is not left behind.
    with app.extensions["juhaoban.host"].session_factory() as session:
        (stored,) = session.scalars(select(Complaint.photos)).all()
    assert stored_files(app) == sorted(stored)
    # A fresh form is a fresh token.
    assert _token(client.get("/report/new").get_data(as_text=True)) != token


def test_a_stale_form_sent_with_other_content_asks_to_confirm_and_keeps_what_was_typed(app):
    client = app.test_client()
    token = _token(client.get("/report/new").get_data(as_text=True))
    assert post_report(client, submission_token=token).status_code == 302
    other = post_report(client, submission_token=token, description="家里停水两天了")
    page = other.get_data(as_text=True)
    assert other.status_code == 409
    assert "这份表单已经提交过一次" in page and "家里停水两天了" in page
    assert _count(app) == 1
    fresh = _token(page)
    assert fresh != token
    assert (
        post_report(client, submission_token=fresh, description="家里停水两天了").status_code == 302
    )
    assert _count(app) == 2


def test_a_refused_form_keeps_its_token_so_the_corrected_form_is_not_a_duplicate(app):
    client = app.test_client()
    token = _token(client.get("/report/new").get_data(as_text=True))
    refused = post_report(client, submission_token=token, description="")
    assert refused.status_code == 400
    assert _token(refused.get_data(as_text=True)) == token
    assert post_report(client, submission_token=token).status_code == 302
    assert post_report(client, **form(), submission_token=token).status_code == 302
    assert _count(app) == 1


def test_both_openapi_documents_describe_the_header(app):
    client = app.test_client()
    api = client.get("/api/openapi.json").get_json()["paths"]["/api/complaints"]["post"]
    open311 = client.get("/open311/v2/openapi.json").get_json()["paths"]["/requests.{fmt}"]
    for operation in (api, open311["post"]):
        (header,) = [p for p in operation["parameters"] if p["name"] == "Idempotency-Key"]
        assert header["in"] == "header" and "重试" in header["description"]
        assert "422" in operation["responses"]
