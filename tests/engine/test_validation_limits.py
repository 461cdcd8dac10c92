"""A designer's mistake is a problem naming the element, never a crash of validation.

One test per hazard: pathological nesting, huge expressions and scripts, unparseable text,
timer values out of range, assignment expressions that would only fail at run time.
"""

from __future__ import annotations

import re

import pytest

from engine.core import lint as lint_module
from engine.core.definitions import validate
from engine.core.problems import DefinitionInvalid
from engine.core.scripting import (
    MAX_EXPRESSION_CHARS,
    MAX_NESTING_DEPTH,
    MAX_SCRIPT_CHARS,
    ScriptRejected,
    compile_expression,
    compile_script,
)

_CHINESE = re.compile(r"[\u4e00-\u9fff]")

CONDITION = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="cond" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="g"/>
    <bpmn:exclusiveGateway id="g" default="f2"/>
    <bpmn:sequenceFlow id="f1" sourceRef="g" targetRef="e">
      <bpmn:conditionExpression>CONDITION</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="e"/>
    <bpmn:endEvent id="e"/>
  </bpmn:process>
</bpmn:definitions>"""

TIMER = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="wait" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="pause"/>
    <bpmn:intermediateCatchEvent id="pause" name="等待">
      <bpmn:timerEventDefinition><bpmn:KIND>VALUE</bpmn:KIND></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="pause" targetRef="e"/>
    <bpmn:endEvent id="e"/>
  </bpmn:process>
</bpmn:definitions>"""


def _problems(xml: str) -> list:
    problems = validate(xml)
    assert problems, "the diagram should have been refused"
    for problem in problems:
        assert _CHINESE.search(problem.message), problem.message
    return problems


def _the_problem(xml: str):
    (problem,) = _problems(xml)
    return problem


def _condition(text: str) -> str:
    return CONDITION.replace("CONDITION", text)


def _script(diagram, script: str) -> str:
    return diagram("ticket.bpmn").replace("reminders = reminders + 1", script)


def _timer(kind: str, value: str) -> str:
    return TIMER.replace("KIND", kind).replace("VALUE", value)


# -- nesting and size -----------------------------------------------------------------------
def test_a_thousand_plus_terms_are_a_problem_not_a_recursion_error():
    problem = _the_problem(_condition(" + ".join(["x"] * 1000) + " &gt; 0"))
    assert (problem.code, problem.element_id) == ("expression-rejected", "f1")
    assert f"嵌套超过 {MAX_NESTING_DEPTH} 层" in problem.message


def test_a_thousand_nested_nots_are_a_problem_not_a_recursion_error():
    problem = _the_problem(_condition("not " * 1000 + "x"))
    assert (problem.code, problem.element_id) == ("expression-rejected", "f1")
    assert "嵌套超过" in problem.message


@pytest.mark.parametrize(
    "script",
    [
        "y = " + "[" * 150 + "x" + "]" * 150,
        "y = " + "(" * 1000 + "x" + ")" * 1000,
        "y = " + "-" * 5000 + "x",
        "y = " + " + ".join(["x"] * 1000),
    ],
    ids=["lists", "parentheses", "unary-minus", "plus"],
)
def test_deep_nesting_in_a_script_names_the_script_task(diagram, script):
    problems = _problems(_script(diagram, script))
    assert {(p.code, p.element_id) for p in problems} == {("script-rejected", "count_reminder")}


def test_a_very_long_condition_is_refused_before_compiling():
    text = "route == '" + "a" * MAX_EXPRESSION_CHARS + "'"
    problem = _the_problem(_condition(text))
    assert (problem.code, problem.element_id) == ("expression-rejected", "f1")
    assert f"超过 {MAX_EXPRESSION_CHARS:,} 个字符的上限" in problem.message


def test_a_huge_script_is_refused_before_compiling(diagram):
    script = "x = 1\n" * (MAX_SCRIPT_CHARS // 6 + 1)
    problem = _the_problem(_script(diagram, script))
    assert (problem.code, problem.element_id) == ("script-rejected", "count_reminder")
    assert f"超过 {MAX_SCRIPT_CHARS:,} 个字符的上限" in problem.message


def test_unparseable_garbage_is_a_syntax_problem(diagram):
    problem = _the_problem(_script(diagram, ")))( def ] 你好 ¥"))
    assert (problem.code, problem.element_id) == ("script-rejected", "count_reminder")
    assert "语法错误" in problem.message


@pytest.mark.parametrize(
    "source",
    ["x\0", " + ".join(["x"] * 1000), "not " * 1000 + "x", "x" * (MAX_EXPRESSION_CHARS + 1)],
    ids=["null-byte", "plus", "not", "long"],
)
def test_compiling_never_raises_anything_but_script_rejected(source):
    with pytest.raises(ScriptRejected) as caught:
        compile_expression(source)
    assert all(_CHINESE.search(reason) for reason in caught.value.reasons)


def test_a_compiler_crash_is_a_reason(monkeypatch):
    def explode(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("engine.core.scripting.compile_restricted_exec", explode)
    with pytest.raises(ScriptRejected) as caught:
        compile_script("y = 'a fresh script, not in the cache'")
    assert "无法编译" in caught.value.reasons[0]


def test_ordinary_nesting_still_compiles():
    compile_script(
        """
        for item in items:
            if item["kind"] == "a":
                totals[item["unit"]] = totals.get(item["unit"], 0) + len(item["photos"]) * 2
        """
    )
    compile_expression(" + ".join(["x"] * (MAX_NESTING_DEPTH // 2)))


# -- a rule or the parser that crashes --------------------------------------------------------
def test_a_crashing_lint_rule_is_a_problem_not_a_500(monkeypatch, diagram):
    def broken(root):
        yield from ()
        raise RuntimeError("boom")

    monkeypatch.setattr(lint_module, "RULES", (*lint_module.RULES, broken))
    problem = _the_problem(diagram("ticket.bpmn"))
    assert problem.code == "validation-failed"
    assert "broken" in problem.message and "RuntimeError" in problem.message


def test_a_crash_anywhere_in_validation_is_a_problem(monkeypatch, diagram):
    def broken(root):
        raise MemoryError

    monkeypatch.setattr("engine.core.definitions.extract_task_metadata", broken)
    problem = _the_problem(diagram("ticket.bpmn"))
    assert problem.code == "validation-failed" and "MemoryError" in problem.message


def test_bytes_that_are_not_utf8_are_a_problem():
    with pytest.raises(DefinitionInvalid) as caught:
        from engine.core.definitions import parse_definition

        parse_definition(b"\xff\xfe<bpmn:definitions/>")
    (problem,) = caught.value.problems
    assert problem.code == "encoding" and "UTF-8" in problem.message


# -- timers -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("timeDuration", '"P99999999999Y"', "超过 10 年的上限"),
        ("timeDuration", '"P200Y"', "约 200 年"),
        ("timeDuration", '"PT999999999999S"', "超过 10 年的上限"),
        ("timeDate", '"1999-12-31T08:00:00+08:00"', "不在 2000–2100 年之间"),
        ("timeDate", '"2101-01-01T08:00:00+08:00"', "不在 2000–2100 年之间"),
        ("timeDate", "'P5D'", "是时长，不是日期时间"),
        ("timeCycle", '"R1001/P1D"', "超过 1,000 次的上限"),
        ("timeCycle", '"R/PT30M"', "不限次数"),
        ("timeCycle", '"R5/PT10S"', "短于下限 1 分钟"),
        ("timeDuration", "5", "应为 ISO 8601 字符串"),
    ],
)
def test_literal_timer_values_out_of_range_name_the_event(kind, value, expected):
    problem = _the_problem(_timer(kind, value))
    assert (problem.code, problem.element_id) == ("timer-value", "pause")
    assert expected in problem.message


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("timeDuration", '"P5D"'),
        ("timeCycle", '"R12/P30D"'),
        ("timeDate", '"2026-03-02T08:00:00+08:00"'),
        ("timeDate", 'handle_deadline["due"]'),  # evaluated at run time: compile-checked only
    ],
)
def test_sane_and_computed_timer_values_deploy(kind, value):
    assert validate(_timer(kind, value)) == []


# -- assignment expressions -------------------------------------------------------------------
@pytest.mark.parametrize("attribute", ["candidateGroups", "assignee"])
def test_assignment_expression_that_escapes_is_refused_at_deploy(diagram, attribute):
    xml = diagram("ticket.bpmn").replace(
        '<bpmn:userTask id="handle" name="办理" camunda:candidateGroups="=unit">',
        f'<bpmn:userTask id="handle" name="办理" camunda:{attribute}="=().__class__.__name__">',
    )
    problems = _problems(xml)
    assert {(p.code, p.element_id) for p in problems} == {("expression-rejected", "handle")}
    assert any(
        p.message == f"{attribute} 的表达式无效：第 1 行：不允许使用以下划线开头的属性名 __class__"
        for p in problems
    ), problems


def test_assignment_expression_that_does_not_parse_is_refused(diagram):
    xml = diagram("ticket.bpmn").replace('candidateGroups="=unit"', 'candidateGroups="=unit +"', 1)
    problem = _the_problem(xml)
    assert (problem.code, problem.element_id) == ("expression-rejected", "sign_for")


def test_literal_groups_are_not_expressions(diagram):
    xml = diagram("ticket.bpmn").replace('candidateGroups="=unit"', 'candidateGroups="a, b"', 1)
    assert validate(xml) == []
