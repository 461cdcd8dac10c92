"""A dispatcher's matter travels through the process instance: the determine or adjudicate
form sets it, the complaint row follows and a label is written in the same step."""

from __future__ import annotations

from sqlalchemy import select

from engine.complaints.matter_labels import MatterLabel
from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import do, report, task_names

MAJIAYING = "xiguocheng-002"  # 马家营村, 西郭城镇
HOULINXIN = "xiaolvzhai-002"  # 后林辛庄村
GARBAGE_TEXT = "俺们村东头那个大坑里全是垃圾，臭得不行，夏天苍蝇乱飞"
RETURN = {
    "decision": "return",
    "return_reason": "不属于本单位职责",
    "return_basis": "清单 D04-01 规则 2",
}


def _labels(desk) -> list[tuple]:
    with desk.host.session_factory() as session:
        return [
            (r.complaint_id, r.matter_id, r.source, r.actor, r.text, r.labelled_at)
            for r in session.scalars(select(MatterLabel).order_by(MatterLabel.id))
        ]


def test_the_dispatchers_matter_on_an_unsure_report_is_the_cases_matter_and_a_label(desk, clock):
    clock.set(beijing("2026-03-02 09:00"))
    submitted = report(desk, None, MAJIAYING, description=GARBAGE_TEXT)
    assert task_names(desk, submitted) == ["determine"]
    assert desk.complaint(submitted.complaint_id).matter_id is None
    assert _labels(desk) == []

    do(
        desk,
        submitted,
        "determine",
        {"primary_unit": "xiguocheng", "matter_id": "D05-02", "determine_note": "坑塘垃圾"},
        actor="dispatcher:zhao",
    )
    complaint = desk.complaint(submitted.complaint_id)
    assert (complaint.matter_id, complaint.matter_name, complaint.domain) == (
        "D05-02",
        "村内坑塘治理",
        "农村人居环境",
    )
    assert complaint.primary_unit == "xiguocheng"
    assert _labels(desk) == [
        (
            submitted.complaint_id,
            "D05-02",
            "dispatcher",
            "dispatcher:zhao",
            GARBAGE_TEXT,
            clock.now(),
        )
    ]

    # Later steps keep the dispatcher's matter (routing found none and does not win it back).
    do(desk, submitted, "sign_for", {"decision": "accept"}, actor="staff:xgc")
    assert desk.complaint(submitted.complaint_id).matter_name == "村内坑塘治理"
    assert len(_labels(desk)) == 1


def test_a_matter_the_catalog_does_not_have_changes_nothing(desk, clock):
    clock.set(beijing("2026-03-02 09:00"))
    submitted = report(desk, None, MAJIAYING, description=GARBAGE_TEXT)
    do(
        desk,
        submitted,
        "determine",
        {"primary_unit": "xiguocheng", "matter_id": "D99-99"},
        actor="dispatcher:zhao",
    )
    complaint = desk.complaint(submitted.complaint_id)
    assert (complaint.matter_id, complaint.matter_name) == (None, None)
    assert _labels(desk) == []


def test_an_accepted_return_labels_the_case_with_the_corrected_matter(desk, clock):
    clock.set(beijing("2022-04-11 09:00"))
    submitted = report(desk, "D04-01", HOULINXIN, description="门口卖菜的把路全占了")
    do(desk, submitted, "sign_for", RETURN, actor="staff:xlz")
    do(
        desk,
        submitted,
        "adjudicate",
        {
            "ruling": "reroute",
            "new_primary_unit": "urban_management",
            "ruling_note": "改派城管局",
            "matter_id": "D04-04",
        },
        actor="dispatcher:zhao",
    )
    complaint = desk.complaint(submitted.complaint_id)
    assert (complaint.matter_id, complaint.matter_name, complaint.primary_unit) == (
        "D04-04",
        "沿街乱堆乱放",
        "urban_management",
    )
    assert [(m, s, t) for _, m, s, _, t, _ in _labels(desk)] == [
        ("D04-04", "return", "门口卖菜的把路全占了")
    ]


def test_a_reaffirmed_assignment_is_no_label(desk, clock):
    clock.set(beijing("2022-04-11 09:00"))
    submitted = report(desk, "D04-01", HOULINXIN)
    do(desk, submitted, "sign_for", RETURN, actor="staff:xlz")
    do(
        desk,
        submitted,
        "adjudicate",
        {"ruling": "reaffirm", "ruling_note": "按清单属地负责"},
        actor="dispatcher:zhao",
    )
    assert desk.complaint(submitted.complaint_id).matter_id == "D04-01"
    assert _labels(desk) == []
