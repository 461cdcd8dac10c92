"""Run a step in its own transaction, retrying on fresh state when it lost a race."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from engine.core.errors import ConcurrentUpdate
from engine.core.metrics import measure_step
from engine.core.persistence.database import WRITE_INTENT_OPTIONS
from engine.core.step_failures import StepFailed, record_incident

T = TypeVar("T")

DEFAULT_ATTEMPTS = 5


def _is_lock_conflict(err: OperationalError) -> bool:
    text = str(err.orig).lower()
    return any(
        marker in text
        for marker in ("database is locked", "deadlock detected", "could not serialize")
    )


def run_step(
    session_factory: sessionmaker[Session],
    step: Callable[[Session], T],
    *,
    attempts: int = DEFAULT_ATTEMPTS,
    record_incidents: bool = True,
) -> T:
    """Call ``step(session)`` inside ``session_factory.begin()``; commit or roll back.

    A step whose instance changed under it (optimistic version check) or that met a lock
    conflict is run again from scratch on fresh state. Domain errors pass through untouched.

    :param record_incidents: a diagram failure (:class:`StepFailed`) opens or counts an
        incident after the rollback; the timer sweep keeps its own count and says no.
    """
    with measure_step():  # counted and timed; its ids on every log record meanwhile
        for _attempt in range(attempts):
            try:
                with session_factory.begin() as session:
                    session.connection(execution_options=WRITE_INTENT_OPTIONS)
                    return step(session)
            except StaleDataError:
                continue
            except StepFailed as failure:
                # The step rolled back; the incident gets a transaction of its own.
                if record_incidents and failure.incident_id is None:
                    _record(session_factory, failure)
                raise
            except OperationalError as err:
                if not _is_lock_conflict(err):
                    raise
        raise ConcurrentUpdate("系统繁忙：该事项正被其他人同时处理，请稍后重试")


def _record(session_factory: sessionmaker[Session], failure: StepFailed) -> None:
    for _attempt in range(DEFAULT_ATTEMPTS):
        try:
            with session_factory.begin() as session:
                session.connection(execution_options=WRITE_INTENT_OPTIONS)
                failure.incident_id = record_incident(failure, session=session)
            return
        except OperationalError as err:
            if not _is_lock_conflict(err):
                raise
