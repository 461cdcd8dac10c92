"""The analysis report's sections against hand counts of the March fixture, and its Excel
workbook (one sheet per section, numbers stored as numbers)."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from analytics import publish_report, report_workbook
from analytics.periods import month
from engine.core.persistence.models import Notification
from engine.snapshots import AnalyticsSnapshot
from tests.analytics.cases import build_march

MARCH = month(2026, 3)


@pytest.fixture
def report(desk):
    build_march(desk)  # the clock now stands at 1 April 00:10
    host = desk.host
    published = publish_report(
        host.session_factory, county="julu", period=MARCH, now=host.clock.now(), actor="leader"
    )
    with host.session_factory() as session:
        return session.get(AnalyticsSnapshot, published.snapshot_id).data


def test_totals_and_the_split_of_open_cases(report):
    # Valid March reports: Z1–Z5, the 31 March one, D1, D2 (Z6 was merged).
    assert report["totals"] == {
        "received": 8,
        "closed": 2,  # Z1, Z2
        "completion_rate": 0.25,
        "open": 6,
        # Z4 and D1 past their handling limits, Z5 and D2 never signed for in time.
        "open_overdue": 4,
        "open_extended": 1,  # Z3
        "open_on_time": 1,  # the 31 March report, sign-for due 1 April 10:30
        "merged": 1,
        "invalid": 0,
    }
    previous = {row["measure"]: row for row in report["comparison"]}
    assert previous["受理"] == {"measure": "受理", "this": 8, "previous": 0, "change": None}
    assert report["previous"]["key"] == "2026-02"


def test_shares_of_domains_and_matters_and_top_matters_by_township(report):
    assert [(d["domain"], d["count"], d["share"]) for d in report["domains"]] == [
        ("农村人居环境", 6, 0.75),
        ("民政救助", 2, 0.25),
    ]
    assert [(m["matter_id"], m["count"]) for m in report["matters"]] == [
        ("D05-01", 5),
        ("D11-03", 2),
        ("D05-02", 1),
    ]
    townships = {t["township_id"]: t for t in report["townships"]}
    assert townships["zhangwangtuan"]["count"] == 6
    assert [(m["matter_id"], m["count"]) for m in townships["zhangwangtuan"]["top"]] == [
        ("D05-01", 5),
        ("D05-02", 1),
    ]
    assert (townships["guanzhai"]["count"], townships["guanzhai"]["top"]) == (0, [])
    assert report["townships"][0]["township_id"] == "zhangwangtuan"


def test_overdue_and_contested_hotspots_by_matter(report):
    assert [
        (h["matter_id"], h["count"], h["overdue"], h["contested"]) for h in report["hotspots"]
    ] == [
        ("D11-03", 2, 2, 2),  # D1 past its limit, D2 never signed by 民政局; both returned
        ("D05-01", 5, 2, 0),  # Z4 and Z5
    ]


def test_every_unit_is_told_and_units_performance_is_included(desk, report):
    with desk.host.session_factory() as session:
        recipients = set(
            session.scalars(
                select(Notification.recipient).where(Notification.kind == "analytics_report")
            )
        )
    assert {"zhangwangtuan", "dicun", "water_supply", "civil_affairs"} <= recipients
    assert len(recipients) == 36  # 26 units and 10 townships
    kinds = [g["kind"] for g in report["units"]]
    assert kinds == ["township", "department"]


def test_workbook_has_a_sheet_per_section_with_numbers(report):
    book = load_workbook(BytesIO(report_workbook(report)))
    # The complaint sections first; further sections (agriculture) follow them.
    assert book.sheetnames[:9] == [
        "总体情况",
        "同比环比",
        "领域占比",
        "事项占比",
        "乡镇高发事项",
        "超期争议热点",
        "月度趋势",
        "乡镇履职",
        "县直部门履职",
    ]
    summary = {row[0]: row[1] for row in book["总体情况"].iter_rows(min_row=2, values_only=True)}
    assert summary["受理（有效）"] == 8 and isinstance(summary["受理（有效）"], int)
    assert summary["办结率"] == 0.25 and book["总体情况"]["B4"].number_format == "0.0%"
    domains = list(book["领域占比"].iter_rows(min_row=2, values_only=True))
    assert domains[0][:3] == ("农村人居环境", 6, 0.75)
    units = list(book["乡镇履职"].iter_rows(min_row=2, values_only=True))
    assert units[0][1] == "张王疃乡" and isinstance(units[0][3], float)
