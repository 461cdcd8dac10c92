"""The one report validator (engine.complaints.report_rules): every field's rule and the
message people read, checked without a database."""

from __future__ import annotations

import pytest

from engine.complaints import ComplaintReport, check_report
from engine.complaints import report_rules as r

MAJIAYING = "xiguocheng-002"  # 西郭城镇马家营


@pytest.fixture
def catalog(shipped_catalogs):
    return shipped_catalogs[-1]


def _report(**fields: object) -> ComplaintReport:
    values: dict[str, object] = {
        "channel": "app",
        "village_id": MAJIAYING,
        "description": "村口路面塌陷",
        "matter_id": "D07-07",
        "reporter_account": "resident",
    }
    values.update(fields)
    return ComplaintReport(**values)  # type: ignore[arg-type]  # test data built as a loose dict


def test_a_good_report_has_no_errors(catalog) -> None:
    assert check_report(_report(), catalog) == {}
    assert check_report(_report(matter_id=None), catalog) == {}  # the dispatcher decides


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"matter_id": ""}, "matter_id", r.MATTER_NOT_CHOSEN),
        ({"matter_id": "D99-99"}, "matter_id", r.MATTER_UNKNOWN),
        ({"village_id": ""}, "village_id", r.VILLAGE_NOT_CHOSEN),
        ({"village_id": "nowhere"}, "village_id", r.VILLAGE_UNKNOWN),
        ({"township_id": "nowhere"}, "township_id", r.TOWNSHIP_UNKNOWN),
        ({"township_id": "juluzhen"}, "village_id", "马家营村不属于所选乡镇，请重新选择"),
        ({"grid_id": "juluzhen-001-g1"}, "grid_id", "所选网格不属于马家营村"),
        ({"description": "  "}, "description", r.DESCRIPTION_MISSING),
        ({"description": "字" * 4001}, "description", r.DESCRIPTION_TOO_LONG),
        ({"latitude": 37.2}, "latitude", r.POSITION_HALF),
        ({"latitude": 91.0, "longitude": 115.0}, "latitude", r.LATITUDE_RANGE),
        ({"latitude": 37.2, "longitude": 181.0}, "longitude", r.LONGITUDE_RANGE),
        ({"reporter_name": "张" * 65}, "reporter_name", r.NAME_TOO_LONG),
        ({"reporter_phone": "12345"}, "reporter_phone", r.PHONE_MALFORMED),
        ({"channel": "fax"}, "channel", r.channel_unknown("fax")),
        ({"channel": "web", "reporter_account": None}, "reporter_phone", r.PHONE_MISSING),
        ({"description": "路面\x00塌陷"}, "description", "含有不允许的空字符（\\u0000）"),
    ],
)
def test_each_bad_field_is_named_with_its_message(catalog, fields, field, message) -> None:
    assert check_report(_report(**fields), catalog)[field] == message


def test_on_behalf_reports_need_the_worker_a_name_and_consent(catalog) -> None:
    errors = check_report(_report(channel="grid", reporter_account=None), catalog)
    assert errors == {
        "grid_worker": r.GRID_WORKER_MISSING,
        "reporter_name": r.ON_BEHALF_NAME_MISSING,
        "consent": r.ON_BEHALF_CONSENT_MISSING,
    }
    fine = _report(channel="grid", grid_worker="gw", reporter_name="王大爷", consent=True)
    assert check_report(fine, catalog) == {}


def test_a_signed_in_resident_on_the_page_needs_no_phone(catalog) -> None:
    assert check_report(_report(channel="web"), catalog) == {}


def test_without_a_catalog_in_force_nothing_is_accepted(catalog) -> None:
    assert check_report(_report(), None) == {"matter_id": r.NO_CATALOG}


def test_unstorable_text_is_the_only_message(catalog) -> None:
    errors = check_report(_report(village_id="no\x00where", matter_id="D99-99"), catalog)
    assert set(errors) == {"village_id"}
