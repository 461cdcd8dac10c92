"""Open311 GeoReport v2 through the test client: services, submission with an API key,
bad input (each refused in the spec's error format, nothing stored), privacy of GET, and a
request that follows its case through sign-for, extension and close."""

from __future__ import annotations

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from sqlalchemy import func, select

from engine.complaints.desk import Submitted
from engine.complaints.models import Complaint
from engine.core.transactions import run_step
from engine.open311.keys import issue_key, revoke
from tests.engine.complaints.helpers import do
from tests.web import open311_schemas as schema
from tests.web.conftest import csrf_from
from tests.web.open311_keys import issue_open311_key
from web.open311.formats import w3c

BASE = "/open311/v2"
MAJIAYING = "xiguocheng-002"


@pytest.fixture
def key(app) -> str:
    return issue_open311_key(app)


@pytest.fixture
def api(app):
    return app.test_client()


def _count(app) -> int:
    with app.extensions["juhaoban.host"].session_factory() as session:
        return session.scalar(select(func.count(Complaint.id)))


def _post(api, key, fmt="json", **fields):
    data = {
        "api_key": key,
        "service_code": "D07-07",
        "address_id": MAJIAYING,
        "description": "路面塌陷，水管破了",
    }
    data.update(fields)
    return api.post(f"{BASE}/requests.{fmt}", data={k: v for k, v in data.items() if v is not None})


def test_discovery_and_services_follow_the_spec_in_both_formats(api, shipped_catalogs) -> None:
    schema.check_json(schema.DISCOVERY, api.get(f"{BASE}/discovery.json").get_json())
    schema.check_xml(api.get(f"{BASE}/discovery.xml").data, "discovery")
    services = api.get(f"{BASE}/services.json").get_json()
    schema.check_json(schema.SERVICES, services)
    in_force = shipped_catalogs[-1]
    assert [s["service_code"] for s in services] == [
        m.id for d in in_force.domains for m in d.matters
    ]
    garbage = next(s for s in services if s["service_code"] == "D05-01")
    assert (garbage["group"], garbage["metadata"], garbage["type"]) == (
        "农村人居环境",
        True,
        "realtime",
    )
    xml = schema.check_xml(api.get(f"{BASE}/services.xml").data, "services")
    assert len(xml) == len(services)


def test_service_definition_lists_attributes_and_unknown_codes_are_404(api) -> None:
    definition = api.get(f"{BASE}/services/D05-01.json").get_json()
    schema.check_json(schema.SERVICE_DEFINITION, definition)
    (attribute,) = definition["attributes"]
    assert attribute["code"] == "garbage_state" and attribute["required"] is True
    assert [v["key"] for v in attribute["values"]] == ["overflowing", "scattered", "burning"]
    schema.check_xml(api.get(f"{BASE}/services/D05-01.xml").data, "service_definition")
    for fmt in ("json", "xml"):
        response = api.get(f"{BASE}/services/NOPE.{fmt}")
        assert response.status_code == 404
    schema.check_json(schema.ERRORS, api.get(f"{BASE}/services/NOPE.json").get_json())
    schema.check_xml(api.get(f"{BASE}/services/NOPE.xml").data, "errors")


def test_a_posted_request_starts_the_lifecycle_and_reads_back_without_personal_data(
    app, api, key
) -> None:
    created = _post(
        api,
        key,
        first_name="三",
        last_name="张",
        phone="13800138000",
        email="z@example.cn",
        media_url="https://img.example.cn/a.jpg",
    )
    assert created.status_code == 200, created.get_data(as_text=True)
    schema.check_json(schema.CREATED, created.get_json())
    code = created.get_json()[0]["service_request_id"]
    with app.extensions["juhaoban.host"].session_factory() as session:
        complaint = session.scalars(select(Complaint).where(Complaint.tracking_code == code)).one()
        assert (complaint.channel, complaint.reporter_name, complaint.primary_unit) == (
            "open311",
            "张三",
            "water_supply",
        )
    for fmt in ("json", "xml"):
        body = api.get(f"{BASE}/requests/{code}.{fmt}?extensions=true").get_data(as_text=True)
        for secret in ("张三", "13800138000", "z@example.cn", "水管破了"):
            assert secret not in body
    (view,) = api.get(f"{BASE}/requests/{code}.json?extensions=true").get_json()
    schema.check_json(schema.REQUESTS, [view])
    assert (view["status"], view["agency_responsible"], view["media_url"]) == (
        "open",
        "县供水服务中心",
        "https://img.example.cn/a.jpg",
    )
    assert view["extended_attributes"]["supporting_units"] == ["西郭城镇", "县交通运输局"]
    assert [n["summary"] for n in view["notes"]] == ["诉求已受理", "已派至承办单位"]
    schema.check_xml(
        api.get(f"{BASE}/requests/{code}.xml?extensions=true").data, "service_requests"
    )


def test_attributes_are_checked_and_written_into_the_case(app, api, key) -> None:
    ok = _post(
        api,
        key,
        service_code="D05-01",
        address_id="juluzhen-010",
        **{"attribute[garbage_state]": "overflowing"},
    )
    assert ok.status_code == 200
    with app.extensions["juhaoban.host"].session_factory() as session:
        complaint = session.scalars(select(Complaint).order_by(Complaint.id.desc())).first()
    assert "垃圾点现状：满溢未清运" in complaint.description


@pytest.mark.parametrize(
    ("fields", "status", "fragment"),
    [
        ({"api_key": None}, 403, "缺少 api_key"),
        ({"api_key": "jhb_not-a-real-key"}, 403, "无效"),
        ({"service_code": "D99-99"}, 400, "service_code D99-99 不存在"),
        ({"service_code": ""}, 400, "缺少 service_code"),
        ({"address_id": None, "lat": "39.9042", "long": "116.4074"}, 400, "不在巨鹿县范围内"),
        ({"address_id": None, "lat": "37.2"}, 400, "lat 与 long 须同时提供"),
        ({"address_id": None, "lat": "north", "long": "115"}, 400, "lat 应为十进制度数"),
        ({"address_id": None}, 400, "缺少位置"),
        ({"address_id": "nowhere-001"}, 400, "address_id nowhere-001"),
        ({"address_id": None, "address_string": "火星基地"}, 400, "未能对应"),
        ({"description": "长" * 4001}, 400, "不能超过 4000 字"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({"email": "not-an-email"}, 400, "email"),
        ({"phone": "call me"}, 400, "phone"),
        ({"service_code": "D05-01"}, 400, "attribute[garbage_state]"),
        ({"service_code": "D05-01", "attribute[garbage_state]": "gone"}, 400, "取值 gone 无效"),
        ({"attribute[colour]": "red"}, 400, "没有属性 colour"),
        (
            {"service_code": "D06-01", "attribute[hazard]": "minor", "attribute[length_m]": "ten"},
            400,
            "应为数字",
        ),
        ({"jurisdiction_id": "beijing"}, 404, "jurisdiction_id beijing"),
    ],
)
def test_bad_submissions_are_refused_in_the_spec_format_and_store_nothing(
    app, api, key, fields, status, fragment
) -> None:
    before = _count(app)
    for fmt in ("json", "xml"):
        response = _post(api, key, fmt, **fields)
        assert response.status_code == status, response.get_data(as_text=True)
        assert fragment in response.get_data(as_text=True)
    schema.check_json(schema.ERRORS, _post(api, key, **fields).get_json())
    schema.check_xml(_post(api, key, "xml", **fields).data, "errors")
    assert _count(app) == before


def test_address_string_and_coordinates_resolve_to_the_village(
    app, api, key, shipped_catalogs
) -> None:
    organisation = shipped_catalogs[-1].organisation
    village = organisation.villages_by_id[MAJIAYING]
    township = next(t for t in organisation.townships if t.id == village.township_id)
    by_name = _post(api, key, address_id=None, address_string=f"{township.name}{village.name}东头")
    by_point = _post(
        api, key, address_id=None, lat=str(village.lat + 0.0003), long=str(village.lon)
    )
    for response in (by_name, by_point):
        code = response.get_json()[0]["service_request_id"]
        (view,) = api.get(f"{BASE}/requests/{code}.json").get_json()
        assert view["address_id"] == MAJIAYING


def test_revoked_keys_are_refused_and_keys_are_rate_limited(app, api, key) -> None:
    host = app.extensions["juhaoban.host"]
    _, limited = run_step(
        host.session_factory,
        lambda s: issue_key(
            "测试",
            requests_per_minute=2,
            county="julu",
            actor="admin",
            now=host.clock.now(),
            session=s,
        ),
    )
    assert [_post(api, limited).status_code for _ in range(3)] == [200, 200, 429]
    schema.check_json(schema.ERRORS, _post(api, limited).get_json())
    with host.session_factory() as session:
        from engine.open311.models import ApiClient

        client_id = session.scalar(select(ApiClient.id).where(ApiClient.name == "省级政务App"))
    run_step(
        host.session_factory,
        lambda s: revoke(client_id, county="julu", actor="admin", now=host.clock.now(), session=s),
    )
    assert _post(api, key).status_code == 403


def test_request_lists_filter_by_id_code_status_and_dates(app, api, key, clock) -> None:
    first = _post(api, key).get_json()[0]["service_request_id"]
    clock.advance(timedelta(days=100))
    second = _post(api, key, service_code="D09-01", address_id="juluzhen-010").get_json()[0][
        "service_request_id"
    ]
    listed = api.get(f"{BASE}/requests.json").get_json()  # the last 90 days by default
    schema.check_json(schema.REQUESTS, listed)
    assert [r["service_request_id"] for r in listed] == [second]
    both = api.get(f"{BASE}/requests.json?service_request_id={first},{second}").get_json()
    assert [r["service_request_id"] for r in both] == [first, second]
    start = (clock.now() - timedelta(days=120)).isoformat()
    end = (clock.now() - timedelta(days=60)).isoformat()
    window = api.get(
        f"{BASE}/requests.json", query_string={"start_date": start, "end_date": end}
    ).get_json()
    assert [r["service_request_id"] for r in window] == [first]
    assert (
        api.get(f"{BASE}/requests.json?service_code=D09-01").get_json()[0]["service_request_id"]
        == second
    )
    assert api.get(f"{BASE}/requests.json?status=closed").get_json() == []
    too_long = api.get(
        f"{BASE}/requests.xml",
        query_string={"start_date": "2025-01-01T00:00:00Z", "end_date": "2025-06-01T00:00:00Z"},
    )
    assert too_long.status_code == 400 and "90 天" in too_long.get_data(as_text=True)
    schema.check_xml(too_long.data, "errors")
    assert api.get(f"{BASE}/requests.json?status=pending").status_code == 400
    assert api.get(f"{BASE}/requests/JL-0000-NOTHERE.json").status_code == 404
    assert api.get(f"{BASE}/nothing.json").get_json()[0]["code"] == "404"


def test_status_and_expected_datetime_follow_the_case_until_it_closes(app, api, key, login) -> None:
    desk = app.extensions["juhaoban"].desk
    code = _post(api, key).get_json()[0]["service_request_id"]
    with desk.host.session_factory() as session:
        complaint = session.scalars(select(Complaint).where(Complaint.tracking_code == code)).one()
    submitted = Submitted(complaint.id, code, complaint.instance_id, None)

    def view() -> dict:
        return api.get(f"{BASE}/requests/{code}.json?extensions=true").get_json()[0]

    assert code in login("water").get("/inbox/").get_data(as_text=True)  # in the unit's inbox
    assert view()["expected_datetime"] == w3c(complaint.sign_for_due)
    do(desk, submitted, "sign_for", {"decision": "accept"}, actor="staff:water")
    signed = view()
    assert signed["extended_attributes"]["stage"] == "handling"
    handle_due = desk.complaint(complaint.id).handle_due
    assert signed["expected_datetime"] == w3c(handle_due)

    later = (handle_due + timedelta(days=10)).date()
    while later.weekday() >= 5:  # an extension ends on a working day (no holiday near)
        later += timedelta(days=1)
    until = later.isoformat()
    do(
        desk,
        submitted,
        "handle",
        {
            "outcome": "extension",
            "progress_note": "等待管材",
            "extension_reason": "管材外地调运",
            "extension_until": until,
        },
        actor="staff:water",
    )
    do(desk, submitted, "approve_extension", {"extension_approved": True}, actor="dispatcher")
    extended = view()
    assert extended["expected_datetime"] == f"{until}T18:00:00+08:00"
    assert extended["extended_attributes"]["extensions"] == 1

    for party in ("xiguocheng", "transport"):
        do(desk, submitted, "assist", {"assist_note": "已配合"}, actor=party, group=party)
    do(
        desk,
        submitted,
        "handle",
        {"outcome": "reply", "reply_text": "管道已修复，路面已恢复"},
        actor="staff:water",
    )
    do(desk, submitted, "callback", {"satisfaction": "satisfied"}, actor="open311")
    closed = view()
    assert (closed["status"], closed["status_notes"]) == ("closed", "管道已修复，路面已恢复")
    assert closed["notes"][-1]["summary"] == "已办结"
    updates = api.get(f"{BASE}/servicerequestupdates.json").get_json()
    schema.check_json(schema.UPDATES, updates)
    mine = [u for u in updates if u["service_request_id"] == code]
    assert mine[-1]["status"] == "closed" and all(u["status"] == "open" for u in mine[:-1])
    schema.check_xml(api.get(f"{BASE}/servicerequestupdates.xml").data, "service_request_updates")


def test_the_administrator_issues_a_key_once_and_revokes_it(app, api, login) -> None:
    admin = login("admin")
    page = admin.get("/admin/open311-keys/").get_data(as_text=True)
    token = csrf_from(page)
    issued = admin.post(
        "/admin/open311-keys/",
        data={
            "csrf_token": token,
            "name": "省政务服务App",
            "contact": "王工 0319-1234567",
            "requests_per_minute": "60",
        },
    )
    key = re.search(r"<code>(jhb_[^<]+)</code>", issued.get_data(as_text=True)).group(1)
    assert _post(api, key).status_code == 200
    listing = admin.get("/admin/open311-keys/").get_data(as_text=True)
    assert key not in listing and key[:12] in listing  # shown once; only the prefix after
    client_id = re.search(r"/admin/open311-keys/(\d+)/revoke", listing).group(1)
    admin.post(f"/admin/open311-keys/{client_id}/revoke", data={"csrf_token": token})
    assert _post(api, key).status_code == 403
    assert "已吊销" in admin.get("/admin/open311-keys/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"name": ""}, "请填写应用名称"), ({"name": "x", "requests_per_minute": "lots"}, "应为整数")],
)
def test_bad_key_forms_are_refused(app, login, fields, message) -> None:
    admin = login("admin")
    token = csrf_from(admin.get("/admin/open311-keys/").get_data(as_text=True))
    response = admin.post("/admin/open311-keys/", data={"csrf_token": token, **fields})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert "jhb_" not in response.get_data(as_text=True)


@pytest.mark.parametrize("username", ["dispatcher", "designer", "water", "resident"])
def test_only_administrators_manage_keys(login, username) -> None:
    assert login(username).get("/admin/open311-keys/").status_code == 403


def test_the_key_form_needs_its_csrf_token(login) -> None:
    assert login("admin").post("/admin/open311-keys/", data={"name": "x"}).status_code == 400


def test_client_text_quoted_in_an_xml_error_keeps_the_document_readable(api, key) -> None:
    """A stray control character in what the client sent (XML 1.0 cannot carry it even
    escaped) is replaced in the answer, so the client can still read why it was refused."""
    refused = _post(api, key, fmt="xml", service_code="D07\x01-07")
    assert refused.status_code in (400, 404)
    document = schema.check_xml(refused.data, "errors")
    assert "D07\ufffd-07" in ElementTree.tostring(document, encoding="unicode")
    missing = api.get(f"{BASE}/services/NO%01PE.xml")
    assert missing.status_code == 404
    schema.check_xml(missing.data, "errors")
