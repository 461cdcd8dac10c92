"""Reporting periods in Beijing time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from analytics.periods import (
    PeriodInvalid,
    between,
    half_year,
    last_complete_half_year,
    last_complete_month,
    month,
    parse_key,
)


def test_a_month_starts_at_beijing_midnight():
    march = month(2026, 3)
    assert march.start == datetime(2026, 2, 28, 16, 0, tzinfo=UTC)
    assert march.end == datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
    assert (march.key, march.label) == ("2026-03", "2026年3月")


def test_keys_round_trip_and_labels_read_naturally():
    for key in ("2026-03", "2026-H1", "2025-H2", "2026-01-05..2026-02-10"):
        assert parse_key(key).key == key
    assert half_year(2025, 2).label == "2025年下半年"
    assert between("2026-01-05", "2026-02-10").label == "2026年01月05日至2026年02月10日"


def test_shifting_keeps_month_ends_and_previous_has_the_same_length():
    assert month(2026, 3).shifted(-1) == month(2026, 2)  # 31 March → 28 February
    assert month(2024, 2).shifted(12) == month(2025, 2)
    assert half_year(2026, 1).previous() == half_year(2025, 2)
    assert between("2026-03-01", "2026-03-10").previous() == between("2026-02-19", "2026-02-28")


def test_the_last_complete_month_and_half_year_follow_beijing_dates():
    # 1 April 00:30 in Beijing is still 31 March in UTC.
    now = datetime(2026, 3, 31, 16, 30, tzinfo=UTC)
    assert last_complete_month(now) == month(2026, 3)
    assert last_complete_half_year(datetime(2026, 1, 10, tzinfo=UTC)) == half_year(2025, 2)


@pytest.mark.parametrize(
    ("key", "message"),
    [("2026-13", "月份"), ("March", "格式"), ("2026-03-10..2026-03-01", "早于"), ("", "格式")],
)
def test_bad_periods_are_refused_with_a_reason(key, message):
    with pytest.raises(PeriodInvalid, match=message):
        parse_key(key)
