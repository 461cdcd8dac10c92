"""The consultation (征求意见) on a draft, run by the catalog_revision process on virtual time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.catalog_revision import CatalogDesk
from engine.catalog_store import CatalogLifecycleError
from engine.core.errors import FieldErrors, NotPermitted
from responsibility_catalog import Status
from tests.engine.catalog_revision.conftest import matter_fields
from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import do, move_to, notifications, report, task

HOULINXIN = "xiaolvzhai-002"  # along S324, 4 km from the county seat, outside the built-up area
# Rule 2 of 占道经营 handed to the transport bureau, narrowed so it no longer overlaps rule 1.
TRANSPORT_RULE = {
    "rules-1-primary": "transport",
    "rules-1-when": "沿省道 且 距县城≤5公里 且 非 城区建成区",
}


def _draft_moving_s324_to_transport(catalog: CatalogDesk, label: str = "2026-03") -> None:
    draft = catalog.create_draft(label, actor="orgdept")
    catalog.save_matter(
        label, "D04-01", matter_fields(draft, "D04-01", TRANSPORT_RULE), actor="orgdept"
    )


def _answer(catalog: CatalogDesk, unit: str, opinion: str, comment: str = "") -> None:
    (open_task,) = catalog.opinion_tasks(unit)
    catalog.give_opinion(
        open_task.task_id,
        {"opinion": opinion, "comment": comment},
        actor=f"staff:{unit}",
        groups=frozenset({unit}),
    )


def test_units_whose_duty_changes_are_consulted_in_parallel(desks, clock):
    _, catalog = desks
    clock.set(beijing("2026-03-02 09:00"))  # Monday
    _draft_moving_s324_to_transport(catalog)
    revision_id = catalog.send_for_consultation("2026-03", opinion_days=3, actor="orgdept")

    assert catalog.catalog("2026-03").status is Status.CONSULTATION
    opinions = catalog.opinions(revision_id)
    assert sorted(o.unit for o in opinions) == ["transport", "urban_management"]
    assert {o.opinion for o in opinions} == {"pending"}
    assert [t.unit for t in catalog.opinion_tasks("transport")] == ["transport"]
    assert catalog.opinion_tasks("xiaolvzhai") == [], "the township's role did not change"
    revision = catalog.revision(revision_id)
    assert revision.deadline == beijing("2026-03-05 18:00"), "three working days, close of business"
    with pytest.raises(CatalogLifecycleError, match="不能修改"):
        catalog.save_matter(
            "2026-03",
            "D04-01",
            matter_fields(catalog.catalog("2026-03"), "D04-01"),
            actor="orgdept",
        )

    # The transport bureau cannot answer for the 城管局.
    (cgj_task,) = catalog.opinion_tasks("urban_management")
    with pytest.raises(NotPermitted):
        catalog.give_opinion(
            cgj_task.task_id,
            {"opinion": "agree"},
            actor="staff:transport",
            groups=frozenset({"transport"}),
        )
    _answer(catalog, "urban_management", "object", "距县城5公里内的省道沿线历来由我局巡查")
    _answer(catalog, "transport", "agree")
    assert catalog.revision(revision_id).stage == "review"
    by_unit = {o.unit: (o.opinion, o.comment) for o in catalog.opinions(revision_id)}
    assert by_unit == {
        "urban_management": ("object", "距县城5公里内的省道沿线历来由我局巡查"),
        "transport": ("agree", None),
    }
    assert "责任清单草稿 2026-03 征求意见已结束，请审核" in notifications(
        desks[0], "orgdept", "catalog_review"
    )


def test_objection_needs_a_comment(desks, clock):
    _, catalog = desks
    _draft_moving_s324_to_transport(catalog)
    catalog.send_for_consultation("2026-03", opinion_days=3, actor="orgdept")
    (open_task,) = catalog.opinion_tasks("transport")
    with pytest.raises(FieldErrors, match="意见说明"):
        catalog.give_opinion(
            open_task.task_id, {"opinion": "object"}, actor="staff", groups=frozenset({"transport"})
        )
    assert catalog.opinions(catalog.revisions()[0].id)[0].opinion == "pending"


def test_reminder_before_the_deadline_then_no_opinion(desks, clock):
    complaints, catalog = desks
    clock.set(beijing("2026-03-02 09:00"))  # Monday
    _draft_moving_s324_to_transport(catalog)
    revision_id = catalog.send_for_consultation("2026-03", opinion_days=3, actor="orgdept")
    _answer(catalog, "urban_management", "agree")
    deadline = catalog.revision(revision_id).deadline
    instance = catalog.revision(revision_id).instance_id
    remind_at = beijing("2026-03-05 10:06")  # 80 % of the office time to the deadline

    move_to(complaints, remind_at - timedelta(minutes=5))
    assert notifications(complaints, "transport", "catalog_consultation_reminder") == []
    move_to(complaints, remind_at + timedelta(seconds=1))
    assert notifications(complaints, "transport", "catalog_consultation_reminder") == [
        "责任清单草稿 2026-03 征求意见即将截止，请尽快反馈"
    ]
    assert notifications(complaints, "urban_management", "catalog_consultation_reminder") == [], (
        "a unit that answered is not reminded"
    )
    assert catalog.revision(revision_id).stage == "collecting"
    assert catalog.opinion_tasks("transport"), "the unit may still answer after the reminder"

    move_to(complaints, deadline - timedelta(minutes=1))
    assert catalog.revision(revision_id).stage == "collecting"
    move_to(complaints, deadline + timedelta(seconds=1))
    assert catalog.revision(revision_id).stage == "review"
    assert catalog.opinion_tasks("transport") == [], "the task is withdrawn at the deadline"
    by_unit = {o.unit: o.opinion for o in catalog.opinions(revision_id)}
    assert by_unit == {"transport": "none", "urban_management": "agree"}
    assert [t.task_name for t in complaints.host.ready_tasks(instance_id=instance)] == ["review"]


def test_department_revises_after_an_objection_and_publishes(desks, clock):
    complaints, catalog = desks
    clock.set(beijing("2026-03-02 09:00"))
    old_case = report(complaints, "D04-01", HOULINXIN, description="S324 沿线占道经营")
    assert complaints.complaint(old_case.complaint_id).primary_unit == "urban_management"

    _draft_moving_s324_to_transport(catalog)
    revision_id = catalog.send_for_consultation("2026-03", opinion_days=3, actor="orgdept")
    _answer(catalog, "urban_management", "object", "请保留城管局配合")
    _answer(catalog, "transport", "agree")
    orgdept = frozenset({"orgdept"})
    catalog.review(
        revision_id,
        {"review_decision": "revise", "review_note": "采纳城管局意见"},
        actor="orgdept",
        groups=orgdept,
    )
    assert catalog.catalog("2026-03").status is Status.DRAFT
    assert catalog.revision(revision_id).stage == "revising"

    # The department adds the 城管局 as supporting unit, then sends the draft out again.
    draft = catalog.catalog("2026-03")
    fields = matter_fields(
        draft, "D04-01", {"rules-1-supporting": ["@location", "urban_management"]}
    )
    catalog.save_matter("2026-03", "D04-01", fields, actor="orgdept")
    with pytest.raises(FieldErrors, match="反馈期限"):
        catalog.resend(revision_id, {"opinion_days": "0"}, actor="orgdept", groups=orgdept)
    catalog.resend(
        revision_id,
        {"opinion_days": "2", "resend_note": "已增加城管局为配合单位"},
        actor="orgdept",
        groups=orgdept,
    )
    revision = catalog.revision(revision_id)
    assert (revision.round, revision.stage) == (2, "collecting")
    assert sorted(o.unit for o in catalog.opinions(revision_id, 2)) == [
        "transport",
        "urban_management",
    ]
    _answer(catalog, "urban_management", "agree")
    _answer(catalog, "transport", "agree")

    with pytest.raises(FieldErrors, match="生效日期不能早于今天"):
        catalog.review(
            revision_id,
            {"review_decision": "publish", "effective": "2026-03-01"},
            actor="orgdept",
            groups=orgdept,
        )
    with pytest.raises(NotPermitted):
        catalog.review(
            revision_id,
            {"review_decision": "publish", "effective": "2026-03-09"},
            actor="staff",
            groups=frozenset({"transport"}),
        )
    catalog.review(
        revision_id,
        {"review_decision": "publish", "effective": "2026-03-09"},
        actor="orgdept",
        groups=orgdept,
    )
    published = catalog.catalog("2026-03")
    assert (published.status, published.effective.isoformat()) == (Status.PUBLISHED, "2026-03-09")
    assert catalog.revision(revision_id).stage == "published"
    assert catalog.catalog("2022-06").status is Status.SUPERSEDED

    # Before the effective date, and for the case already in progress: the old list.
    before = report(complaints, "D04-01", HOULINXIN, description="S324 又有占道")
    assert complaints.complaint(before.complaint_id).catalog_version == "2022-06"
    clock.set(beijing("2026-03-09 09:00"))
    after = report(complaints, "D04-01", HOULINXIN, description="S324 又有占道经营")
    routed = complaints.complaint(after.complaint_id)
    assert (routed.catalog_version, routed.primary_unit) == ("2026-03", "transport")
    assert sorted(routed.supporting_units) == ["urban_management", "xiaolvzhai"]
    assert task(complaints, after, "sign_for").candidate_groups == ["transport"]
    do(complaints, old_case, "sign_for", {"decision": "accept"}, actor="staff:cgj")
    kept = complaints.complaint(old_case.complaint_id)
    assert (kept.catalog_version, kept.primary_unit) == ("2022-06", "urban_management")


def test_a_draft_with_problems_is_not_sent(desks):
    _, catalog = desks
    catalog.create_draft("2026-03", actor="orgdept")
    with pytest.raises(FieldErrors, match="反馈期限"):
        catalog.send_for_consultation("2026-03", opinion_days=0, actor="orgdept")
    with pytest.raises(CatalogLifecycleError, match="已公布"):
        catalog.send_for_consultation("2022-06", opinion_days=3, actor="orgdept")
    assert catalog.revisions() == []
