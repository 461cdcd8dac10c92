"""Structural checks of the shipped diagrams against ADR 0004 (the lifecycle contract).

Both files must parse and validate, carry full BPMN-DI, keep every timer name unique and
contain every element, lane, assignment and form field the host relies on.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from engine.core.definitions import parse_definition
from engine.core.host import called_documents
from engine.core.lint import lint
from engine.core.task_metadata import extract_task_metadata

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
DIAGRAMS = ("complaint.bpmn", "joint_consultation.bpmn")
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "camunda": "http://camunda.org/schema/1.0/bpmn",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
}
BPMN = f"{{{NS['bpmn']}}}"
CAMUNDA = f"{{{NS['camunda']}}}"
FLOW_NODE_TAGS = {
    "startEvent",
    "endEvent",
    "boundaryEvent",
    "intermediateCatchEvent",
    "intermediateThrowEvent",
    "task",
    "userTask",
    "manualTask",
    "serviceTask",
    "scriptTask",
    "businessRuleTask",
    "sendTask",
    "receiveTask",
    "callActivity",
    "subProcess",
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
    "eventBasedGateway",
}
LANES = {
    "complaint": {"调度中心", "责任单位", "配合单位", "诉求人", "组织部", "系统"},
    "joint_consultation": {"组织部", "责任单位", "系统"},
}

# id -> (tag, extra): the element table of ADR 0004.
COMPLAINT_ELEMENTS = {
    "init": "scriptTask",
    "route": "serviceTask",
    "gw_routed": "exclusiveGateway",
    "assign_from_catalog": "scriptTask",
    "schedule_jurisdiction": "serviceTask",
    "determine": "userTask",
    "determine_reminder": "boundaryEvent",
    "apply_determination": "scriptTask",
    "schedule_sign_for": "serviceTask",
    "dispatch_round": "subProcess",
    "gw_phase": "exclusiveGateway",
    "schedule_handling": "serviceTask",
    "sign_for": "userTask",
    "sign_reminder": "boundaryEvent",
    "sign_overdue": "boundaryEvent",
    "sign_supervised": "boundaryEvent",
    "notify_sign_supervised": "serviceTask",
    "gw_sign": "exclusiveGateway",
    "gw_has_supporting": "exclusiveGateway",
    "assist": "userTask",
    "handle": "userTask",
    "handle_reminder": "boundaryEvent",
    "handle_overdue": "boundaryEvent",
    "supervise": "userTask",
    "gw_outcome": "exclusiveGateway",
    "gw_ext_allowed": "exclusiveGateway",
    "approve_extension": "userTask",
    "apply_extension": "serviceTask",
    "hold_handling": "serviceTask",
    "verify_extension": "serviceTask",
    "approve_listing": "userTask",
    "listed_checkin": "userTask",
    "listed_cycle": "boundaryEvent",
    "round_returned": "boundaryEvent",
    "record_return": "scriptTask",
    "gw_second_return": "exclusiveGateway",
    "schedule_contested": "serviceTask",
    "adjudicate": "userTask",
    "contested_timeout": "boundaryEvent",
    "round_closed": "boundaryEvent",
    "consult": "callActivity",
    "apply_consultation": "scriptTask",
    "schedule_callback": "serviceTask",
    "callback": "userTask",
    "callback_timeout": "boundaryEvent",
    "gw_satisfaction": "exclusiveGateway",
    "reopen": "scriptTask",
    "final_supervision": "userTask",
    "close": "scriptTask",
    "end": "endEvent",
    "closed_end": "endEvent",
}
CONSULTATION_ELEMENTS = {
    "cs_init": "scriptTask",
    "schedule_consultation": "serviceTask",
    "convene": "userTask",
    "state_position": "userTask",
    "position_deadline": "boundaryEvent",
    "decide": "userTask",
    "cs_apply": "scriptTask",
    "gw_amend": "exclusiveGateway",
}
# task -> {field: (type, required, required_if, enum ids)}
FORMS = {
    "determine": {
        "primary_unit": ("string", True, None, ()),
        "supporting_units_text": ("string", False, None, ()),
        "determine_note": ("string", False, None, ()),
        "matter_id": ("string", False, None, ()),
    },
    "sign_for": {
        "decision": ("enum", True, None, ("accept", "return")),
        "return_reason": ("string", False, ("decision", "return"), ()),
        "return_basis": ("string", False, ("decision", "return"), ()),
    },
    "handle": {
        "outcome": ("enum", True, None, ("reply", "extension", "list")),
        "progress_note": ("string", False, None, ()),
        "reply_text": ("string", False, ("outcome", "reply"), ()),
        "reply_photos": ("string", False, None, ()),
        "extension_reason": ("string", False, ("outcome", "extension"), ()),
        "extension_until": ("date", False, ("outcome", "extension"), ()),
        "listing_plan": ("string", False, ("outcome", "list"), ()),
    },
    "supervise": {"supervision_note": ("string", False, None, ())},
    "approve_extension": {
        "extension_approved": ("boolean", True, None, ()),
        "extension_note": ("string", False, None, ()),
    },
    "approve_listing": {
        "listing_approved": ("boolean", True, None, ()),
        "listing_note": ("string", False, None, ()),
    },
    "listed_checkin": {
        "progress_note": ("string", True, None, ()),
        "solved": ("boolean", False, None, ()),
        "reply_text": ("string", False, ("solved", "true"), ()),
        "reply_photos": ("string", False, None, ()),
    },
    "assist": {"assist_note": ("string", True, None, ())},
    "adjudicate": {
        "ruling": ("enum", True, None, ("reaffirm", "reroute", "escalate")),
        "new_primary_unit": ("string", False, ("ruling", "reroute"), ()),
        "new_supporting_units_text": ("string", False, None, ()),
        "matter_id": ("string", False, None, ()),
        "ruling_note": ("string", True, None, ()),
    },
    "callback": {
        "satisfaction": ("enum", True, None, ("satisfied", "basic", "unsatisfied")),
        "callback_comment": ("string", False, None, ()),
    },
    "final_supervision": {"final_note": ("string", True, None, ())},
    "convene": {"meeting_note": ("string", False, None, ())},
    "state_position": {
        "position": ("string", True, None, ()),
        "proposed_primary": ("string", False, None, ()),
    },
    "decide": {
        "decided_primary": ("string", True, None, ()),
        "decided_supporting_text": ("string", False, None, ()),
        "decision_note": ("string", True, None, ()),
        "propose_amendment": ("boolean", False, None, ()),
        "amendment_text": ("string", False, ("propose_amendment", "true"), ()),
    },
}
CANDIDATE_GROUPS = {
    "determine": "dispatcher",
    "sign_for": "=primary_unit",
    "handle": "=primary_unit",
    "listed_checkin": "=primary_unit",
    "assist": "=assisting_unit",
    "supervise": "dispatcher",
    "approve_extension": "dispatcher",
    "approve_listing": "dispatcher",
    "adjudicate": "dispatcher",
    "final_supervision": "dispatcher",
    "callback": "=reporter_group",
    "convene": "orgdept",
    "state_position": "=party_unit",
    "decide": "orgdept",
}
USER_TASK_LANES = {
    "determine": "调度中心",
    "supervise": "调度中心",
    "approve_extension": "调度中心",
    "approve_listing": "调度中心",
    "adjudicate": "调度中心",
    "final_supervision": "调度中心",
    "sign_for": "责任单位",
    "handle": "责任单位",
    "listed_checkin": "责任单位",
    "assist": "配合单位",
    "callback": "诉求人",
    "convene": "组织部",
    "decide": "组织部",
    "state_position": "责任单位",
}
# boundary event -> (name, host, interrupting, timer kind, expression)
TIMERS = {
    "determine_reminder": (
        "定性提醒",
        "determine",
        False,
        "timeDate",
        'jurisdiction_deadline["remind_at"]',
    ),
    "sign_reminder": ("签收提醒", "sign_for", False, "timeDate", 'sign_for_deadline["remind_at"]'),
    "sign_overdue": ("签收超时", "sign_for", False, "timeDate", 'sign_for_deadline["due"]'),
    # One firing per deadline, none for an instant already fired before a return to handle.
    "handle_reminder": (
        "办理提醒",
        "handle",
        False,
        "timeCycle",
        '("R0/" if handle_deadline.get("remind_passed") else "R1/")'
        ' + handle_deadline["remind_at"] + "/PT1M"',
    ),
    "handle_overdue": (
        "办理超期",
        "handle",
        False,
        "timeCycle",
        '("R0/" if handle_deadline.get("due_passed") else "R1/") + handle_deadline["due"] + "/PT1M"',
    ),
    "listed_cycle": ("挂账检查提醒", "listed_checkin", False, "timeCycle", '"R12/P30D"'),
    "contested_timeout": ("争议超时", "adjudicate", True, "timeDate", 'contested_deadline["due"]'),
    "callback_timeout": ("回访超时", "callback", True, "timeDate", 'callback_deadline["due"]'),
    "position_deadline": (
        "陈述期限",
        "state_position",
        True,
        "timeDate",
        'consultation_deadline["due"]',
    ),
}
SERVICES = {
    "route": ("route_complaint", "routing", {}),
    "schedule_jurisdiction": (
        "schedule_deadline",
        "jurisdiction_deadline",
        {"stage": '"jurisdiction"'},
    ),
    "schedule_sign_for": ("schedule_deadline", "sign_for_deadline", {"stage": '"sign_for"'}),
    "schedule_handling": ("schedule_deadline", "handle_deadline", {"stage": '"handle"'}),
    "schedule_contested": ("schedule_deadline", "contested_deadline", {"stage": '"contested"'}),
    "schedule_callback": ("schedule_deadline", "callback_deadline", {"stage": '"callback"'}),
    "schedule_consultation": (
        "schedule_deadline",
        "consultation_deadline",
        {"stage": '"consultation"'},
    ),
    "apply_extension": ("extend_deadline", "handle_deadline", {"until": "extension_until"}),
    "hold_handling": ("hold_deadline", "handle_deadline", {"deadline": "handle_deadline"}),
    "verify_extension": (
        "check_extension",
        "extension_check",
        {
            "until": "extension_until",
            "deadline": "handle_deadline",
            "allowed": "extensions_allowed",
            "used": "extension_count",
        },
    ),
}
ALLOWED_OPERATIONS = {
    "route_complaint",
    "schedule_deadline",
    "extend_deadline",
    "check_extension",
    "hold_deadline",
    "notify",
    "file_amendment",
}


def _parse(filename: str) -> etree._Element:
    return etree.parse(str(BPMN_DIR / filename)).getroot()


@pytest.fixture(scope="module")
def roots() -> dict[str, etree._Element]:
    return {name: _parse(name) for name in DIAGRAMS}


@pytest.fixture(scope="module")
def by_id(roots) -> dict[str, etree._Element]:
    found: dict[str, etree._Element] = {}
    for root in roots.values():
        for el in root.iter():
            if isinstance(el.tag, str) and el.get("id") and el.tag.startswith(BPMN):
                found.setdefault(el.get("id"), el)
    return found


def flow_nodes(root: etree._Element) -> list[etree._Element]:
    return [
        el
        for el in root.iter()
        if isinstance(el.tag, str)
        and el.tag.startswith(BPMN)
        and etree.QName(el).localname in FLOW_NODE_TAGS
    ]


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _lane_of(root: etree._Element) -> dict[str, list[str]]:
    lanes: dict[str, list[str]] = {}
    for lane in root.iterfind(".//bpmn:lane", NS):
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            lanes.setdefault(ref.text.strip(), []).append(lane.get("name"))
    return lanes


# -- parsing and validation --------------------------------------------------------------


@pytest.mark.parametrize("filename", DIAGRAMS)
def test_diagram_parses_and_passes_lint(filename: str) -> None:
    root = _parse(filename)
    assert root.tag == f"{BPMN}definitions"
    assert lint(root) == []
    processes = root.findall("bpmn:process", NS)
    assert processes and all(p.get("isExecutable") == "true" for p in processes)


def test_complaint_deploys_with_the_called_consultation() -> None:
    path = BPMN_DIR / "complaint.bpmn"
    called = called_documents(path)
    assert len(called) == 1
    parsed = parse_definition(
        path.read_bytes(), called_bpmn=called, source_name=path.name, process_key="complaint"
    )
    assert "joint_consultation" in parsed.subprocess_specs
    assert set(CANDIDATE_GROUPS) <= set(parsed.task_meta)


def test_consultation_validates_on_its_own() -> None:
    path = BPMN_DIR / "joint_consultation.bpmn"
    parsed = parse_definition(path.read_bytes(), source_name=path.name)
    assert parsed.process_key == "joint_consultation"


def test_spiff_assigns_each_user_task_its_role_lane() -> None:
    """Spiff gives subprocess children the subprocess's lane when it has one: the expanded
    ``dispatch_round`` spans several roles, so it sits in no lane and its children keep theirs."""
    path = BPMN_DIR / "complaint.bpmn"
    parsed = parse_definition(path.read_bytes(), called_bpmn=called_documents(path))
    specs = {"complaint": parsed.spec, **parsed.subprocess_specs}
    lanes = {}
    for spec in specs.values():
        for task_spec in spec.task_specs.values():
            bpmn_id = getattr(task_spec, "bpmn_id", None)
            if bpmn_id in USER_TASK_LANES and task_spec.lane is not None:
                lanes[bpmn_id] = task_spec.lane
    assert lanes == USER_TASK_LANES


# -- diagram interchange ------------------------------------------------------------------


@pytest.mark.parametrize("filename", DIAGRAMS)
def test_every_flow_node_and_sequence_flow_has_di(filename: str) -> None:
    root = _parse(filename)
    shapes = {s.get("bpmnElement"): s for s in root.iterfind(".//bpmndi:BPMNShape", NS)}
    edges = {e.get("bpmnElement"): e for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}
    for node in flow_nodes(root):
        shape = shapes.get(node.get("id"))
        assert shape is not None, f"no shape for {node.get('id')}"
        assert shape.find("dc:Bounds", NS) is not None
    for lane in root.iterfind(".//bpmn:lane", NS):
        assert lane.get("id") in shapes, f"no shape for lane {lane.get('id')}"
    for participant in root.iterfind(".//bpmn:participant", NS):
        assert participant.get("id") in shapes
    for flow in root.iter(f"{BPMN}sequenceFlow"):
        edge = edges.get(flow.get("id"))
        assert edge is not None, f"no edge for {flow.get('id')}"
        assert len(edge.findall("di:waypoint", NS)) >= 2


def _bounds(shape: etree._Element) -> tuple[float, float, float, float]:
    b = shape.find("dc:Bounds", NS)
    # A shape's bounds are four numbers
    return tuple(float(b.get(k)) for k in ("x", "y", "width", "height"))  # type: ignore[return-value]


@pytest.mark.parametrize("filename", DIAGRAMS)
def test_layout_is_tidy(filename: str) -> None:
    """Shapes do not overlap, children sit inside their subprocess, boundary events sit on
    their host's border and every node lies inside the band of its lane."""
    root = _parse(filename)
    shapes = {s.get("bpmnElement"): _bounds(s) for s in root.iterfind(".//bpmndi:BPMNShape", NS)}
    nodes = {n.get("id"): n for n in flow_nodes(root)}
    plain = [i for i, n in nodes.items() if _local(n) not in ("boundaryEvent", "subProcess")]
    for i, a in enumerate(plain):
        ax, ay, aw, ah = shapes[a]
        for b in plain[i + 1 :]:
            bx, by, bw, bh = shapes[b]
            assert not (ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah), (a, b)
    for node_id, node in nodes.items():
        x, y, w, h = shapes[node_id]
        parent = node.getparent()
        if _local(parent) == "subProcess":
            px, py, pw, ph = shapes[parent.get("id")]
            assert px < x and x + w < px + pw and py < y and y + h < py + ph, node_id
            assert parent.get("id") in {
                s.get("bpmnElement")
                for s in root.iterfind(".//bpmndi:BPMNShape[@isExpanded='true']", NS)
            }
        if _local(node) == "boundaryEvent":
            hx, hy, hw, hh = shapes[node.get("attachedToRef")]
            cx, cy = x + w / 2, y + h / 2
            on_horizontal = hx <= cx <= hx + hw and (abs(cy - hy) < 1 or abs(cy - hy - hh) < 1)
            on_vertical = hy <= cy <= hy + hh and (abs(cx - hx) < 1 or abs(cx - hx - hw) < 1)
            assert on_horizontal or on_vertical, f"{node_id} is not on its host's border"
    lane_shapes = {
        lane.get("id"): (lane, shapes[lane.get("id")]) for lane in root.iterfind(".//bpmn:lane", NS)
    }
    for lane, (_lx, ly, _lw, lh) in lane_shapes.values():
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            x, y, w, h = shapes[ref.text]
            cy = y + h / 2
            assert ly <= cy <= ly + lh, f"{ref.text} drawn outside lane {lane.get('name')}"


# -- lanes, timers, ids ---------------------------------------------------------------------


@pytest.mark.parametrize("filename", DIAGRAMS)
def test_lanes_cover_the_flow_nodes(filename: str) -> None:
    """Every flow node sits in exactly one lane; the only exception is an expanded
    subprocess spanning several roles (its children carry the lanes)."""
    root = _parse(filename)
    process = root.find("bpmn:process", NS)
    names = {lane.get("name") for lane in root.iterfind(".//bpmn:lane", NS)}
    assert names == LANES[process.get("id")]
    lanes = _lane_of(root)
    for node in flow_nodes(root):
        node_id = node.get("id")
        if _local(node) == "subProcess":
            assert node_id not in lanes, f"{node_id} must stay out of the lanes"
            continue
        assert len(lanes.get(node_id, [])) == 1, f"{node_id} in lanes {lanes.get(node_id)}"


def test_timer_names_are_unique_across_both_diagrams(roots) -> None:
    names = Counter()
    for root in roots.values():
        for timer in root.iter(f"{BPMN}timerEventDefinition"):
            names[timer.getparent().get("name")] += 1
    assert names and all(names.values()) and None not in names
    assert [n for n, c in names.items() if c > 1] == []


@pytest.mark.parametrize("timer_id", sorted(TIMERS))
def test_timers_read_the_stage_deadlines(by_id, timer_id: str) -> None:
    name, host, interrupting, kind, expression = TIMERS[timer_id]
    event = by_id[timer_id]
    assert _local(event) == "boundaryEvent"
    assert event.get("name") == name
    assert event.get("attachedToRef") == host
    assert (event.get("cancelActivity", "true") == "true") is interrupting
    definition = event.find(f"bpmn:timerEventDefinition/bpmn:{kind}", NS)
    assert definition is not None and definition.text.strip() == expression


@pytest.mark.parametrize(
    ("element_id", "tag"), sorted({**COMPLAINT_ELEMENTS, **CONSULTATION_ELEMENTS}.items())
)
def test_contract_element_exists_with_its_kind(roots, element_id: str, tag: str) -> None:
    root = roots[
        "joint_consultation.bpmn" if element_id in CONSULTATION_ELEMENTS else "complaint.bpmn"
    ]
    found = [el for el in root.iter(f"{BPMN}{tag}") if el.get("id") == element_id]
    assert len(found) == 1, f"{element_id} should be one {tag}"


def test_subprocess_children_and_errors(by_id) -> None:
    round_ = by_id["dispatch_round"]
    children = {el.get("id") for el in round_.iter() if el.get("id")}
    assert {"gw_phase", "sign_for", "gw_sign", "handle", "gw_has_supporting", "assist"} <= children
    errors = {}
    for end in round_.iter(f"{BPMN}endEvent"):
        ref = end.find("bpmn:errorEventDefinition", NS)
        if ref is not None:
            errors[by_id[ref.get("errorRef")].get("errorCode")] = end.get("id")
    assert set(errors) == {"RETURNED", "CLOSED"}
    for boundary, code in (("round_returned", "RETURNED"), ("round_closed", "CLOSED")):
        event = by_id[boundary]
        assert event.get("attachedToRef") == "dispatch_round"
        ref = event.find("bpmn:errorEventDefinition", NS).get("errorRef")
        assert by_id[ref].get("errorCode") == code
    shape = [
        s
        for s in _parse("complaint.bpmn").iterfind(".//bpmndi:BPMNShape", NS)
        if s.get("bpmnElement") == "dispatch_round"
    ]
    assert shape[0].get("isExpanded") == "true"


def test_close_message_is_caught_only_before_sign_for(roots) -> None:
    root = roots["complaint.bpmn"]
    names = {m.get("id"): m.get("name") for m in root.iterfind("bpmn:message", NS)}
    hosts = sorted(
        event.get("attachedToRef")
        for event in root.iter(f"{BPMN}boundaryEvent")
        for ref in event.iterfind("bpmn:messageEventDefinition", NS)
        if names[ref.get("messageRef")] == "关闭诉求"
    )
    assert hosts == ["determine", "sign_for"]


def test_sign_for_supervision_is_a_message_caught_on_sign_for_without_interrupting(
    roots, by_id
) -> None:
    root = roots["complaint.bpmn"]
    names = {m.get("id"): m.get("name") for m in root.iterfind("bpmn:message", NS)}
    catching = [
        event
        for event in root.iter(f"{BPMN}boundaryEvent")
        for ref in event.iterfind("bpmn:messageEventDefinition", NS)
        if names[ref.get("messageRef")] == "督办签收"
    ]
    assert [(e.get("id"), e.get("attachedToRef")) for e in catching] == [
        ("sign_supervised", "sign_for")
    ]
    assert catching[0].get("cancelActivity") == "false"
    notify = by_id["notify_sign_supervised"]
    operator = notify.find(".//spiffworkflow:serviceTaskOperator", NS)
    params = {
        p.get("id"): p.get("value") for p in operator.iterfind(".//spiffworkflow:parameter", NS)
    }
    assert (params["kind"], params["to"]) == ('"sign_supervised"', "primary_unit")


def test_call_activity_and_multi_instance(by_id) -> None:
    assert by_id["consult"].get("calledElement") == "joint_consultation"
    for task_id, collection, item, output in (
        ("assist", "supporting_units", "assisting_unit", "assist_notes"),
        ("state_position", "consultation_parties", "party_unit", "positions"),
    ):
        loop = by_id[task_id].find("bpmn:multiInstanceLoopCharacteristics", NS)
        assert loop is not None and loop.get("isSequential", "false") == "false"
        assert loop.find("bpmn:loopDataInputRef", NS).text == collection
        assert loop.find("bpmn:inputDataItem", NS).get("name") == item
        assert loop.find("bpmn:loopDataOutputRef", NS).text == output


def test_service_tasks_call_only_contract_operations(roots, by_id) -> None:
    for root in roots.values():
        for task in root.iter(f"{BPMN}serviceTask"):
            operator = task.find(".//spiffworkflow:serviceTaskOperator", NS)
            assert operator is not None, task.get("id")
            assert operator.get("id") in ALLOWED_OPERATIONS, task.get("id")
            assert operator.get("resultVariable"), task.get("id")
    for task_id, (operation, result, params) in SERVICES.items():
        operator = by_id[task_id].find(".//spiffworkflow:serviceTaskOperator", NS)
        assert (operator.get("id"), operator.get("resultVariable")) == (operation, result)
        found = {
            p.get("id"): p.get("value") for p in operator.iterfind(".//spiffworkflow:parameter", NS)
        }
        assert found == params


def test_no_deadline_literals_in_timers(roots) -> None:
    """ADR 0004: deadlines come from rules/, the only literal is the listed check-in cycle."""
    for root in roots.values():
        for timer in root.iter(f"{BPMN}timerEventDefinition"):
            for value in timer:
                text = value.text.strip()
                assert "_deadline[" in text or text == '"R12/P30D"', text


# -- user tasks -------------------------------------------------------------------------------


def test_every_user_task_has_a_lane_and_candidate_groups(roots) -> None:
    for root in roots.values():
        lanes = _lane_of(root)
        for task in root.iter(f"{BPMN}userTask"):
            task_id = task.get("id")
            assert lanes.get(task_id) == [USER_TASK_LANES[task_id]], task_id
            assert task.get(f"{CAMUNDA}candidateGroups") == CANDIDATE_GROUPS[task_id]


def test_user_tasks_are_exactly_the_contract_tasks(roots) -> None:
    tasks = {t.get("id") for root in roots.values() for t in root.iter(f"{BPMN}userTask")}
    assert tasks == set(FORMS)


@pytest.mark.parametrize("task_id", sorted(FORMS))
def test_form_fields(roots, task_id: str) -> None:
    metas = {}
    for root in roots.values():
        metas.update(extract_task_metadata(root))
    fields = {f.id: f for f in metas[task_id].form_fields}
    assert set(fields) == set(FORMS[task_id])
    for field_id, (kind, required, required_if, enum) in FORMS[task_id].items():
        field = fields[field_id]
        assert field.type == kind, field_id
        assert field.required is required, field_id
        assert field.required_if == required_if, field_id
        assert field.enum == enum, field_id
        assert field.label and field.label != field_id, f"{field_id} needs a Chinese label"
