"""start_for_row and run_step_then_notify: a domain row gets its process in the same
transaction, and the first timer reaches the scheduler only after the commit."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Integer, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from engine.core.persistence.models import ProcessInstance
from engine.core.row_processes import run_step_then_notify, start_for_row
from tests.engine.helpers import ticket_data


class _TestBase(DeclarativeBase):
    """A table of the test's own: the core must not need a domain to start a row's process."""


class Ticket(_TestBase):
    __tablename__ = "test_row_process_ticket"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(40))
    instance_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


@pytest.fixture
def ticket_host(host, diagram, db):
    _TestBase.metadata.create_all(db)
    host.deploy(diagram("ticket.bpmn"), actor="designer")
    return host


def _start(host, title: str, *, fail: bool = False):
    now = host.clock.now()

    def step(session):
        ticket = Ticket(title=title)
        instance_id = start_for_row(
            ticket,
            "ticket",
            lambda row: ticket_data(now, unit=f"unit:{row.id}"),
            runtime=host.runtime,
            now=now,
            actor="resident:1",
            county="julu",
            business_key=lambda row: f"ticket:{row.id}",
            session=session,
        )
        if fail:
            raise RuntimeError("the rest of the step failed")
        return ticket.id, instance_id

    return run_step_then_notify(host, step)


def test_the_row_is_linked_to_its_started_instance(ticket_host):
    ticket_id, instance_id = _start(ticket_host, "路灯不亮")
    with ticket_host.session_factory() as session:
        ticket = session.get_one(Ticket, ticket_id)
        instance = session.get_one(ProcessInstance, instance_id)
        assert ticket.instance_id == instance_id
        assert instance.business_key == f"ticket:{ticket_id}"
    (task,) = ticket_host.ready_tasks(instance_id=instance_id)
    assert task.task_name == "sign_for" and f"unit:{ticket_id}" in task.candidate_groups


def test_the_first_timer_is_announced_after_the_commit(ticket_host):
    heard: list[datetime] = []
    ticket_host.runtime.due_listeners.append(heard.append)
    _ticket_id, instance_id = _start(ticket_host, "路灯不亮")
    # ticket.bpmn reminds after two hours: the earliest timer of the new instance.
    assert heard == [ticket_host.clock.now() + timedelta(hours=2)]
    with ticket_host.session_factory() as session:
        due = session.scalar(
            select(ProcessInstance.next_due_at).where(ProcessInstance.id == instance_id)
        )
    assert due is not None


def test_a_failed_step_stores_nothing_and_announces_nothing(ticket_host):
    heard: list[datetime] = []
    ticket_host.runtime.due_listeners.append(heard.append)
    with pytest.raises(RuntimeError):
        _start(ticket_host, "路灯不亮", fail=True)
    assert heard == []
    with ticket_host.session_factory() as session:
        assert session.scalars(select(Ticket)).all() == []
        assert session.scalars(select(ProcessInstance)).all() == []


def test_outside_run_step_then_notify_the_caller_announces(ticket_host):
    """A plain run_step still starts the process; only the announcement is the caller's."""
    from engine.core.transactions import run_step

    heard: list[datetime] = []
    ticket_host.runtime.due_listeners.append(heard.append)
    now = ticket_host.clock.now()
    instance_id = run_step(
        ticket_host.session_factory,
        lambda s: start_for_row(
            Ticket(title="井盖缺失"),
            "ticket",
            ticket_data(now),
            runtime=ticket_host.runtime,
            now=now,
            actor="resident:1",
            county="julu",
            business_key=None,
            session=s,
        ),
    )
    assert heard == []
    ticket_host.notify_due(instance_id)
    assert len(heard) == 1
