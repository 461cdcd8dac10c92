"""Entering a year's State Council schedule: a correct one is accepted, every mistake is named."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.holiday_schedule import YearSchedule
from rules.holiday_schedule_parser import (
    ScheduleInvalid,
    check_year_schedule,
    parse_year_schedule,
)

# A plausible 2027 schedule in the shape an administrator enters it (sample, not official):
# 除夕 is Friday 5 February, 中秋 Wednesday 15 September.
SAMPLE_2027: dict[str, Any] = {
    "year": 2027,
    "source": "示例：国务院办公厅关于2027年部分节假日安排的通知（演示数据）",
    "holidays": [
        {"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"},
        {"name": "春节", "start": "2027-02-05", "end": "2027-02-12"},
        {"name": "清明节", "start": "2027-04-03", "end": "2027-04-05"},
        {"name": "劳动节", "start": "2027-05-01", "end": "2027-05-05"},
        {"name": "端午节", "start": "2027-06-09"},
        {"name": "中秋节", "start": "2027-09-15"},
        {"name": "国庆节", "start": "2027-10-01", "end": "2027-10-07"},
    ],
    "working_days": [
        "2027-01-31",
        {"date": "2027-02-20", "name": "春节"},
        "2027-05-08",
        {"date": "2027-09-26", "name": "国庆节"},
        {"date": "2027-10-09", "name": "国庆节"},
    ],
}


def sample(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(SAMPLE_2027)
    data.update(changes)
    return data


def test_sample_schedule_is_accepted_with_its_holidays_and_swapped_days() -> None:
    schedule = parse_year_schedule(SAMPLE_2027)
    assert schedule.year == 2027
    assert schedule.holiday_name(date(2027, 10, 5)) == "国庆节"
    assert schedule.holiday_name(date(2027, 6, 9)) == "端午节"  # one-day holiday without end
    assert not schedule.is_working_day(date(2027, 10, 7))  # a Thursday off
    assert schedule.is_working_day(date(2027, 10, 9))  # a Saturday on
    assert schedule.swapped_name(date(2027, 10, 9)) == "国庆节"
    assert schedule.is_working_day(date(2027, 1, 31))
    assert not schedule.is_working_day(date(2027, 10, 10))  # an ordinary Sunday
    assert schedule.is_working_day(date(2027, 10, 8))


def test_yaml_dates_aliases_and_combined_festivals_are_understood() -> None:
    data = {
        "year": 2028,
        "holidays": [
            {"name": "国庆、中秋", "start": date(2028, 10, 1), "end": date(2028, 10, 8)},
            {"name": "五一", "start": date(2028, 5, 1), "end": date(2028, 5, 5)},
        ],
        "working_days": [date(2028, 9, 30), date(2028, 10, 14)],
    }
    schedule = parse_year_schedule(data)
    assert schedule.holiday_name(date(2028, 10, 3)) == "国庆节、中秋节"
    assert schedule.holiday_name(date(2028, 5, 2)) == "劳动节"
    assert schedule.working_days[0].day == date(2028, 9, 30)
    assert schedule.source == ""


def test_stored_schedule_reads_back_equal() -> None:
    schedule = parse_year_schedule(SAMPLE_2027)
    again = parse_year_schedule(schedule.to_dict())
    assert again == schedule
    assert isinstance(again, YearSchedule)


BAD_CASES = [
    pytest.param(
        {"holidays": [{"name": "元旦", "start": "2027-01-01", "end": "2028-01-02"}]},
        "holidays[0].end",
        "日期 2028-01-02 不在 2027 年内",
        id="date-outside-the-year",
    ),
    pytest.param(
        {"working_days": ["2027-10-02"]},
        "working_days[0]",
        "2027-10-02 同时被列为放假日（holidays[6]（国庆节））和调休上班日",
        id="holiday-and-working-day",
    ),
    pytest.param(
        {"working_days": ["2027-10-13"]},
        "working_days[0]",
        "2027-10-13 是周三，调休上班日只能是周六或周日",
        id="swapped-day-on-a-weekday",
    ),
    pytest.param(
        {"holidays": [{"name": "圣诞节", "start": "2027-12-25"}]},
        "holidays[0].name",
        "未知的节日名称「圣诞节」，可用：元旦、春节、清明节、劳动节、端午节、中秋节、国庆节",
        id="unknown-festival",
    ),
    pytest.param(
        {"holidays": [{"name": "国庆节", "start": "2027-13-01"}]},
        "holidays[0].start",
        "日期「2027-13-01」格式不正确，应写作 YYYY-MM-DD",
        id="month-13",
    ),
    pytest.param(
        {"holidays": [{"name": "国庆节", "start": "2027/10/01"}]},
        "holidays[0].start",
        "日期「2027/10/01」格式不正确",
        id="slashes",
    ),
    pytest.param(
        {"working_days": [20271009]},
        "working_days[0]",
        "日期「20271009」格式不正确",
        id="number-as-date",
    ),
    pytest.param(
        {"holidays": [{"name": "国庆节", "start": "2027-10-07", "end": "2027-10-01"}]},
        "holidays[0].end",
        "结束日期 2027-10-01 早于开始日期 2027-10-07",
        id="end-before-start",
    ),
    pytest.param(
        {
            "holidays": [
                {"name": "国庆节", "start": "2027-10-01", "end": "2027-10-07"},
                {"name": "中秋节", "start": "2027-10-05"},
            ]
        },
        "holidays[1]",
        "2027-10-05 已在 holidays[0]（国庆节） 中列为放假日，放假日期重复",
        id="overlapping-holidays",
    ),
    pytest.param(
        {"working_days": ["2027-10-09", "2027-10-09"]},
        "working_days[1]",
        "2027-10-09 已在 working_days[0] 中列出，调休上班日重复",
        id="duplicate-working-day",
    ),
    pytest.param(
        {"year": "二〇二七"}, "year", "年份「二〇二七」应为 2000–2100 之间的整数", id="year-text"
    ),
    pytest.param(
        {"year": 1999}, "year", "年份「1999」应为 2000–2100 之间的整数", id="year-too-early"
    ),
    pytest.param({"holidays": "国庆节"}, "holidays", "holidays 应为列表", id="holidays-not-a-list"),
    pytest.param({"holiday": []}, "holiday", "未知字段「holiday」", id="misspelt-field"),
    pytest.param(
        {"holidays": [{"name": "国庆节", "begin": "2027-10-01"}]},
        "holidays[0].begin",
        "未知字段「begin」",
        id="misspelt-holiday-field",
    ),
    pytest.param(
        {"working_days": [{"date": "2027-10-09", "name": "双十一"}]},
        "working_days[0].name",
        "未知的节日名称「双十一」",
        id="unknown-festival-on-working-day",
    ),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_CASES)
def test_each_mistake_is_named_with_its_field_and_value(
    changes: dict[str, Any], field: str, message: str
) -> None:
    data = sample(**changes)
    with pytest.raises(ScheduleInvalid) as raised:
        parse_year_schedule(data)
    assert any(p.field == field and message in p.message for p in raised.value.problems), (
        raised.value.problems
    )
    assert message in str(raised.value)


def test_missing_year_and_holidays_are_reported_together() -> None:
    problems = check_year_schedule({"working_days": ["2027-10-09"]})
    assert [p.field for p in problems] == ["year", "holidays"]
    assert str(problems[0]) == "year：缺少年份 year"


def test_all_mistakes_come_back_at_once() -> None:
    data = sample(
        holidays=[
            {"name": "圣诞节", "start": "2027-12-25"},
            {"name": "国庆节", "start": "2027-10-01", "end": "2028-10-07"},
        ],
        working_days=["2027-10-13", "10月9日"],
    )
    fields = [p.field for p in check_year_schedule(data)]
    assert fields == ["holidays[0].name", "holidays[1].end", "working_days[0]", "working_days[1]"]


def test_something_that_is_not_a_schedule_gets_a_message() -> None:
    (problem,) = check_year_schedule(["2027-10-01"])
    assert "放假安排应为一个对象" in problem.message


def test_a_valid_schedule_has_no_problems() -> None:
    assert check_year_schedule(SAMPLE_2027) == ()


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.dates(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["year", "holidays", "working_days", "name", "start", "end", "date"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(JSONISH)
def test_any_input_gives_a_schedule_or_messages_never_a_crash(data: object) -> None:
    problems = check_year_schedule(data)
    if problems:
        with pytest.raises(ScheduleInvalid):
            parse_year_schedule(data)
        assert all(p.field and p.message for p in problems)
    else:
        assert isinstance(parse_year_schedule(data), YearSchedule)
