"""Instance migration on small diagrams: how changed timers are re-computed, the data
contract, refused requests, a plan gone stale, and the CLI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

import cli.instances
from cli.main import main
from engine.core import OperatorDesk
from engine.core.errors import DefinitionNotFound, OperatorActionRefused
from engine.core.persistence.models import ProcessInstance

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="t">"""


def reminder_diagram(timer: str, *, review_name: str = "审核") -> str:
    """Review, with a non-interrupting reminder (``timer``) that offers a 催办 task."""
    return f"""{HEADER}
  <bpmn:process id="remind" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="review"/>
    <bpmn:userTask id="review" name="{review_name}" camunda:candidateGroups="staff"/>
    <bpmn:boundaryEvent id="reminder" name="审核提醒" attachedToRef="review"
        cancelActivity="false">
      <bpmn:timerEventDefinition>{timer}</bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f_remind" sourceRef="reminder" targetRef="chase"/>
    <bpmn:userTask id="chase" name="催办" camunda:candidateGroups="lead"/>
    <bpmn:sequenceFlow id="f_chased" sourceRef="chase" targetRef="e2"/>
    <bpmn:endEvent id="e2"/>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="e"/>
    <bpmn:endEvent id="e"/>
  </bpmn:process>
</bpmn:definitions>"""


TWO_DAYS = '<bpmn:timeDuration>"P2D"</bpmn:timeDuration>'


@pytest.fixture
def desk(host) -> OperatorDesk:
    return OperatorDesk(host)


def row(host, instance_id):
    with host.session_factory() as session:
        found = session.get(ProcessInstance, instance_id)
        session.expunge(found)
        return found


def chases(host, instance_id) -> int:
    return sum(t.task_name == "chase" for t in host.ready_tasks(instance_id=instance_id))


def sweep_at(host, clock, instant):
    clock.set(instant)
    host.sweep(instant)


# -- timers ----------------------------------------------------------------------------------
def test_a_date_timer_is_read_from_each_instances_data_and_missing_data_blocks(host, clock, desk):
    host.deploy(reminder_diagram(TWO_DAYS), actor="designer")
    t0 = clock.now()
    remind_on = (t0 + timedelta(hours=5)).isoformat()
    has_date = host.start("remind", {"remind_on": remind_on}, actor="resident")
    lacks_date = host.start("remind", actor="resident")
    host.deploy(reminder_diagram("<bpmn:timeDate>remind_on</bpmn:timeDate>"), actor="designer")
    untouched = row(host, lacks_date)

    result = desk.migrate_instances("remind", 1, 2, actor="admin")

    assert result.moved == (has_date,)
    assert row(host, has_date).next_due_at == t0 + timedelta(hours=5)
    (blocked,) = result.plan.blocked
    assert (blocked.instance_id, blocked.elements) == (lacks_date, ("review",))
    assert blocked.reasons == (
        "定时器 reminder（审核提醒） 的表达式无法求值：实例数据中缺少变量 remind_on",
    )
    after = row(host, lacks_date)
    assert (after.definition_id, after.state_json, after.next_due_at, after.version) == (
        untouched.definition_id,
        untouched.state_json,
        untouched.next_due_at,
        untouched.version,
    )
    sweep_at(host, clock, t0 + timedelta(hours=5, seconds=1))
    assert chases(host, has_date) == 1 and chases(host, lacks_date) == 0


def test_a_duration_in_the_past_under_the_new_rule_fires_at_the_next_sweep(host, clock, desk):
    host.deploy(reminder_diagram(TWO_DAYS), actor="designer")
    t0 = clock.now()
    iid = host.start("remind", actor="resident")
    host.deploy(reminder_diagram('<bpmn:timeDuration>"PT1H"</bpmn:timeDuration>'), actor="d")
    clock.set(t0 + timedelta(hours=3))

    desk.migrate_instances("remind", 1, 2, actor="admin")

    assert row(host, iid).next_due_at == t0 + timedelta(hours=1)  # not 3 h + 1 h
    sweep_at(host, clock, t0 + timedelta(hours=3, seconds=1))
    assert chases(host, iid) == 1


def test_a_changed_cycle_restarts_and_its_past_occurrences_fire_once(host, clock, desk):
    host.deploy(reminder_diagram('<bpmn:timeCycle>"R2/P1D"</bpmn:timeCycle>'), actor="d")
    t0 = clock.now()
    iid = host.start("remind", actor="resident")
    host.deploy(reminder_diagram('<bpmn:timeCycle>"R3/PT1H"</bpmn:timeCycle>'), actor="d")
    clock.set(t0 + timedelta(hours=2, minutes=30))

    desk.migrate_instances("remind", 1, 2, actor="admin")

    # Hourly from when the review began: 1 h and 2 h have passed (one firing for both).
    assert row(host, iid).next_due_at == t0 + timedelta(hours=2)
    sweep_at(host, clock, t0 + timedelta(hours=2, minutes=30))
    assert chases(host, iid) == 1
    sweep_at(host, clock, t0 + timedelta(hours=3, seconds=1))
    assert chases(host, iid) == 2
    sweep_at(host, clock, t0 + timedelta(days=3))
    assert chases(host, iid) == 2  # three occurrences, two of them collapsed


def test_an_unchanged_timer_keeps_its_due_time(host, clock, desk):
    host.deploy(reminder_diagram(TWO_DAYS), actor="designer")
    iid = host.start("remind", actor="resident")
    due = row(host, iid).next_due_at
    host.deploy(reminder_diagram(TWO_DAYS, review_name="复核"), actor="designer")
    clock.set(clock.now() + timedelta(hours=7))

    plan = desk.plan_migration("remind", 1, 2)
    assert "reminder" not in plan.changed_elements and "review" in plan.changed_elements
    assert plan.element_names["review"] == "复核"
    desk.migrate_instances("remind", 1, 2, actor="admin")
    assert row(host, iid).next_due_at == due
    assert [t.title for t in host.ready_tasks(instance_id=iid)] == ["复核"]


# -- refused requests ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (("remind", 1, 1), OperatorActionRefused, "源版本与目标版本相同（第 1 版）"),
        (("remind", 1, 9), DefinitionNotFound, "流程 remind 没有第 9 版"),
        (("remind", 7, 2), DefinitionNotFound, "流程 remind 没有第 7 版"),
        (("nothing", 1, 2), DefinitionNotFound, "流程 nothing 尚未部署"),
    ],
)
def test_a_request_naming_wrong_versions_is_refused(host, desk, args, error, message):
    host.deploy(reminder_diagram(TWO_DAYS), actor="designer")
    host.deploy(reminder_diagram(TWO_DAYS, review_name="复核"), actor="designer")
    with pytest.raises(error, match=message):
        desk.migrate_instances(*args, actor="admin")


def test_a_withdrawn_target_and_a_bad_batch_size_are_refused(host, desk):
    first = host.deploy(reminder_diagram(TWO_DAYS), actor="designer")
    iid = host.start("remind", actor="resident")
    second = host.deploy(reminder_diagram(TWO_DAYS, review_name="复核"), actor="designer")
    with pytest.raises(OperatorActionRefused, match="每批数量必须是正整数"):
        desk.migrate_instances("remind", 2, 1, actor="admin", batch_size=0)
    desk.withdraw(second.definition_id, actor="admin")
    with pytest.raises(OperatorActionRefused, match="remind 第 2 版已撤回"):
        desk.migrate_instances("remind", 1, 2, actor="admin")
    assert row(host, iid).definition_id == first.definition_id


def test_an_instance_that_changed_since_the_preview_is_refused_and_left_alone(host, desk):
    host.deploy(reminder_diagram(TWO_DAYS), actor="designer")
    first, second = (host.start("remind", actor="resident") for _ in range(2))
    host.deploy(reminder_diagram(TWO_DAYS, review_name="复核"), actor="designer")
    plan = desk.plan_migration("remind", 1, 2)
    assert set(plan.movable) == {first, second}
    desk.suspend(second, actor="admin")
    before = row(host, second)

    result = desk.migrate_instances("remind", 1, 2, actor="admin", plan=plan)

    assert result.moved == (first,)
    assert [(b.instance_id, b.reasons[0][:6]) for b in result.refused] == [(second, "实例已被暂停")]
    assert (row(host, second).state_json, row(host, second).version) == (
        before.state_json,
        before.version,
    )
    with pytest.raises(OperatorActionRefused, match="请重新生成预览"):
        desk.migrate_instances("remind", 2, 1, actor="admin", plan=plan)


# -- CLI -------------------------------------------------------------------------------------
def test_the_cli_previews_dry_runs_and_migrates(host, clock, monkeypatch):
    host.deploy(reminder_diagram(TWO_DAYS), actor="designer")
    movable = [host.start("remind", {"remind_on": "2026-03-05T08:00:00+08:00"}, actor="r")]
    stuck = [host.start("remind", actor="resident") for _ in range(12)]
    host.deploy(reminder_diagram("<bpmn:timeDate>remind_on</bpmn:timeDate>"), actor="d")
    monkeypatch.setattr(cli.instances, "_desk", lambda: OperatorDesk(host))
    runner = CliRunner()
    args = ["instances", "migrate", "--process", "remind", "--from", "1", "--to", "2"]

    dry = runner.invoke(main, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "迁移预览：remind 第 1 版 → 第 2 版" in dry.output
    assert "  - 审核（review）：1 件" in dry.output
    assert "不能迁移 12 件：" in dry.output
    reason = "定时器 reminder（审核提醒） 的表达式无法求值：实例数据中缺少变量 remind_on"
    shown = "、".join(str(i) for i in stuck[:10])
    assert f"  - {reason}（12 件）：实例 {shown} 等 12 件" in dry.output
    assert "试运行：可迁移 1 件，12 件不能迁移（未作任何改动）" in dry.output
    assert row(host, movable[0]).definition_id == row(host, stuck[0]).definition_id

    real = runner.invoke(main, [*args, "--batch-size", "5", "--actor", "ops:wang"])
    assert real.exit_code == 0, real.output
    assert real.output.strip().endswith("已迁移 1 件，12 件不能迁移")
    assert row(host, movable[0]).definition_id != row(host, stuck[0]).definition_id

    refused = runner.invoke(
        main, ["instances", "migrate", "--process", "remind", "--from", "1", "--to", "5"]
    )
    assert refused.exit_code == 1
    assert "未执行：流程 remind 没有第 5 版" in refused.output


def test_the_cli_refuses_a_bad_batch_size_in_chinese(host, monkeypatch):
    host.deploy(reminder_diagram(TWO_DAYS), actor="designer")
    host.deploy(reminder_diagram(TWO_DAYS, review_name="复核"), actor="designer")
    monkeypatch.setattr(cli.instances, "_desk", lambda: OperatorDesk(host))
    args = ["instances", "migrate", "--process", "remind", "--from", "1", "--to", "2"]
    result = CliRunner().invoke(main, [*args, "--batch-size", "0"])
    assert result.exit_code == 1 and "每批数量必须是正整数（收到 0）" in result.output
    with host.session_factory() as session:
        assert session.scalar(select(ProcessInstance.id)) is None


def test_a_changed_timer_behind_an_event_gateway_blocks_instead_of_guessing(host, desk, diagram):
    host.deploy(diagram("event_gateway_timer.bpmn"), actor="designer")
    iid = host.start("evgw", actor="resident")
    due = row(host, iid).next_due_at
    host.deploy(diagram("event_gateway_timer.bpmn").replace('"PT1H"', '"PT2H"'), actor="d")

    result = desk.migrate_instances("evgw", 1, 2, actor="admin")

    assert result.moved == () and result.plan.changed_elements == ("g",)  # the timer lives there
    (blocked,) = result.plan.blocked
    assert blocked.reasons == ("事件网关 g 上的定时器在目标版本中已修改，暂不支持迁移",)
    assert row(host, iid).next_due_at == due
