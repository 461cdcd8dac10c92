"""The validator names file, matter and rule for each way a catalog can be broken."""

from __future__ import annotations

import pytest

from responsibility_catalog import Problem, Rule, TimeLimit, TimeLimits, validate

from .helpers import draft_with, make_matter, make_rule

HOURS_2 = TimeLimit(2, "hours")
DAYS_5 = TimeLimit(5, "working_days")


def problems_of(*rules: Rule, **overrides: object) -> list[Problem]:
    return validate(draft_with(make_matter("T01-01", *rules, **overrides)))


@pytest.mark.parametrize(
    ("rules", "code", "rule_number", "fragment"),
    [
        (
            (make_rule("其他", "no_such_unit"),),
            "unknown_unit",
            1,
            "主体责任单位“no_such_unit”不存在",
        ),
        (
            (make_rule("其他", "@location", "ghost"),),
            "unknown_unit",
            1,
            "配合责任单位“ghost”不存在",
        ),
        ((make_rule("其他", "@location", "@dispatcher"),), "unknown_unit", 1, "只能作为主体责任"),
        (
            (make_rule("开发区", "urban_management"), make_rule()),
            "unknown_attribute",
            1,
            "条件“开发区”不是已知的地点属性",
        ),
        ((make_rule("沿高速", "transport"), make_rule()), "unknown_attribute", 1, "道路“高速”"),
        ((make_rule("城区建成区 且", "housing"), make_rule()), "condition_syntax", 1, "不完整"),
        ((make_rule("其他 或 城区建成区", "housing"),), "condition_syntax", 1, "只能单独"),
        (
            (make_rule("城区建成区", "urban_management", "@location"),),
            "not_total",
            None,
            "275 个村/社区没有适用的规则",
        ),
        (
            (
                make_rule("城区建成区", "urban_management"),
                make_rule("乡镇=巨鹿镇", "@location"),
                make_rule(),
            ),
            "ambiguous",
            2,
            "规则 1 与规则 2 同时适用于 19 个村/社区",
        ),
        (
            (make_rule("其他", "housing", "housing"),),
            "primary_is_supporting",
            1,
            "县住房和城乡建设局",
        ),
        (
            (make_rule("其他", "@location", "xiguocheng"),),
            "primary_is_supporting",
            1,
            "等 30 个村/社区，同一单位既是主体责任单位又是配合责任单位",
        ),
        ((make_rule(), make_rule("城区建成区", "housing")), "unreachable_rule", 2, "永远不会适用"),
        ((make_rule(basis=" "),), "missing_basis", 1, "缺少法律依据"),
        ((make_rule("其他", "@location", "housing", "housing"),), "duplicate_id", 1, "重复"),
    ],
)
def test_each_broken_rule_is_reported_with_file_matter_and_rule(
    rules: tuple[Rule, ...], code: str, rule_number: int | None, fragment: str
) -> None:
    problems = problems_of(*rules)
    matching = [p for p in problems if p.code == code]
    assert len(matching) == 1, [str(p) for p in problems]
    problem = matching[0]
    assert fragment in problem.message
    assert (problem.file, problem.matter_id, problem.rule_number) == (
        "test/99-test.yaml",
        "T01-01",
        rule_number,
    )
    text = str(problem)
    assert text.startswith("版本 test，文件 test/99-test.yaml，事项 T01-01")
    if rule_number:
        assert f"规则 {rule_number}" in text


@pytest.mark.parametrize(
    ("limits", "fragment"),
    [
        (TimeLimits(TimeLimit(0, "hours"), DAYS_5, 1), "签收时限“0小时”必须大于零"),
        (TimeLimits(HOURS_2, TimeLimit(-1, "working_days"), 1), "办理时限“-1个工作日”必须大于零"),
        (TimeLimits(TimeLimit(48, "hours"), TimeLimit(1, "working_days"), 1), "长于办理时限"),
        (TimeLimits(TimeLimit(4, "working_days"), DAYS_5, 1), "不得超过3个工作日"),
        (TimeLimits(HOURS_2, DAYS_5, 5), "可延期次数 5 应在 0 到 3 之间"),
        (TimeLimits(HOURS_2, DAYS_5, -1), "可延期次数 -1"),
    ],
)
def test_invalid_time_limits_are_reported(limits: TimeLimits, fragment: str) -> None:
    problems = problems_of(make_rule(), time_limits=limits)
    assert [p.code for p in problems] == ["invalid_time_limit"]
    assert fragment in problems[0].message
    assert problems[0].field == "time_limits"


def test_duplicate_matter_id_names_the_other_file() -> None:
    problems = validate(draft_with(make_matter("D04-01")))
    assert [p.code for p in problems] == ["duplicate_id"]
    assert "事项编号 D04-01 重复（另见 2022-06/04-city-appearance.yaml）" in str(problems[0])


@pytest.mark.parametrize(
    "rules",
    [
        # overlapping rules with the same primary are allowed (城区 and 省道 within 5 km)
        (
            make_rule("城区建成区", "urban_management", "@location"),
            make_rule("沿省道 且 距县城≤5公里", "urban_management", "@location"),
            make_rule("其他", "@location", "urban_management"),
        ),
        # @location and the named township resolve to the same primary where they overlap
        (make_rule("乡镇=巨鹿镇", "@location"), make_rule("城区建成区", "juluzhen"), make_rule()),
        # total without a fallback: the two conditions cover every village
        (make_rule("城区建成区", "housing"), make_rule("非 城区建成区", "@location")),
        # the explicit dispatcher result is a valid fallback
        (make_rule("城区建成区", "housing"), make_rule("其他", "@dispatcher")),
    ],
)
def test_valid_rule_sets_raise_no_problem(rules: tuple[Rule, ...]) -> None:
    assert problems_of(*rules) == []


def test_a_matter_without_rules_is_reported() -> None:
    problems = validate(draft_with(make_matter("T01-01", rules=())))
    assert [(p.code, p.message) for p in problems] == [("schema", "事项没有规则")]


def test_control_characters_in_a_matters_text_are_reported_by_field() -> None:
    matter = make_matter(
        "T01-01",
        make_rule(),
        name="路灯\x01不亮",
        keywords=("路灯", "坏\x7f了"),
    )
    problems = validate(draft_with(matter, alone=True))
    assert [(p.code, p.field) for p in problems] == [("schema", "name"), ("schema", "keywords")]
    assert "控制字符（\\x01）" in problems[0].message


def test_line_breaks_and_tabs_in_a_legal_basis_are_text_not_control_characters() -> None:
    assert problems_of(make_rule(basis="《条例》第三条\n第二款\t（节选）")) == []
