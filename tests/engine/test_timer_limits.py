"""Timer values in sane ranges: one row per value, the reason (Chinese) or None."""

from __future__ import annotations

import pytest

from engine.core.timer_limits import timer_value_problem


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("timeDuration", "P5D"),
        ("timeDuration", "PT4H"),
        ("timeDuration", "p1dt2h30m"),
        ("timeDuration", "PT1.5S"),
        ("timeDuration", "P10Y"),
        ("timeDuration", "P120M"),
        ("timeDate", "2026-03-02T08:00:00+08:00"),
        ("timeDate", "2026-03-02"),
        ("timeDate", "2026-W10-1"),
        ("timeDate", "2100-12-31T23:59:59Z"),
        ("timeCycle", "R12/P30D"),
        ("timeCycle", "R1000/P1D"),
        ("timeCycle", "R/PT1H"),
        ("timeCycle", "R3/PT1M"),
        ("timeCycle", "R5/2026-03-02T08:00:00+08:00/P1D"),
        ("timeCycle", "R5/P1D/2026-03-02T08:00:00+08:00"),
    ],
)
def test_sane_values_pass(kind, value):
    assert timer_value_problem(kind, value) is None


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("timeDuration", "P99999999999Y", "超过 10 年的上限"),
        ("timeDuration", "P200Y", "约 200 年"),
        ("timeDuration", "PT999999999999S", "超过 10 年的上限"),
        ("timeDuration", "P3654D", "超过 10 年的上限"),
        ("timeDuration", "P" + "9" * 190 + "Y", "超过 10 年的上限"),
        ("timeDuration", "P", "不是合法的 ISO 8601 时长"),
        ("timeDuration", "P1DT", "不是合法的 ISO 8601 时长"),
        ("timeDuration", "5 days", "不是合法的 ISO 8601 时长"),
        ("timeDuration", 5, "应为 ISO 8601 字符串"),
        ("timeDuration", "P" + "1" * 300 + "D", "超过 200 个字符的上限"),
        ("timeDate", "1999-12-31T23:59:59+08:00", "年份 1999 不在 2000–2100 年之间"),
        ("timeDate", "2101-01-01T00:00:00Z", "年份 2101 不在 2000–2100 年之间"),
        ("timeDate", "0001-01-01", "年份 1 不在"),
        ("timeDate", "P5D", "是时长，不是日期时间"),
        ("timeDate", "tomorrow", "不是合法的 ISO 8601 日期时间"),
        ("timeCycle", "R1001/P1D", "重复 1,001 次，超过 1,000 次的上限"),
        ("timeCycle", "R99999999/PT1H", "超过 1,000 次的上限"),
        ("timeCycle", "R/PT30M", "不限次数、间隔只有 30 分钟"),
        ("timeCycle", "R/PT1S", "间隔只有 1 秒，短于下限 1 分钟"),
        ("timeCycle", "R5/PT10S", "间隔只有 10 秒，短于下限 1 分钟"),
        ("timeCycle", "R5/PT0S", "短于下限 1 分钟"),
        ("timeCycle", "R/P200Y", "超过 10 年的上限"),
        ("timeCycle", "R5/1900-01-01T00:00:00Z/P1D", "年份 1900"),
        ("timeCycle", "P1D", "不是合法的 ISO 8601 循环"),
        ("timeCycle", "R5/2026-01-01/2026-02-01", "只含一个间隔时长"),
    ],
)
def test_values_out_of_range_or_malformed_say_why(kind, value, expected):
    reason = timer_value_problem(kind, value)
    assert reason is not None and expected in reason, reason


def test_unknown_kind_is_a_reason_not_an_exception():
    assert "未知的定时器类型" in timer_value_problem("timeStart", "P1D")
