"""A service task's parameters are Python expressions evaluated when the task runs: an empty or
broken one is reported when the diagram is validated, at the service task, naming the operation
and the parameter and showing the expression, instead of failing in front of a case (issue 21).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.core.definitions import called_process_ids, parse_definition, process_ids, validate
from engine.core.problems import DefinitionInvalid
from engine.desks import wire_desks

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
    ' xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"'
    ' id="defs" targetNamespace="http://example.org/t">\n'
)


def _service_task(parameters: str, *, task_id: str = "notify_handler") -> str:
    return (
        f'<bpmn:serviceTask id="{task_id}" name="通知经办人"><bpmn:extensionElements>'
        '<spiffworkflow:serviceTaskOperator id="notify" resultVariable="notification">'
        f"<spiffworkflow:parameters>{parameters}</spiffworkflow:parameters>"
        "</spiffworkflow:serviceTaskOperator></bpmn:extensionElements></bpmn:serviceTask>"
    )


def _chain(*steps: str, prefix: str = "") -> str:
    """Start -> steps... -> end; ``prefix`` keeps ids unique inside a subprocess."""
    start, end = f"{prefix}start", f"{prefix}end"
    ids = [start, *[s.split('id="', 1)[1].split('"', 1)[0] for s in steps], end]
    flows = "".join(
        f'<bpmn:sequenceFlow id="{prefix}f{i}" sourceRef="{a}" targetRef="{b}"/>'
        for i, (a, b) in enumerate(zip(ids, ids[1:], strict=False))
    )
    return f'<bpmn:startEvent id="{start}"/>{"".join(steps)}<bpmn:endEvent id="{end}"/>{flows}'


def _diagram(*steps: str) -> str:
    body = _chain(*steps)
    return (
        f'{_HEAD}<bpmn:process id="p" isExecutable="true">{body}</bpmn:process></bpmn:definitions>'
    )


def _parameter(name: str, value: str) -> str:
    quoted = value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return f'<spiffworkflow:parameter id="{name}" type="str" value="{quoted}"/>'


def _only_problem(xml: str):
    problems = validate(xml, services=["notify"])
    assert len(problems) == 1, problems
    return problems[0]


def test_an_empty_parameter_is_reported_at_its_service_task():
    problem = _only_problem(
        _diagram(_service_task(_parameter("kind", '"handle_reminder"') + _parameter("to", "  ")))
    )
    assert (problem.code, problem.element_id) == ("service-parameter", "notify_handler")
    assert problem.message.startswith("服务操作 notify 的参数 to 没有填写值")
    assert problem.line is not None


def test_a_syntax_error_shows_the_operation_parameter_and_expression():
    broken = '"诉求 " + str(tracking_code'
    problem = _only_problem(_diagram(_service_task(_parameter("text", broken))))
    assert problem.code == "service-parameter"
    assert problem.element_id == "notify_handler"
    assert f"服务操作 notify 的参数 text 的表达式“{broken}”" in problem.message
    assert "没有闭合" in problem.message
    assert problem.detail.startswith("SyntaxError")


def test_unquoted_text_is_offered_quoted():
    problem = _only_problem(_diagram(_service_task(_parameter("kind", "handle reminder"))))
    assert problem.fix == '"handle reminder"'
    assert '请加引号："handle reminder"' in problem.message


def test_a_long_expression_is_shown_truncated():
    long = "+".join(f"value_{i}" for i in range(40)) + "+"
    problem = _only_problem(_diagram(_service_task(_parameter("text", long))))
    shown = problem.message.split("“", 1)[1].split("”", 1)[0]
    assert shown.endswith("…") and len(shown) == 80
    assert long not in problem.message


def test_a_forbidden_expression_is_refused_with_the_expression_shown():
    problem = _only_problem(_diagram(_service_task(_parameter("text", "__import__('os')"))))
    assert problem.code == "service-parameter"
    assert "表达式“__import__('os')”无效" in problem.message
    assert "下划线" in problem.message


def test_a_parameter_without_a_name_is_reported():
    nameless = '<spiffworkflow:parameter type="str" value="1"/>'
    problem = _only_problem(_diagram(_service_task(nameless)))
    assert problem.message == (
        "服务操作 notify 有一个参数没有名称（spiffworkflow:parameter 的 id）"
    )


def test_valid_parameters_are_accepted_and_deploy():
    parameters = (
        _parameter("kind", '"handle_reminder"')
        + _parameter("to", '"dispatcher"')
        + _parameter("text", '"诉求 " + str(tracking_code) + " 办理时限已过 80%"')
    )
    xml = _diagram(_service_task(parameters))
    assert validate(xml, services=["notify"]) == []
    assert parse_definition(xml, services=["notify"]).process_key == "p"


def test_deploy_refuses_a_broken_parameter():
    with pytest.raises(DefinitionInvalid) as refused:
        parse_definition(_diagram(_service_task(_parameter("to", ""))), services=["notify"])
    assert [p.code for p in refused.value.problems] == ["service-parameter"]


def test_a_broken_parameter_inside_a_subprocess_carries_its_path():
    body = _chain(_service_task(_parameter("to", "")), prefix="sub_")
    sub = f'<bpmn:subProcess id="sub" name="办理">{body}</bpmn:subProcess>'
    problem = _only_problem(_diagram(sub))
    assert (problem.element_id, problem.path) == ("notify_handler", ("sub",))


def test_every_broken_parameter_is_reported_once_each():
    xml = _diagram(
        _service_task(_parameter("kind", ""), task_id="first"),
        _service_task(_parameter("to", "a +") + _parameter("text", ""), task_id="second"),
    )
    problems = validate(xml, services=["notify"])
    assert [(p.element_id, p.message.split("的参数 ")[1][:2]) for p in problems] == [
        ("first", "ki"),
        ("second", "to"),
        ("second", "te"),
    ]


def test_the_shipped_diagrams_validate_without_problems(host):
    wire_desks(host)
    services = sorted(host.runtime.services)
    texts = {path.name: path.read_text("utf-8") for path in sorted(BPMN_DIR.glob("*.bpmn"))}
    for name, xml in texts.items():
        wanted = called_process_ids(xml)
        called = tuple(t for n, t in texts.items() if n != name and process_ids(t) & wanted)
        assert validate(xml, called_bpmn=called, services=services, source_name=name) == [], name
