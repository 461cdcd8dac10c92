"""Start a process for a domain row: store the row, start the process with the row's data,
link the row to its instance, and tell the scheduler about the instance's first timer once
the transaction has committed.

The core knows no domain: a row is any mapped object with an ``instance_id`` attribute.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from engine.core.host import WorkflowHost
from engine.core.instances import start_instance
from engine.core.runtime import Runtime
from engine.core.transactions import run_step

T = TypeVar("T")
R = TypeVar("R", bound="ProcessRow")

# Where start_for_row leaves the ids it started, for run_step_then_notify to pick up.
_STARTED = "engine.core.row_processes.started"


class ProcessRow(Protocol):
    instance_id: int | None


def start_for_row(
    row: R,
    process_key: str,
    data: Mapping[str, Any] | Callable[[R], Mapping[str, Any]],
    *,
    runtime: Runtime,
    now: datetime,
    actor: str,
    county: str,
    business_key: str | Callable[[R], str] | None,
    session: Session,
) -> int:
    """Add ``row``, start ``process_key`` for it and set ``row.instance_id``; returns the id.

    ``data`` and ``business_key`` may be callables of the flushed row, because they usually
    need its id. Inside :func:`run_step_then_notify` the instance's first timer reaches the
    due-time listeners after the commit.
    """
    session.add(row)
    session.flush()
    record = start_instance(
        process_key,
        dict(data(row) if callable(data) else data),
        runtime=runtime,
        now=now,
        actor=actor,
        county=county,
        business_key=business_key(row) if callable(business_key) else business_key,
        session=session,
    )
    assert record.id is not None  # save_workflow flushed it
    row.instance_id = record.id
    started = session.info.get(_STARTED)
    if started is not None:
        started.append(record.id)
    return record.id


def run_step_then_notify(host: WorkflowHost, step: Callable[[Session], T]) -> T:
    """:func:`run_step` on the host; afterwards every instance that ``step`` started with
    :func:`start_for_row` in the committed attempt is announced to the due-time listeners
    (a retried attempt's starts were rolled back and are forgotten)."""
    started: list[int] = []

    def attempt(session: Session) -> T:
        started.clear()
        session.info[_STARTED] = started
        try:
            return step(session)
        finally:
            session.info.pop(_STARTED, None)

    result = run_step(host.session_factory, attempt)
    for instance_id in started:
        host.notify_due(instance_id)
    return result
