"""200 open complaints moved from version 1 to version 2 of the complaint diagram.

One story per database (built once per module and worker): complaints at 签收, 定性, 办理
and 争议件裁定, some suspended; version 2 changes the 签收提醒 rule, makes the 办理提醒 need
a variable old cases lack and drops the 定性提醒. The story plans, dry-runs, migrates, runs
again and moves the virtual clock past the new and the old reminder instants; the tests read
what it recorded.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from engine import VirtualClock, WorkflowHost
from engine.catalog_store import seed_versions
from engine.complaints.desk import ComplaintDesk, Submitted
from engine.core import MigrationPlan, MigrationResult, OperatorDesk
from engine.core.persistence import create_schema, make_engine, make_session_factory
from engine.core.persistence.models import AuditEvent, Notification, ProcessInstance
from engine.core.transactions import run_step
from tests.conftest import PG_URL, _pg_schema_url
from tests.engine.complaints.conftest import BPMN_DIR, beijing
from tests.engine.complaints.helpers import do, move_to, report
from tests.engine.complaints.migration_story import deploy_version_two

pytestmark = pytest.mark.slow

HOULINXIN = "xiaolvzhai-002"  # D04-01 is found in the catalog: straight to 签收
MAJIAYING = "xiguocheng-002"  # D09-04 here is not: the dispatcher determines (定性)
RETURN = {"decision": "return", "return_reason": "不属于本单位职责", "return_basis": "清单 D04-01"}
MIGRATED_AT = beijing("2026-03-02 09:10")


@dataclass
class Story:
    v1: int
    v2: int
    groups: dict[str, list[int]]
    old_due: dict[int, datetime]  # next_due_at before anything happened
    before: dict[int, tuple[Any, ...]]
    after_dry_run: dict[int, tuple[Any, ...]]
    after: dict[int, tuple[Any, ...]]
    plan: MigrationPlan
    dry_run: MigrationResult
    result: MigrationResult
    rerun: MigrationResult
    audits_after_dry_run: int
    audits_before: int
    migrated_events: list[tuple[int | None, str, dict[str, Any]]]
    summary_events: list[tuple[str, dict[str, Any]]]
    reminders: dict[str, dict[int, int]]  # sweep label -> instance -> sign reminders so far


def _rows(host: WorkflowHost) -> dict[int, tuple[Any, ...]]:
    with host.session_factory() as session:
        rows = session.execute(
            select(
                ProcessInstance.id,
                ProcessInstance.definition_id,
                ProcessInstance.state_json,
                ProcessInstance.next_due_at,
                ProcessInstance.version,
                ProcessInstance.status,
                ProcessInstance.updated_at,
            )
        ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def _audit_count(host: WorkflowHost) -> int:
    with host.session_factory() as session:
        return session.scalar(select(func.count(AuditEvent.id))) or 0


def _sign_reminders(host: WorkflowHost) -> dict[int, int]:
    with host.session_factory() as session:
        rows = session.execute(
            select(Notification.instance_id, func.count(Notification.id))
            .where(Notification.kind == "sign_reminder")
            .group_by(Notification.instance_id)
        ).all()
    return {instance_id: count for instance_id, count in rows}


def _build(host: WorkflowHost, clock: VirtualClock, catalogs: Any) -> Story:
    run_step(
        host.session_factory,
        lambda s: seed_versions(catalogs, county="julu", actor="test", now=clock.now(), session=s),
    )
    v1 = host.deploy_file(BPMN_DIR / "complaint.bpmn", actor="designer").definition_id
    desk = ComplaintDesk(host)
    operator = OperatorDesk(host)

    def many(count: int, matter: str, village: str) -> list[Submitted]:
        return [report(desk, matter, village) for _ in range(count)]

    clock.set(beijing("2026-03-02 09:00"))
    sign_early = many(50, "D04-01", HOULINXIN)
    clock.set(beijing("2026-03-02 09:05"))
    sign_late = many(30, "D04-01", HOULINXIN)
    determine = many(30, "D09-04", MAJIAYING)
    determined = many(10, "D09-04", MAJIAYING)
    for case in determined:
        do(desk, case, "determine", {"primary_unit": "urban_management", "determine_note": "城管"})
    handle = many(30, "D04-01", HOULINXIN)
    for case in handle:
        do(desk, case, "sign_for", {"decision": "accept"})
    contested = many(40, "D04-01", HOULINXIN)
    for case in contested:
        do(desk, case, "sign_for", RETURN)
    suspended = many(10, "D04-01", HOULINXIN)
    for case in suspended:
        operator.suspend(case.instance_id, actor="admin")
    groups = {
        name: [case.instance_id for case in cases]
        for name, cases in {
            "sign_early": sign_early,
            "sign_late": sign_late,
            "determine": determine,
            "determined": determined,
            "handle": handle,
            "contested": contested,
            "suspended": suspended,
        }.items()
    }
    assert sum(len(ids) for ids in groups.values()) == 200

    clock.set(MIGRATED_AT)
    v2 = deploy_version_two(host)
    before = _rows(host)
    plan = operator.plan_migration("complaint", 1, 2)
    audits_before = _audit_count(host)
    dry_run = operator.migrate_instances("complaint", 1, 2, actor="admin", dry_run=True)
    after_dry_run = _rows(host)
    audits_after_dry_run = _audit_count(host)
    result = operator.migrate_instances("complaint", 1, 2, actor="admin", batch_size=50)
    after = _rows(host)
    rerun = operator.migrate_instances("complaint", 1, 2, actor="admin")
    with host.session_factory() as session:
        migrated_events = [
            (e.instance_id, e.actor, e.detail)
            for e in session.scalars(
                select(AuditEvent).where(AuditEvent.action == "instance.migrated")
            )
        ]
        summary_events = [
            (e.actor, e.detail)
            for e in session.scalars(
                select(AuditEvent).where(AuditEvent.action == "definition.instances_migrated")
            )
        ]

    reminders = {}
    for label, instant in (
        ("09:19", "2026-03-02 09:19"),
        ("09:21", "2026-03-02 09:21"),
        ("09:26", "2026-03-02 09:26"),
        ("11:00", "2026-03-02 11:00"),
    ):
        move_to(desk, beijing(instant))
        reminders[label] = _sign_reminders(host)
    return Story(
        v1=v1,
        v2=v2,
        groups=groups,
        old_due={iid: row[2] for iid, row in before.items()},
        before=before,
        after_dry_run=after_dry_run,
        after=after,
        plan=plan,
        dry_run=dry_run,
        result=result,
        rerun=rerun,
        audits_before=audits_before,
        audits_after_dry_run=audits_after_dry_run,
        migrated_events=migrated_events,
        summary_events=summary_events,
        reminders=reminders,
    )


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def story(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, shipped_catalogs
) -> Iterator[Story]:
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('migration')) / 'test.sqlite'}"
    else:
        if not PG_URL:
            pytest.skip("JUHAOBAN_TEST_DATABASE_URL is not set (CI sets it)")
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"))
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = _pg_schema_url(schema)
    engine = make_engine(url)
    try:
        create_schema(engine)
        clock = VirtualClock(beijing("2026-03-02 09:00"))
        yield _build(WorkflowHost(make_session_factory(engine), clock), clock, shipped_catalogs)
    finally:
        engine.dispose()
        if schema is not None:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()


def _ids(story: Story, *names: str) -> set[int]:
    return {iid for name in names for iid in story.groups[name]}


MOVABLE = ("sign_early", "sign_late", "contested")
BLOCKED = ("determine", "determined", "handle", "suspended")


# -- the preview -----------------------------------------------------------------------------
def test_the_plan_lists_the_movable_complaints_by_where_they_are(story):
    plan = story.plan
    assert set(plan.movable) == _ids(story, *MOVABLE)
    assert plan.movable_by_element["sign_for"] == 80
    assert plan.movable_by_element["adjudicate"] == 40
    assert "determine" not in plan.movable_by_element and "handle" not in plan.movable_by_element
    assert (plan.element_names["sign_for"], plan.element_names["adjudicate"]) == (
        "签收",
        "争议件裁定",
    )
    assert {"sign_reminder", "handle_reminder"} <= set(plan.changed_elements)
    assert "sign_for" not in plan.changed_elements


def test_the_plan_says_why_each_blocked_complaint_cannot_move(story):
    blocked = {b.instance_id: b for b in story.plan.blocked}
    assert set(blocked) == _ids(story, *BLOCKED)
    for iid in _ids(story, "determine"):
        assert blocked[iid].elements == ("determine",)
        assert "第 2 版缺少实例用到的环节 determine_reminder（定性提醒）" in blocked[iid].reasons[0]
    for iid in _ids(story, "determined"):  # its 定性提醒 waited before: restoring needs it
        assert "determine_reminder（定性提醒）" in blocked[iid].reasons[0]
    for iid in _ids(story, "handle"):
        assert "handle" in blocked[iid].elements
        assert blocked[iid].reasons == (
            "定时器 handle_reminder（办理提醒） 的表达式无法求值：实例数据中缺少变量 "
            "handle_remind_at",
        )
    for iid in _ids(story, "suspended"):
        assert blocked[iid].reasons[0].startswith("实例已被暂停")
    assert all(b.business_key for b in blocked.values())


# -- dry run ---------------------------------------------------------------------------------
def test_a_dry_run_reports_the_same_and_changes_nothing(story):
    assert story.dry_run.dry_run and set(story.dry_run.moved) == set(story.plan.movable)
    assert story.after_dry_run == story.before
    assert story.audits_after_dry_run == story.audits_before


# -- the migration ---------------------------------------------------------------------------
def test_movable_complaints_move_and_blocked_ones_are_untouched(story):
    assert set(story.result.moved) == _ids(story, *MOVABLE) and story.result.refused == ()
    for iid in _ids(story, *MOVABLE):
        assert story.after[iid][0] == story.v2
    for iid in _ids(story, *BLOCKED):
        # definition, state_json, next_due_at, version, status, updated_at: byte-identical
        assert story.after[iid] == story.before[iid]


def test_a_changed_timer_counts_from_when_it_began_waiting_and_others_keep_their_due(story):
    for iid in _ids(story, "sign_early"):
        assert story.after[iid][2] == beijing("2026-03-02 09:20")  # 09:00 + 20 minutes
    for iid in _ids(story, "sign_late"):
        assert story.after[iid][2] == beijing("2026-03-02 09:25")  # not 09:10 + 20 minutes
    for iid in _ids(story, "contested"):  # 争议超时 did not change in version 2
        assert story.after[iid][2] == story.old_due[iid]
    # Version 1 would have reminded at 10:36 (the catalog's instant).
    assert {story.old_due[iid] for iid in _ids(story, "sign_early")} == {
        beijing("2026-03-02 10:36")
    }


def test_moved_complaints_remind_on_the_new_rule_and_not_on_the_old(story):
    early, late = _ids(story, "sign_early"), _ids(story, "sign_late")
    at = story.reminders
    assert not (early | late) & set(at["09:19"])
    assert {iid for iid in early if at["09:21"].get(iid) == 1} == early
    assert not late & set(at["09:21"])
    assert {iid for iid in late if at["09:26"].get(iid) == 1} == late
    # Past the old instants (10:36, 10:41): still one reminder each, the new rule's.
    assert all(at["11:00"].get(iid) == 1 for iid in early | late)


def test_complaints_left_on_version_1_still_remind_on_the_old_rule(story):
    determined = _ids(story, "determined")
    assert {story.old_due[iid] for iid in determined} == {beijing("2026-03-02 10:41")}
    assert not determined & set(story.reminders["09:26"])
    assert all(story.reminders["11:00"].get(iid) == 1 for iid in determined)


def test_every_move_and_the_run_are_audited(story):
    events = {iid: (actor, detail) for iid, actor, detail in story.migrated_events}
    assert set(events) == _ids(story, *MOVABLE) and len(story.migrated_events) == 120
    actor, detail = events[story.groups["sign_early"][0]]
    assert (actor, detail["from_version"], detail["to_version"]) == ("admin", 1, 2)
    assert detail["next_due_at"] != detail["next_due_at_before"]
    runs = [detail for _actor, detail in story.summary_events]
    assert [(r["moved"], r["blocked"], r["dry_run"]) for r in runs] == [
        (120, 80, False),
        (0, 80, False),
    ]


def test_running_it_again_moves_nothing(story):
    assert story.rerun.moved == () and story.rerun.plan.movable == ()
    assert {b.instance_id for b in story.rerun.plan.blocked} == _ids(story, *BLOCKED)
