from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine import DefinitionInvalid
from engine.core.persistence.models import AuditEvent, ProcessDefinition
from tests.engine.helpers import only_task, start_ticket


def _count_definitions(host) -> int:
    with host.session_factory() as session:
        return session.scalar(select(func.count(ProcessDefinition.id)))


def test_deploy_stores_immutable_versions_by_content(host, diagram):
    xml = diagram("ticket.bpmn")
    first = host.deploy(xml, actor="designer:wang")
    again = host.deploy(xml, actor="designer:li")
    changed = host.deploy(xml.replace('name="核查"', 'name="核查结果"'), actor="designer:li")
    assert (first.version, first.created) == (1, True)
    assert (again.version, again.created, again.definition_id) == (1, False, first.definition_id)
    assert (changed.version, changed.created) == (2, True)
    assert first.content_hash != changed.content_hash
    with host.session_factory() as session:
        deployed = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "definition.deployed")
        ).all()
    assert [e.actor for e in deployed] == ["designer:wang", "designer:li"]


def test_running_instances_stay_on_their_version(host, diagram):
    xml = diagram("ticket.bpmn")
    host.deploy(xml, actor="designer")
    old = start_ticket(host)
    host.deploy(xml.replace('name="签收"', 'name="签收（新版）"'), actor="designer")
    new = start_ticket(host)
    assert only_task(host, old).title == "签收"
    assert only_task(host, new).title == "签收（新版）"
    with host.session_factory() as session:
        versions = {
            iid: session.get(ProcessDefinition, host.instance(iid).definition_id).version
            for iid in (old, new)
        }
    assert versions == {old: 1, new: 2}


def test_spec_is_stored_once_and_instances_without_it(host, diagram):
    host.deploy(diagram("ticket.bpmn"), actor="designer")
    iid = start_ticket(host)
    row = host.instance(iid)
    with host.session_factory() as session:
        spec_json = session.scalars(select(ProcessDefinition.spec_json)).one()
    assert '"task_specs"' in spec_json
    assert '"task_specs"' not in row.state_json
    assert len(row.state_json) < len(spec_json)


def _problems(host, xml: str) -> list:
    with pytest.raises(DefinitionInvalid) as caught:
        host.deploy(xml, actor="designer")
    assert _count_definitions(host) == 0, "a rejected diagram must store nothing"
    return caught.value.problems


def test_malformed_xml_names_the_line(host):
    problems = _problems(host, "<bpmn:definitions><oops></bpmn:definitions>")
    assert problems[0].code == "xml-syntax"
    assert problems[0].line == 1


def test_not_bpmn_is_rejected(host):
    problems = _problems(host, "<html><body>hello</body></html>")
    assert [p.code for p in problems] == ["not-bpmn"]


def test_unquoted_timer_offers_the_quoted_fix(host, diagram):
    xml = diagram("ticket.bpmn").replace("<bpmn:timeDate>sign_due", "<bpmn:timeDate>PT4H")
    (problem,) = _problems(host, xml)
    assert (problem.code, problem.element_id, problem.fix) == (
        "unquoted-timer",
        "sign_deadline",
        '"PT4H"',
    )
    assert "未加引号" in problem.message


def test_duplicate_timer_names_are_reported_on_each_timer(host, diagram):
    xml = diagram("ticket.bpmn").replace('name="签收提醒"', 'name="签收超时"')
    problems = _problems(host, xml)
    assert {(p.code, p.element_id) for p in problems} == {
        ("duplicate-timer-name", "sign_deadline"),
        ("duplicate-timer-name", "sign_reminder"),
    }


def test_event_gateway_with_two_timers_is_rejected(host):
    xml = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="gw" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="g"/>
    <bpmn:eventBasedGateway id="g"/>
    <bpmn:sequenceFlow id="f1" sourceRef="g" targetRef="t1"/>
    <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="t2"/>
    <bpmn:intermediateCatchEvent id="t1" name="一天">
      <bpmn:timerEventDefinition><bpmn:timeDuration>"P1D"</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="t2" name="两天">
      <bpmn:timerEventDefinition><bpmn:timeDuration>"P2D"</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="t1" targetRef="e"/>
    <bpmn:sequenceFlow id="f4" sourceRef="t2" targetRef="e"/>
    <bpmn:endEvent id="e"/>
  </bpmn:process>
</bpmn:definitions>"""
    (problem,) = _problems(host, xml)
    assert (problem.code, problem.element_id) == ("gateway-several-timers", "g")


def test_interrupting_event_subprocess_is_rejected(host, diagram):
    sub = """<bpmn:subProcess id="esp" triggeredByEvent="true">
      <bpmn:startEvent id="esp_start" name="催办">
        <bpmn:timerEventDefinition><bpmn:timeDuration>"P1D"</bpmn:timeDuration></bpmn:timerEventDefinition>
      </bpmn:startEvent>
      <bpmn:sequenceFlow id="esp_f" sourceRef="esp_start" targetRef="esp_end"/>
      <bpmn:endEvent id="esp_end"/>
    </bpmn:subProcess>
  </bpmn:process>"""
    xml = diagram("ticket.bpmn").replace("</bpmn:process>", sub)
    problems = _problems(host, xml)
    assert [(p.code, p.element_id) for p in problems] == [("interrupting-event-subprocess", "esp")]
    # The same subprocess marked non-interrupting is accepted.
    ok = xml.replace(
        '<bpmn:startEvent id="esp_start"', '<bpmn:startEvent id="esp_start" isInterrupting="false"'
    )
    assert host.deploy(ok, actor="designer").version == 1


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        ("import os", "import"),
        ("x = open('/etc/passwd').read()", "open"),
        ("x = ().__class__.__bases__", "__class__"),
        ("class A: pass", "类"),
    ],
)
def test_forbidden_scripts_are_rejected_at_deploy(host, diagram, script, reason):
    xml = diagram("ticket.bpmn").replace("reminders = reminders + 1", script)
    problems = _problems(host, xml)
    assert problems and all(p.element_id == "count_reminder" for p in problems)
    assert any(reason in p.message for p in problems)


def test_condition_that_does_not_compile_is_rejected(host):
    xml = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="cond" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="g"/>
    <bpmn:exclusiveGateway id="g" default="f2"/>
    <bpmn:sequenceFlow id="f1" sourceRef="g" targetRef="e">
      <bpmn:conditionExpression>route == 'x' and</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="e"/>
    <bpmn:endEvent id="e"/>
  </bpmn:process>
</bpmn:definitions>"""
    (problem,) = _problems(host, xml)
    assert (problem.code, problem.element_id) == ("expression-rejected", "f1")


def test_spiffworkflow_validation_errors_name_the_element(host, diagram):
    xml = diagram("ticket.bpmn").replace('targetRef="handle"', 'targetRef="nowhere"')
    problems = _problems(host, xml)
    assert problems[0].code == "bpmn-invalid"
