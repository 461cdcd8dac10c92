"""The version diff names the elements a designer changed, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

from engine.core.definition_diff import diff_definitions

COMPLAINT = (Path(__file__).parents[2] / "bpmn" / "complaint.bpmn").read_text(encoding="utf-8")
REMINDER_EXPRESSION = (
    '("R0/" if handle_deadline.get("remind_passed") else "R1/")'
    ' + handle_deadline["remind_at"] + "/PT1M"'
)
REMINDER = (
    f'<bpmn:timeCycle xsi:type="bpmn:tFormalExpression">{REMINDER_EXPRESSION}</bpmn:timeCycle>'
)


def test_identical_versions_have_no_changes() -> None:
    assert diff_definitions(COMPLAINT, COMPLAINT).empty


def test_moving_shapes_and_writing_schema_defaults_is_not_a_change() -> None:
    moved = re.sub(r'x="(\d+)"', lambda m: f'x="{int(m.group(1)) + 40}"', COMPLAINT)
    moved = moved.replace('cancelActivity="true"', "")
    assert diff_definitions(COMPLAINT, moved).empty


def test_a_changed_timer_names_its_event_and_both_expressions() -> None:
    assert REMINDER in COMPLAINT
    edited = COMPLAINT.replace(
        REMINDER, '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P1D"</bpmn:timeDuration>'
    )
    diff = diff_definitions(COMPLAINT, edited)
    (change,) = diff.changed
    assert (change.element_id, change.type_label, change.name) == (
        "handle_reminder",
        "边界事件",
        "办理提醒",
    )
    assert {(d.what, d.old, d.new) for d in change.details} == {
        ("定时器（周期）", REMINDER_EXPRESSION, None),
        ("定时器（时长）", None, '"P1D"'),
    }
    assert not diff.added and not diff.removed


def test_added_and_removed_elements_are_listed_with_their_type() -> None:
    edited = COMPLAINT.replace(
        '<bpmn:endEvent id="handle_reminder_end">',
        '<bpmn:task id="call_unit" name="电话催办" />\n      <bpmn:endEvent id="handle_reminder_end">',
    )
    edited = re.sub(
        r'<bpmn:boundaryEvent id="determine_reminder".*?</bpmn:boundaryEvent>',
        "",
        edited,
        flags=re.S,
    )
    diff = diff_definitions(COMPLAINT, edited)
    assert [(c.element_id, c.type_label, c.name) for c in diff.added] == [
        ("call_unit", "任务", "电话催办")
    ]
    assert [(c.element_id, c.type_label) for c in diff.removed] == [
        ("determine_reminder", "边界事件")
    ]


def test_form_fields_and_assignment_changes_are_named() -> None:
    edited = COMPLAINT.replace(
        '<bpmn:userTask id="supervise" name="督办" camunda:candidateGroups="dispatcher">',
        '<bpmn:userTask id="supervise" name="督办" camunda:candidateGroups="dispatch_lead">',
    ).replace(
        '<camunda:formField id="supervision_note" label="督办意见" type="string" />',
        '<camunda:formField id="supervision_note" label="督办要求" type="string" />',
    )
    (change,) = diff_definitions(COMPLAINT, edited).changed
    assert change.element_id == "supervise"
    assert {(d.what, d.old, d.new) for d in change.details} == {
        ("候选组", "dispatcher", "dispatch_lead"),
        ("表单字段 supervision_note", "督办意见", "督办要求"),
    }


def test_prefixes_do_not_matter() -> None:
    unprefixed = (
        COMPLAINT.replace("<bpmn:", "<")
        .replace("</bpmn:", "</")
        .replace(
            'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"',
            'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
            'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"',
        )
    )
    assert diff_definitions(COMPLAINT, unprefixed).empty
