"""Every problem the validator reports is placed on an element the editor draws, says in
Chinese what to do, keeps the engine's English as detail, and is said once (issue 21).

Each diagram is small and made for one construct, shaped like what other modelers write
(ids on condition expressions and timer definitions, nested subprocesses, cron timers ...).
"""

from __future__ import annotations

import re

import pytest
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from engine.core.definitions import parse_definition, validate
from engine.core.problems import DefinitionInvalid

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xmlns:camunda="http://camunda.org/schema/1.0/bpmn"'
    ' id="defs" targetNamespace="http://example.org/t">\n'
)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _diagram(body: str, *, process: str = 'id="p" isExecutable="true"') -> str:
    return f"{_HEAD}<bpmn:process {process}>\n{body}\n</bpmn:process>\n</bpmn:definitions>"


def _flow(*steps: str) -> str:
    """Start -> steps... -> end, chained by sequence flows f0, f1 ..."""
    ids = ["start", *[re.search(r'id="([^"]+)"', s)[1] for s in steps], "end"]
    flows = "\n".join(
        f'<bpmn:sequenceFlow id="f{i}" sourceRef="{a}" targetRef="{b}"/>'
        for i, (a, b) in enumerate(zip(ids, ids[1:], strict=False))
    )
    return (
        '<bpmn:startEvent id="start"/>\n'
        + "\n".join(steps)
        + '\n<bpmn:endEvent id="end"/>\n'
        + flows
    )


def _only(problems, code):
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, problems
    return found[0]


# -- placed on a drawn element -------------------------------------------------------------------
GATEWAY_WITH_EXPRESSION_IDS = _diagram(
    """<bpmn:startEvent id="start"/>
<bpmn:exclusiveGateway id="route" default="f_other"/>
<bpmn:sequenceFlow id="f_in" sourceRef="start" targetRef="route"/>
<bpmn:sequenceFlow id="f_broken" sourceRef="route" targetRef="end">
  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" id="Expr_broken">amount &gt;</bpmn:conditionExpression>
</bpmn:sequenceFlow>
<bpmn:sequenceFlow id="f_juel" sourceRef="route" targetRef="end">
  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" id="Expr_juel">${vip}</bpmn:conditionExpression>
</bpmn:sequenceFlow>
<bpmn:sequenceFlow id="f_other" sourceRef="route" targetRef="end"/>
<bpmn:endEvent id="end"/>"""
)


def test_a_condition_expression_with_its_own_id_is_reported_at_its_sequence_flow():
    problems = validate(GATEWAY_WITH_EXPRESSION_IDS)
    assert {(p.code, p.element_id) for p in problems} == {
        ("expression-rejected", "f_broken"),
        ("juel-expression", "f_juel"),
    }
    assert all(p.path == () for p in problems)


def test_a_timer_definition_with_its_own_id_is_reported_at_its_event():
    timer = (
        '<bpmn:intermediateCatchEvent id="wait" name="等待">'
        '<bpmn:timerEventDefinition id="TimerDef_1">'
        '<bpmn:timeDuration id="Duration_1" xsi:type="bpmn:tFormalExpression">${due}</bpmn:timeDuration>'
        "</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
    )
    (problem,) = validate(_diagram(_flow(timer)))
    assert (problem.code, problem.element_id) == ("juel-expression", "wait")


NESTED = _diagram(
    _flow(
        """<bpmn:subProcess id="outer" name="外层">
  <bpmn:startEvent id="outer_start"/>
  <bpmn:subProcess id="inner" name="内层">
    <bpmn:startEvent id="inner_start"/>
    <bpmn:exclusiveGateway id="inner_gate"/>
    <bpmn:endEvent id="inner_a"/>
    <bpmn:endEvent id="inner_b"/>
    <bpmn:sequenceFlow id="i0" sourceRef="inner_start" targetRef="inner_gate"/>
    <bpmn:sequenceFlow id="i1" sourceRef="inner_gate" targetRef="inner_a">
      <bpmn:conditionExpression id="Expr_inner">ok ==</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="i2" sourceRef="inner_gate" targetRef="inner_b"/>
  </bpmn:subProcess>
  <bpmn:endEvent id="outer_end"/>
  <bpmn:sequenceFlow id="o0" sourceRef="outer_start" targetRef="inner"/>
  <bpmn:sequenceFlow id="o1" sourceRef="inner" targetRef="outer_end"/>
</bpmn:subProcess>"""
    )
)


def test_a_problem_inside_nested_subprocesses_carries_their_path():
    problems = validate(NESTED)
    flow = _only(problems, "expression-rejected")
    assert flow.element_id == "i1"
    assert flow.path == ("outer", "inner")
    assert flow.as_dict()["subprocess_path"] == ["outer", "inner"]


def test_an_engine_error_inside_a_subprocess_carries_the_path_too():
    # No condition on i2 and no default: SpiffWorkflow refuses the gateway's other exit.
    fixed = NESTED.replace("ok ==", "ok == True")
    (problem,) = validate(fixed)
    assert (problem.code, problem.element_id) == ("bpmn-invalid", "i2")
    assert problem.path == ("outer", "inner")
    assert "默认路径" in problem.message


def test_top_level_problems_have_an_empty_path_in_the_json():
    (problem,) = validate(
        _diagram(
            _flow(
                '<bpmn:scriptTask id="count"><bpmn:script>x = = 1</bpmn:script></bpmn:scriptTask>'
            )
        )
    )
    assert problem.as_dict()["subprocess_path"] == []


# -- XML and schema errors name the line and the element ----------------------------------------
def test_an_xml_syntax_error_names_the_line_and_the_nearest_element():
    xml = _diagram(_flow('<bpmn:task id="Task_1" name="a & b"/>'))
    (problem,) = validate(xml)
    line = next(i for i, text in enumerate(xml.splitlines(), 1) if "Task_1" in text)
    assert problem.code == "xml-syntax" and problem.line == line
    assert f"第 {line} 行，元素 bpmn:task（id=Task_1）附近：" in problem.message
    assert "&amp;" in problem.message  # what to write instead
    assert "EntityRef" in problem.detail  # the parser's own words kept


def test_an_unclosed_element_without_id_is_named_inside_its_owner():
    xml = _diagram(_flow('<bpmn:task id="Task_1">\n<bpmn:incoming>f0</bpmn:task>'))
    (problem,) = validate(xml)
    assert "元素 bpmn:incoming（在 bpmn:task（id=Task_1）内）附近" in problem.message
    assert "不匹配" in problem.message


def test_schema_errors_name_line_and_element_and_are_all_listed():
    xml = _diagram(
        _flow(
            '<bpmn:task id="Task_1" colour="red"/>',
            '<bpmn:userTask id="Task_2" startQuantity="many" camunda:candidateGroups="a"/>',
        ),
        process='id="p" isExecutable="yes"',
    )
    problems = validate(xml)
    lines = xml.splitlines()
    by_element = {p.element_id: p for p in problems}
    assert set(by_element) == {"p", "Task_1", "Task_2"}
    task = by_element["Task_1"]
    line = next(i for i, text in enumerate(lines, 1) if 'id="Task_1"' in text)
    assert (
        task.message
        == f"第 {line} 行，元素 bpmn:task（id=Task_1）附近：此元素上不允许有属性 colour"
    )
    assert task.line == line and "colour" in task.detail
    assert "true 或 false" in by_element["p"].message
    assert "应为整数" in by_element["Task_2"].message


# -- precise hints --------------------------------------------------------------------------------
def _process_key_problem(xml: str, **kwargs) -> str:
    with pytest.raises(DefinitionInvalid) as caught:
        parse_definition(xml, **kwargs)
    return _only(caught.value.problems, "process-key").message


def test_no_executable_process_says_to_set_is_executable_and_names_the_processes():
    xml = _HEAD + (
        '<bpmn:process id="intake"><bpmn:startEvent id="s1"/></bpmn:process>'
        '<bpmn:process id="review" isExecutable="false"><bpmn:startEvent id="s2"/></bpmn:process>'
        "</bpmn:definitions>"
    )
    message = _process_key_problem(xml)
    assert 'isExecutable="true"' in message
    assert "intake" in message and "review" in message
    assert "--process-key" not in message and "流程标识" not in message


def test_a_named_process_that_is_not_executable_says_is_executable():
    xml = _diagram(_flow(), process='id="intake" isExecutable="false"')
    message = _process_key_problem(xml, process_key="intake")
    assert 'isExecutable="true"' in message and "--process-key" not in message


def test_several_executable_processes_suggest_process_key():
    xml = _HEAD + (
        '<bpmn:process id="a" isExecutable="true"><bpmn:startEvent id="s1"/></bpmn:process>'
        '<bpmn:process id="b" isExecutable="true"><bpmn:startEvent id="s2"/></bpmn:process>'
        "</bpmn:definitions>"
    )
    message = _process_key_problem(xml)
    assert "--process-key" in message and "a、b" in message


@pytest.mark.parametrize(
    ("kind", "value"),
    [("timeCycle", "0 0 9 * * ?"), ("timeCycle", '"0 9 * * *"'), ("timeDuration", "0 0/5 * * * ?")],
    ids=["quartz-unquoted", "unix-quoted", "quartz-duration"],
)
def test_a_cron_timer_says_cron_is_not_supported_and_shows_an_iso_cycle(kind, value):
    timer = (
        f'<bpmn:intermediateCatchEvent id="daily" name="每天"><bpmn:timerEventDefinition id="Def_1">'
        f"<bpmn:{kind}>{value}</bpmn:{kind}></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
    )
    (problem,) = validate(_diagram(_flow(timer)))
    assert (problem.code, problem.element_id) == ("cron-timer", "daily")
    assert '不支持 cron 表达式，请改用 ISO 8601 循环，如 "R/P1D"' in problem.message
    assert "语法" not in problem.message and "invalid syntax" not in str(problem.as_dict())


def _condition_problem(condition: str):
    xml = _diagram(
        '<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="g" default="f2"/>'
        '<bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="g"/>'
        f'<bpmn:sequenceFlow id="f1" sourceRef="g" targetRef="end"><bpmn:conditionExpression>{condition}'
        '</bpmn:conditionExpression></bpmn:sequenceFlow><bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="end"/>'
        '<bpmn:endEvent id="end"/>'
    )
    return _only(validate(xml), "expression-rejected")


def test_an_expression_syntax_error_shows_the_expression_and_where():
    problem = _condition_problem("route = 'x'")
    assert problem.element_id == "f1"
    assert "“route = 'x'”" in problem.message
    assert "第 1 个字符处" in problem.message or "个字符处" in problem.message
    assert "==" in problem.message  # Python's "Maybe you meant '=='" in Chinese
    assert "invalid syntax" not in problem.message and "invalid syntax" in problem.detail


def test_an_unfinished_expression_says_so_and_a_long_one_is_cut():
    unfinished = _condition_problem("route == 'x' and")
    assert "“route == 'x' and”" in unfinished.message and "不完整" in unfinished.message
    long = _condition_problem("route == 'x' and " + "amount > 1 and " * 20 + "+")
    shown = re.search(r"“(.*)”", long.message)[1]
    assert len(shown) <= 80 and shown.endswith("…") and shown.startswith("route == 'x'")


# -- one language, the English kept as detail ----------------------------------------------------
def test_spiffworkflow_english_becomes_a_chinese_message_with_the_english_as_detail():
    xml = _diagram('<bpmn:task id="lonely"/>')  # no start event
    (problem,) = validate(xml)
    assert problem.message == "缺少开始事件：请添加一个开始事件"
    assert problem.detail == "No start event found"
    assert problem.element_id == "p" and problem.line == 3
    assert problem.as_dict()["detail"] == "No start event found"


def test_an_unknown_engine_error_gets_the_generic_chinese_lead(monkeypatch):
    def refuse(self, bpmn, filename=None):
        node = bpmn.find(".//{*}task")
        raise ValidationException("Frobnication is not allowed here", node=node)

    monkeypatch.setattr("SpiffWorkflow.spiff.parser.SpiffBpmnParser.add_bpmn_xml", refuse)
    (problem,) = validate(_diagram(_flow('<bpmn:task id="odd"/>')))
    assert problem.message.startswith("流程引擎无法解析此元素")
    assert (problem.element_id, problem.detail) == ("odd", "Frobnication is not allowed here")


def test_a_parser_crash_keeps_its_english_out_of_the_message(monkeypatch):
    def crash(self, bpmn, filename=None):
        raise KeyError("flowNodeRef")

    monkeypatch.setattr("SpiffWorkflow.spiff.parser.SpiffBpmnParser.add_bpmn_xml", crash)
    (problem,) = validate(_diagram(_flow()))
    assert problem.code == "unsupported" and "flowNodeRef" not in problem.message
    assert problem.detail == "KeyError: 'flowNodeRef'"


@pytest.mark.parametrize(
    "xml",
    [
        GATEWAY_WITH_EXPRESSION_IDS,
        NESTED,
        _diagram('<bpmn:task id="lonely"/>'),
        _diagram(_flow('<bpmn:task id="Task_1" colour="red"/>')),
        _diagram(_flow('<bpmn:task id="Task_1" name="a & b"/>')),
        _diagram(_flow(), process='id="p"'),
    ],
    ids=["expressions", "nested", "engine", "schema", "xml", "not-executable"],
)
def test_every_message_is_chinese(xml):
    problems = validate(xml)
    assert problems
    for problem in problems:
        assert _CJK.search(problem.message), problem
        assert "invalid syntax" not in problem.message and "Element '" not in problem.message


# -- said once -------------------------------------------------------------------------------------
def test_the_same_problem_on_the_same_element_is_reported_once():
    listeners = (
        '<bpmn:task id="audit"><bpmn:extensionElements>'
        '<camunda:executionListener class="a.Start" event="start"/>'
        '<camunda:executionListener class="a.End" event="end"/>'
        "</bpmn:extensionElements></bpmn:task>"
    )
    problems = validate(_diagram(_flow(listeners)))
    assert [(p.code, p.element_id) for p in problems] == [("listener", "audit")]


def test_different_problems_on_one_element_are_all_kept_in_order():
    lookup = (
        '<bpmn:serviceTask id="lookup" camunda:class="a.Lookup"><bpmn:extensionElements>'
        '<camunda:executionListener class="a.Start" event="start"/>'
        '<camunda:executionListener class="a.Start" event="start"/>'
        "</bpmn:extensionElements></bpmn:serviceTask>"
    )
    problems = validate(_diagram(_flow(lookup)))
    assert [(p.code, p.element_id) for p in problems] == [
        ("java-delegate", "lookup"),
        ("listener", "lookup"),
    ]


def test_a_restricted_python_reason_left_in_english_gets_a_chinese_lead(monkeypatch):
    from engine.core.scripting import ScriptRejected

    def refuse(source):
        raise ScriptRejected(source, ["第 1 行：Frobnicate expressions are not allowed"])

    monkeypatch.setattr("engine.core.lint.compile_expression", refuse)
    problem = _condition_problem("route == 'x'")
    assert problem.message == "条件表达式无效：第 1 行：使用了受限环境不允许的写法"
    assert problem.detail == "Frobnicate expressions are not allowed"


def test_a_missing_decision_table_is_named_in_chinese_at_its_task():
    from tests.conftest import DIAGRAMS

    (problem,) = validate((DIAGRAMS / "triage.bpmn").read_text(encoding="utf-8"))
    assert problem.element_id == "decide"
    assert problem.message.startswith("找不到决策表 urgency：请随流程一起上传")
    assert problem.detail.startswith('No DMN Diagram available with id "urgency"')
