"""Extensions: the requested day is checked before anything changes, an approval ends the
deadline on exactly that day, and a refusal returns the case to handling without firing the
reminder, the overdue notice or the supervision a second time."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from engine.core.errors import FormRejected
from engine.core.persistence.models import AuditEvent
from tests.engine.complaints.helpers import do, local, move_to, notifications, report, task_names

MAJIAYING = "xiguocheng-002"
SECOND = timedelta(seconds=1)


def _accepted(desk, matter="D07-07"):
    submitted = report(desk, matter, MAJIAYING)
    do(desk, submitted, "sign_for", {"decision": "accept"}, actor="staff:water")
    return submitted


def _deadline(desk, submitted):
    data = desk.host.instance_data(submitted.instance_id)["handle_deadline"]
    return {k: datetime.fromisoformat(data[k]) for k in ("due", "remind_at")}


def _working_day_after(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:  # the test months hold no public holiday
        day += timedelta(days=1)
    return day


def _ask(desk, submitted, until: date | str) -> None:
    do(
        desk,
        submitted,
        "handle",
        {
            "outcome": "extension",
            "extension_reason": "管材需外地调运",
            "extension_until": str(until),
        },
        actor="staff:water",
    )


def _timer_audits(desk, submitted, timer: str) -> int:
    with desk.host.session_factory() as session:
        rows = session.scalars(
            select(AuditEvent.detail).where(
                AuditEvent.instance_id == submitted.instance_id,
                AuditEvent.action == "timer.fired",
            )
        )
        return sum(1 for detail in rows if (detail or {}).get("timer") == timer)


@pytest.mark.parametrize(
    ("label", "pick", "reason"),
    [
        ("before today", lambda today, due: today - timedelta(days=1), "须晚于今天"),
        ("the due day itself", lambda today, due: due, "须晚于当前办理时限"),
        (
            "a Saturday after the due day",
            lambda today, due: due + timedelta(days=(5 - due.weekday()) % 7 or 7),
            "不是工作日",
        ),
    ],
)
def test_a_wrong_extension_day_is_refused_naming_the_field_and_nothing_changes(
    desk, label, pick, reason
):
    submitted = _accepted(desk)
    due = _deadline(desk, submitted)["due"]
    today = desk.today()
    before = desk.host.instance_data(submitted.instance_id)
    with pytest.raises(FormRejected) as refused:
        _ask(desk, submitted, pick(today, due.astimezone(due.tzinfo).date()))
    assert list(refused.value.errors) == ["extension_until"], label
    assert reason in refused.value.errors["extension_until"]
    assert task_names(desk, submitted) == ["assist", "assist", "handle"]
    assert desk.host.instance_data(submitted.instance_id) == before
    assert notifications(desk, "water_supply", "extension_refused") == []


def test_an_approved_extension_ends_exactly_on_the_requested_day(desk):
    submitted = _accepted(desk)
    first = _deadline(desk, submitted)
    until = _working_day_after(first["due"].date())
    _ask(desk, submitted, until)
    # Approved in the evening: the deadline is still 18:00 of the requested day, not a
    # working day from the approval (which would be the next evening).
    evening = datetime.fromisoformat(f"{local(first['due'])[:10]} 20:00+08:00")
    move_to(desk, evening - timedelta(hours=3))
    desk.host.clock.set(evening)
    do(desk, submitted, "approve_extension", {"extension_approved": True}, actor="dispatcher")
    data = desk.host.instance_data(submitted.instance_id)["handle_deadline"]
    assert local(datetime.fromisoformat(data["due"])) == f"{until.isoformat()} 18:00"
    assert until.isoformat() in data["explanation"]


def test_approving_after_the_requested_day_has_passed_is_refused(desk):
    submitted = _accepted(desk)
    first = _deadline(desk, submitted)
    until = _working_day_after(first["due"].date())
    _ask(desk, submitted, until)
    desk.host.clock.set(datetime.fromisoformat(f"{until.isoformat()} 18:30+08:00"))
    with pytest.raises(FormRejected) as refused:
        do(desk, submitted, "approve_extension", {"extension_approved": True}, actor="d")
    assert "已过" in refused.value.errors["extension_approved"]
    assert "approve_extension" in task_names(desk, submitted)


def test_a_refused_extension_does_not_fire_the_reminder_overdue_or_supervision_again(desk):
    submitted = _accepted(desk)
    first = _deadline(desk, submitted)
    move_to(desk, first["remind_at"] + SECOND)
    assert len(notifications(desk, "water_supply", "handle_reminder")) == 1
    _ask(desk, submitted, _working_day_after(first["due"].date()))
    do(desk, submitted, "approve_extension", {"extension_approved": False}, actor="dispatcher")
    # One refusal notice, naming the case, so the unit tells it from its new-task notices.
    assert notifications(desk, "water_supply", "extension_refused") == [
        f"延期申请未获批准：诉求 {submitted.tracking_code}（供水管网破损致路面塌陷），请按原时限办理"
    ]
    assert notifications(desk, "water_supply", "decision") == []
    move_to(desk, desk.host.clock.now() + timedelta(minutes=5))
    assert len(notifications(desk, "water_supply", "handle_reminder")) == 1
    assert task_names(desk, submitted) == ["assist", "assist", "handle"]

    # The original deadline still counts and fires once; a second refusal on the overdue
    # case neither repeats the overdue notice nor opens a second supervision task.
    move_to(desk, first["due"] + SECOND)
    assert len(notifications(desk, "dispatcher", "handle_overdue")) == 1
    assert task_names(desk, submitted) == ["assist", "assist", "handle", "supervise"]
    _ask(desk, submitted, _working_day_after(desk.today()))
    do(desk, submitted, "approve_extension", {"extension_approved": False}, actor="dispatcher")
    move_to(desk, desk.host.clock.now() + timedelta(minutes=5))
    assert len(notifications(desk, "water_supply", "handle_reminder")) == 1
    assert len(notifications(desk, "dispatcher", "handle_overdue")) == 1
    assert task_names(desk, submitted) == ["assist", "assist", "handle", "supervise"]
    # Every firing there was went through the sweep and is audited.
    assert _timer_audits(desk, submitted, "办理提醒") == 1
    assert _timer_audits(desk, submitted, "办理超期") == 1


def test_an_approved_extension_arms_a_fresh_reminder_and_overdue(desk):
    submitted = _accepted(desk)
    first = _deadline(desk, submitted)
    move_to(desk, first["remind_at"] + SECOND)
    _ask(desk, submitted, _working_day_after(_working_day_after(first["due"].date())))
    do(desk, submitted, "approve_extension", {"extension_approved": True}, actor="dispatcher")
    second = _deadline(desk, submitted)
    move_to(desk, second["remind_at"] + SECOND)
    assert len(notifications(desk, "water_supply", "handle_reminder")) == 2
    move_to(desk, second["due"] + SECOND)
    assert len(notifications(desk, "dispatcher", "handle_overdue")) == 1


def test_a_deadline_passed_while_the_approval_waited_fires_once_on_refusal_and_is_audited(desk):
    submitted = _accepted(desk)
    first = _deadline(desk, submitted)
    _ask(desk, submitted, _working_day_after(first["due"].date()))
    # Nobody handles the case while the request waits: its timers are not armed meanwhile.
    move_to(desk, first["due"] + timedelta(minutes=10))
    assert notifications(desk, "dispatcher", "handle_overdue") == []
    do(desk, submitted, "approve_extension", {"extension_approved": False}, actor="dispatcher")
    # Back in handling past both instants: each fires once, inside the dispatcher's step.
    assert len(notifications(desk, "water_supply", "handle_reminder")) == 1
    assert len(notifications(desk, "dispatcher", "handle_overdue")) == 1
    assert task_names(desk, submitted) == ["assist", "assist", "handle", "supervise"]
    assert _timer_audits(desk, submitted, "办理提醒") == 1
    assert _timer_audits(desk, submitted, "办理超期") == 1
    move_to(desk, desk.host.clock.now() + timedelta(minutes=5))
    assert len(notifications(desk, "dispatcher", "handle_overdue")) == 1
    assert _timer_audits(desk, submitted, "办理超期") == 1


def test_a_refused_listing_does_not_fire_the_reminder_again_either(desk):
    submitted = _accepted(desk)
    first = _deadline(desk, submitted)
    move_to(desk, first["remind_at"] + SECOND)
    do(desk, submitted, "handle", {"outcome": "list", "listing_plan": "纳入改造"}, actor="w")
    do(desk, submitted, "approve_listing", {"listing_approved": False}, actor="dispatcher")
    move_to(desk, desk.host.clock.now() + timedelta(minutes=5))
    assert len(notifications(desk, "water_supply", "handle_reminder")) == 1
    assert task_names(desk, submitted) == ["assist", "assist", "handle"]
    move_to(desk, first["due"] + SECOND)
    assert len(notifications(desk, "dispatcher", "handle_overdue")) == 1
