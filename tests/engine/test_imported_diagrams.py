"""Diagrams made elsewhere: they either validate and run, or the designer gets the list of
what is not supported, element by element — never an exception. Unsafe XML is refused."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.core.definitions import MAX_DIAGRAM_BYTES, validate
from engine.core.persistence.models import ProcessDefinition
from engine.core.problems import DefinitionInvalid

FOREIGN = Path(__file__).parent / "diagrams" / "foreign"


def _codes(problems):
    return {(p.code, p.element_id) for p in problems}


def test_camunda_diagram_lists_every_construct_the_engine_cannot_run() -> None:
    problems = validate((FOREIGN / "camunda_order.bpmn").read_text(), services={"notify"})
    assert _codes(problems) == {
        ("unquoted-timer", "Timer_review"),
        ("java-delegate", "Task_lookup"),
        ("listener", "Task_lookup"),
        ("external-task", "Task_notify"),
        ("juel-expression", "Flow_vip"),
        ("juel-expression", "Task_review"),
        ("script-language", "Task_score"),
    }
    by_element = {p.element_id: p for p in problems if p.code != "listener"}
    assert "com.example.LookupDelegate" in by_element["Task_lookup"].message
    assert "vip == True" in by_element["Flow_vip"].message  # the Python way to write it
    assert by_element["Timer_review"].fix == '"PT4H"'
    assert all(p.line for p in problems)


def test_compatible_camunda_diagram_deploys_and_runs_with_its_timer(host, clock) -> None:
    deployment = host.deploy(
        (FOREIGN / "camunda_leave.bpmn").read_bytes(), actor="designer", source_name="x.bpmn"
    )
    instance_id = host.start("street_light", actor="resident")
    (task,) = host.ready_tasks(instance_id=instance_id)
    assert task.candidate_groups == ["transport"]

    clock.advance(timedelta(days=1, minutes=1))
    host.sweep()
    assert host.instance_data(instance_id)["reminded"] is True

    host.complete_task(task.id, {"repaired": True}, actor="transport")
    assert host.instance(instance_id).status == "completed"
    assert deployment.version == 1


def test_unassigned_user_task_is_rejected(diagram) -> None:
    xml = diagram("ticket.bpmn").replace('camunda:candidateGroups="=unit"', "", 1)
    xml = xml.replace("<bpmn:flowNodeRef>sign_for</bpmn:flowNodeRef>", "")
    assert ("unassigned-user-task", "sign_for") in _codes(validate(xml))


def test_unknown_service_operation_names_the_ones_available() -> None:
    xml = (FOREIGN / "camunda_leave.bpmn").read_text()
    xml = xml.replace(
        '<bpmn:scriptTask id="Activity_count" name="记录提醒" scriptFormat="python">',
        '<bpmn:serviceTask id="Activity_count" name="记录提醒"><bpmn:extensionElements>'
        '<spiffworkflow:serviceTaskOperator xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/'
        'schema/1.0/core" id="send_sms"/></bpmn:extensionElements>',
    ).replace(
        "<bpmn:script>reminded = True</bpmn:script>\n    </bpmn:scriptTask>", "</bpmn:serviceTask>"
    )
    (problem,) = validate(xml, services={"notify", "route_complaint"})
    assert (problem.code, problem.element_id) == ("unknown-service-operation", "Activity_count")
    assert "send_sms" in problem.message and "notify" in problem.message


XXE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE definitions [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="leak" name="&secret;" isExecutable="true">
    <bpmn:startEvent id="s"/>
  </bpmn:process>
</bpmn:definitions>"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="p" name="&lol3;" isExecutable="true"><bpmn:startEvent id="s"/></bpmn:process>
</bpmn:definitions>"""


@pytest.mark.parametrize("xml", [XXE, LAUGHS], ids=["external-entity", "entity-expansion"])
def test_documents_with_a_doctype_are_refused_and_nothing_is_stored(host, xml) -> None:
    with pytest.raises(DefinitionInvalid) as caught:
        host.deploy(xml, actor="designer")
    (problem,) = caught.value.problems
    assert problem.code == "doctype-forbidden"
    assert "root:" not in str(caught.value)  # /etc/passwd was never read
    with host.session_factory() as session:
        assert session.scalar(select(func.count(ProcessDefinition.id))) == 0


def test_oversized_upload_is_refused_before_parsing() -> None:
    xml = (FOREIGN / "camunda_leave.bpmn").read_text()
    padding = "<!-- " + "x" * MAX_DIAGRAM_BYTES + " -->"
    (problem,) = validate(xml + padding)
    assert problem.code == "too-large" and "MB" in problem.message


@pytest.mark.parametrize(
    "xml",
    [
        "",
        "not xml at all",
        "<html><body>hello</body></html>",
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"/>',
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">'
        '<bpmn:process id="p" isExecutable="true"><bpmn:boundaryEvent id="b" attachedToRef="nope">'
        '<bpmn:timerEventDefinition><bpmn:timeDuration>"PT1H"</bpmn:timeDuration>'
        "</bpmn:timerEventDefinition></bpmn:boundaryEvent></bpmn:process></bpmn:definitions>",
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">'
        '<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/>'
        '<bpmn:callActivity id="c" calledElement="missing"/>'
        '<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="c"/></bpmn:process></bpmn:definitions>',
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">'
        '<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/>'
        '<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="ghost"/></bpmn:process>'
        "</bpmn:definitions>",
    ],
    ids=[
        "empty",
        "text",
        "html",
        "no-process",
        "dangling-boundary",
        "missing-call",
        "dangling-flow",
    ],
)
def test_broken_documents_give_problems_never_exceptions(xml) -> None:
    problems = validate(xml)
    assert problems
    assert all(p.message for p in problems)
