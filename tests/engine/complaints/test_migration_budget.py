"""A migration or a preview bounded by wall time (the web request's budget): it stops starting
new instances once the budget is spent, but never before one has moved; the rest stay on the
source, listed as remaining, and later calls finish the job. Wall time is a stepped fake
clock handed in, never a sleep."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from engine.complaints.desk import ComplaintDesk
from engine.core import OperatorDesk
from engine.core.errors import OperatorActionRefused
from engine.core.persistence.models import AuditEvent, ProcessInstance
from tests.engine.complaints.helpers import report
from tests.engine.complaints.migration_story import deploy_version_two

HOULINXIN = "xiaolvzhai-002"  # D04-01 found in the catalog: waits at 签收 (movable)
MAJIAYING = "xiguocheng-002"  # D09-04 not found: waits at 定性, whose reminder v2 drops


def stepping(seconds: float) -> Callable[[], float]:
    """A wall clock that advances ``seconds`` each time it is read."""
    now = [0.0]

    def read() -> float:
        value = now[0]
        now[0] += seconds
        return value

    return read


@pytest.fixture
def cases(desk: ComplaintDesk) -> dict[str, list[int]]:
    signing = [report(desk, "D04-01", HOULINXIN).instance_id for _ in range(4)]
    determining = [report(desk, "D09-04", MAJIAYING).instance_id]
    deploy_version_two(desk.host)
    return {"signing": signing, "determining": determining}


def on_version(desk: ComplaintDesk, ids: list[int]) -> list[int]:
    with desk.host.session_factory() as session:
        rows = session.scalars(select(ProcessInstance).where(ProcessInstance.id.in_(ids)))
        return [row.definition_id for row in sorted(rows, key=lambda r: r.id)]


def test_a_spent_budget_stops_starting_instances_and_a_later_run_finishes(desk, cases) -> None:
    operator = OperatorDesk(desk.host)
    signing, determining = cases["signing"], cases["determining"]
    # Read at the start (0 s), then before each instance once one has moved: 10 s, 20 s.
    first = operator.migrate_instances(
        "complaint", 1, 2, actor="admin", deadline_s=15, timer=stepping(10)
    )
    assert first.moved == tuple(signing[:2])
    assert first.remaining == (*signing[2:], *determining)
    assert first.plan.unchecked == first.remaining and first.plan.blocked == ()
    assert on_version(desk, signing) == [2, 2, 1, 1]

    rest = operator.migrate_instances("complaint", 1, 2, actor="admin")
    assert rest.moved == tuple(signing[2:]) and rest.remaining == ()
    assert [b.instance_id for b in rest.plan.blocked] == determining
    assert on_version(desk, signing + determining) == [2, 2, 2, 2, 1]
    with desk.host.session_factory() as session:
        runs = session.scalars(
            select(AuditEvent.detail)
            .where(AuditEvent.action == "definition.instances_migrated")
            .order_by(AuditEvent.id)
        ).all()
    assert [(r["moved"], r["remaining"]) for r in runs] == [(2, 3), (2, 0)]


def test_a_zero_budget_still_moves_one_instance_per_call(desk, cases) -> None:
    operator = OperatorDesk(desk.host)
    moved_per_call, blocked = [], ()
    for _ in range(10):  # bounded: a run that made no progress would loop for ever
        result = operator.migrate_instances("complaint", 1, 2, actor="admin", deadline_s=0)
        moved_per_call.append(len(result.moved))
        blocked = result.plan.blocked
        if not result.remaining:
            break
    # One each, then a last call that finds only the unmovable one and ends.
    assert moved_per_call == [1, 1, 1, 1, 0]
    assert [b.instance_id for b in blocked] == cases["determining"]
    assert "第 2 版缺少实例用到的环节" in blocked[0].reasons[0]
    assert on_version(desk, cases["signing"] + cases["determining"]) == [2, 2, 2, 2, 1]


def test_a_bounded_preview_and_dry_run_list_what_they_did_not_check(desk, cases) -> None:
    operator = OperatorDesk(desk.host)
    full = operator.plan_migration("complaint", 1, 2)
    assert full.movable == tuple(cases["signing"]) and full.unchecked == ()

    plan = operator.plan_migration("complaint", 1, 2, deadline_s=15, timer=stepping(10))
    # 10 s after one instance, 20 s after two: two checked, three left.
    assert plan.movable == tuple(cases["signing"][:2]) and plan.blocked == ()
    assert plan.unchecked == (*cases["signing"][2:], *cases["determining"])
    dry = operator.migrate_instances("complaint", 1, 2, actor="admin", dry_run=True, deadline_s=0)
    assert dry.moved == tuple(cases["signing"][:1]) and len(dry.remaining) == 4
    assert on_version(desk, cases["signing"] + cases["determining"]) == [1] * 5


def test_a_negative_budget_is_refused_in_chinese(desk, cases) -> None:
    with pytest.raises(OperatorActionRefused, match="时间预算必须是非负的秒数"):
        OperatorDesk(desk.host).migrate_instances("complaint", 1, 2, actor="admin", deadline_s=-1)
    assert on_version(desk, cases["signing"]) == [1, 1, 1, 1]
