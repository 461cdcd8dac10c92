"""Bad input to the JSON API and Open311 is a 400 (or 404) naming the field, never a 500,
and changes nothing: each case here was a 500 (or a silently ignored limit) found by fuzzing
(issue 18). NUL characters are checked on SQLite and on PostgreSQL, which refuses them."""

from __future__ import annotations

import json
import re

import pytest
import schemathesis
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from engine.complaints.intake import ComplaintReport, ReportRejected
from engine.complaints.models import Complaint
from engine.core.transactions import run_step
from engine.open311.keys import issue_key
from tests.conftest import START
from tests.engine.complaints.helpers import report
from tests.web.api_apps import app_on
from tests.web.conftest import csrf_from
from tests.web.test_report_helpers import post_report

MAJIAYING = "xiguocheng-002"
GOOD = {"village_id": MAJIAYING, "matter_id": "D07-07", "description": "路面塌陷"}


def _count(app) -> int:
    with app.extensions["juhaoban.host"].session_factory() as session:
        return session.scalar(select(func.count(Complaint.id)))


def _dispatcher(login):
    client = login("dispatcher")
    token = client.get("/api/session").get_json()["csrf_token"]
    return client, {"X-CSRF-Token": token}


def _refused(response, field: str) -> dict:
    assert response.status_code == 400, response.get_data(as_text=True)
    body = response.get_json()
    assert field in body["errors"], body
    assert field in body["message"] and body["error"] == "输入有误"
    return body


@pytest.mark.parametrize("limit", ["abc", "1e3", "-1", "0", "501", "1.0", ""])
def test_a_limit_outside_1_to_500_is_refused_naming_limit(app, login, limit) -> None:
    client = login("dispatcher")
    for _ in range(3):
        report(app.extensions["juhaoban"].desk, "D07-07", MAJIAYING)
    _refused(client.get("/api/complaints", query_string={"limit": limit}), "limit")
    assert len(client.get("/api/complaints?limit=2").get_json()["complaints"]) == 2
    assert len(client.get("/api/complaints?limit=500").get_json()["complaints"]) == 3


def test_ids_beyond_the_id_columns_are_not_found_in_paths_and_refused_in_merged_into(
    app, login
) -> None:
    client, headers = _dispatcher(login)
    for path in ("/api/complaints/{}", "/api/complaints/{}/close"):
        for huge in (2**31, 2**63, 10**30):
            method = client.post if path.endswith("close") else client.get
            kwargs = (
                {"json": {"kind": "invalid", "reason": "重复"}} if method == client.post else {}
            )
            response = method(path.format(huge), headers=headers, **kwargs)
            assert response.status_code == 404, response.get_data(as_text=True)
            assert response.get_json()["error"] == "页面不存在"
    assert client.get(f"/api/complaints/{2**31 - 1}").status_code == 404  # the largest id
    submitted = report(app.extensions["juhaoban"].desk, "D07-07", MAJIAYING)
    response = client.post(
        f"/api/complaints/{submitted.complaint_id}/close",
        json={"kind": "merged", "reason": "重复", "merged_into": 2**31},
        headers=headers,
    )
    _refused(response, "merged_into")
    assert app.extensions["juhaoban"].desk.complaint(submitted.complaint_id).status == "open"


def test_fields_of_the_wrong_type_are_refused_each_by_name(app) -> None:
    response = app.test_client().post(
        "/api/complaints",
        json=GOOD
        | {
            "reporter_phone": ["13800001234"],
            "matter_id": ["D07-07"],
            "grid_id": {"id": "g1"},
            "latitude": "north",
            "consent": "yes",
        },
    )
    body = _refused(response, "latitude")
    assert body["errors"] == {
        "reporter_phone": "应为字符串",
        "matter_id": "应为字符串",
        "grid_id": "应为字符串",
        "latitude": "应为数字",
        "consent": "应为 true 或 false",
    }
    assert _count(app) == 0


def test_a_non_object_body_and_an_unknown_channel_are_refused(app) -> None:
    client = app.test_client()
    response = client.post("/api/complaints", json=["路面塌陷"])
    assert response.status_code == 400 and response.get_json()["error"]
    _refused(client.post("/api/complaints", json=GOOD | {"channel": "fax"}), "channel")
    _refused(client.post("/api/complaints", json=GOOD | {"latitude": 91}), "latitude")
    _refused(
        client.post("/api/complaints", json=GOOD | {"reporter_name": "张" * 65}), "reporter_name"
    )
    assert _count(app) == 0


def test_every_channel_refuses_unstorable_text_before_the_database(app) -> None:
    """The one rule in intake covers the report page, the API and Open311 alike."""
    desk = app.extensions["juhaoban"].desk
    for text, reason in (("路面\x00塌陷", "空字符"), ("路面\ud800塌陷", "代理项")):
        with pytest.raises(ReportRejected) as refused:
            desk.submit(
                ComplaintReport(channel="web", village_id=MAJIAYING, description=text),
                actor="public",
            )
        assert reason in refused.value.errors["description"]
    assert _count(app) == 0


# ---- NUL and lone surrogates, on SQLite and PostgreSQL --------------------------------------


@pytest.fixture
def any_db_app(database_url, tmp_path, shipped_catalogs):
    app = app_on(database_url, tmp_path, shipped_catalogs)
    yield app
    app.extensions["juhaoban.host"].session_factory.kw["bind"].dispose()


def test_nul_and_lone_surrogates_in_api_text_are_refused_naming_the_field(any_db_app) -> None:
    client = any_db_app.test_client()
    _refused(
        client.post("/api/complaints", json=GOOD | {"description": "路面\x00塌陷"}), "description"
    )
    raw = json.dumps(GOOD | {"reporter_name": "PLACEHOLDER"}).replace("PLACEHOLDER", "\\ud800")
    response = client.post("/api/complaints", data=raw, content_type="application/json")
    assert "代理项" in _refused(response, "reporter_name")["errors"]["reporter_name"]
    _refused(client.get("/api/track/JL%00"), "code")
    response = client.post("/api/tasks/nope/complete", json={"return_reason": "\x00"})
    assert response.status_code == 400 and "return_reason" in response.get_json()["errors"]
    assert _count(any_db_app) == 0
    assert client.post("/api/complaints", json=GOOD).status_code == 201  # nothing left broken


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_nul_in_an_open311_request_is_refused_in_the_georeport_format(any_db_app, fmt) -> None:
    host = any_db_app.extensions["juhaoban.host"]
    _, key = run_step(
        host.session_factory,
        lambda s: issue_key(
            "客户端", requests_per_minute=6000, county="julu", actor="admin", now=START, session=s
        ),
    )
    api = any_db_app.test_client()
    form = {"api_key": key, "service_code": "D07-07", "address_id": MAJIAYING}
    for field in ("description", "email", "device_id", "address_string"):
        response = api.post(f"/open311/v2/requests.{fmt}", data=form | {field: "路面\x00塌陷"})
        assert response.status_code == 400, response.get_data(as_text=True)
        text = response.get_data(as_text=True)
        assert f"{field}：" in text and "空字符" in text
        if fmt == "json":
            assert response.get_json() == [
                {"code": "400", "description": f"{field}：含有不允许的空字符（\\u0000）"}
            ]
        else:
            assert text.startswith("<?xml") and "<errors><error><code>400</code>" in text
    response = api.get(f"/open311/v2/requests/JL%00.{fmt}")
    assert response.status_code == 400 and "service_request_id" in response.get_data(as_text=True)
    assert _count(any_db_app) == 0
    assert api.post(f"/open311/v2/requests.{fmt}", data=form).status_code == 200


# ---- responses match the OpenAPI document ---------------------------------------------------


def test_responses_with_null_fields_match_the_openapi_document(app, login) -> None:
    """A report with no matter (the dispatcher decides) has no matter, unit, grid, catalog
    version, reply or satisfaction yet: the document says those may be null."""
    desk = app.extensions["juhaoban"].desk
    submitted = report(desk, None, MAJIAYING)
    client, _ = _dispatcher(login)
    schema = schemathesis.openapi.from_dict(client.get("/api/openapi.json").get_json())
    code = desk.complaint(submitted.complaint_id).tracking_code
    for path, operation in (
        ("/api/complaints", "/api/complaints"),
        (f"/api/complaints/{submitted.complaint_id}", "/api/complaints/{complaint_id}"),
        ("/api/tasks", "/api/tasks"),
        (f"/api/track/{code}", "/api/track/{code}"),
        ("/api/notifications", "/api/notifications"),
    ):
        response = client.get(path)
        assert response.status_code == 200
        schema[operation]["GET"].validate_response(response)
    listed = client.get("/api/complaints").get_json()["complaints"][0]
    assert listed["matter_id"] is None and listed["primary_unit"] is None


def test_revoking_an_open311_key_with_an_id_too_large_is_not_found(app, login) -> None:
    admin = login("admin")
    token = csrf_from(admin.get("/admin/open311-keys/").get_data(as_text=True))
    for huge in (2**31, 2**64):
        response = admin.post(f"/admin/open311-keys/{huge}/revoke", data={"csrf_token": token})
        assert response.status_code == 404


def test_the_report_page_refuses_nul_next_to_the_field(any_db_app) -> None:
    """The page shares intake's text rule: the message sits by the field, nothing stored."""
    response = post_report(any_db_app.test_client(), description="路面\x00塌陷")
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page[-500:]
    assert re.search(r'id="description-error" role="alert">[^<]*空字符', page)
    assert _count(any_db_app) == 0


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("device_id", "d" * 129, "不能超过 128 字"),
        ("first_name", "名" * 33, "不能超过 32 字"),
        ("address_string", "村" * 501, "不能超过 500 字"),
        ("email", "not-an-email", "格式不正确"),
    ],
)
def test_open311_submitter_fields_are_refused_by_name_not_cut_short(
    app, field, value, reason
) -> None:
    host = app.extensions["juhaoban.host"]
    _, key = run_step(
        host.session_factory,
        lambda s: issue_key(
            "客户端", requests_per_minute=6000, county="julu", actor="admin", now=START, session=s
        ),
    )
    form = {"api_key": key, "service_code": "D07-07", "address_id": MAJIAYING, field: value}
    response = app.test_client().post("/open311/v2/requests.json", data=form)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json() == [{"code": "400", "description": f"{field}：{reason}"}]
    assert _count(app) == 0


@pytest.mark.parametrize("path", ["requests", "servicerequestupdates"])
@pytest.mark.parametrize(
    "query", ["start_date=0001-01-01T00:00:00", "end_date=0001-01-01T00:00:00Z"]
)
def test_open311_dates_far_out_of_range_are_refused_by_name(app, path, query) -> None:
    response = app.test_client().get(f"/open311/v2/{path}.json?{query}")
    assert response.status_code == 400, response.get_data(as_text=True)
    name = query.split("=")[0]
    assert response.get_json() == [
        {"code": "400", "description": f"{name} 应在 2000 年到 2100 年之间"}
    ]


def test_a_very_long_list_of_open311_ids_is_refused_by_name(any_db_app) -> None:
    """PostgreSQL takes at most 65,535 bound parameters in one statement."""
    codes = ",".join(f"JL-2603-{i:08d}" for i in range(70_000))
    for name in ("service_request_id", "service_code"):
        response = any_db_app.test_client().get(f"/open311/v2/requests.json?{name}={codes}")
        assert response.status_code == 400, response.get_data(as_text=True)[:300]
        assert response.get_json()[0]["description"] == f"{name} 一次最多 500 个，收到 70000 个"


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,  # the standard parser's RecursionError was a 500
        '{"a":' * 50_000 + "1" + "}" * 50_000,
        '{"village_id": "xiguocheng-002", "matter_id": "D07-07", "description": "x", '
        '"latitude": NaN}',  # not JSON, though Python's parser takes it
    ],
    ids=["nested-arrays", "nested-objects", "nan"],
)
def test_a_hostile_json_body_is_a_400_and_stores_nothing(app, body) -> None:
    response = app.test_client().post("/api/complaints", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["message"] == "请求体应为 JSON 对象"
    assert _count(app) == 0


def test_a_refusal_without_a_reason_of_its_own_is_explained_in_chinese(app, login) -> None:
    client, _ = _dispatcher(login)
    missing = client.get("/api/complaints/-1")
    assert missing.status_code == 404
    assert missing.get_json()["message"] == "没有找到您要的页面或记录，请检查地址是否正确"
    wrong_method = client.delete("/api/complaints")
    assert wrong_method.status_code == 405
    assert wrong_method.get_json()["message"] == "此地址不支持这种操作"
    page = app.test_client().get("/no/such/page").get_data(as_text=True)
    assert "没有找到您要的页面" in page and "requested URL" not in page


def test_every_page_with_an_id_in_its_address_answers_a_huge_id_with_404(app, login) -> None:
    """Pages as well as the API: an id past the id columns was an OverflowError (a 500) in
    the database driver on /cases/<id>, /designer/versions/<id>.bpmn and others."""
    client = login("admin")
    checked = []
    for rule in app.url_map.iter_rules():
        converters = rule._converters  # name -> converter instance
        if "GET" not in rule.methods or not any(
            isinstance(c, IntegerConverter) for c in converters.values()
        ):
            continue
        values = {
            name: str(2**70) if isinstance(conv, IntegerConverter) else "x"
            for name, conv in converters.items()
        }
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m, v=values: v[m.group(1)], rule.rule)
        response = client.get(url)
        assert response.status_code in (403, 404), (url, response.status_code)
        checked.append(url)
    assert len(checked) >= 20, checked
