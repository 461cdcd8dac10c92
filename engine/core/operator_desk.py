"""The operator's desk: incidents, troubled instances and rollbacks, one transaction each.

The web's incident page and the CLI call these; the work is done by the session-level
functions of :mod:`engine.core.incidents` and :mod:`engine.core.version_rollback`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from engine.core import incidents, version_rollback
from engine.core.host import WorkflowHost
from engine.core.incidents import (
    IncidentView,
    InstanceSummary,
    MoveOutcome,
    RetryOutcome,
    VersionChoice,
)
from engine.core.tenancy import DEFAULT_COUNTY
from engine.core.transactions import run_step
from engine.core.version_rollback import Withdrawal

T = TypeVar("T")


class OperatorDesk:
    """What an operator (administrator) does when a designer's mistake hurts running cases."""

    def __init__(self, host: WorkflowHost, *, county: str = DEFAULT_COUNTY) -> None:
        self.host = host
        self.county = county

    def _step(self, step: Callable[[Session], T]) -> T:
        return run_step(self.host.session_factory, step)

    # -- reading ---------------------------------------------------------------------------
    def incidents(self, *, include_resolved: bool = False) -> list[IncidentView]:
        with self.host.session_factory() as session:
            return incidents.list_incidents(
                county=self.county, include_resolved=include_resolved, session=session
            )

    def suspended(self) -> list[InstanceSummary]:
        with self.host.session_factory() as session:
            return incidents.suspended_instances(county=self.county, session=session)

    def versions(self, process_keys: set[str]) -> dict[str, list[VersionChoice]]:
        with self.host.session_factory() as session:
            return incidents.process_versions(process_keys, county=self.county, session=session)

    # -- acting ----------------------------------------------------------------------------
    def resolve(self, incident_id: int, *, actor: str) -> None:
        now = self.host.clock.now()
        self._step(
            lambda s: incidents.resolve_incident(
                incident_id, county=self.county, actor=actor, now=now, session=s
            )
        )

    def suspend(self, instance_id: int, *, actor: str) -> None:
        now = self.host.clock.now()
        self._step(
            lambda s: incidents.suspend_instance(
                instance_id, county=self.county, actor=actor, now=now, session=s
            )
        )

    def resume(self, instance_id: int, *, actor: str) -> None:
        now = self.host.clock.now()
        self._step(
            lambda s: incidents.resume_instance(
                instance_id, county=self.county, actor=actor, now=now, session=s
            )
        )
        self.host.notify_due(instance_id)

    def retry(self, instance_id: int, *, actor: str) -> RetryOutcome:
        now = self.host.clock.now()
        outcome = self._step(
            lambda s: incidents.retry_instance(
                instance_id,
                runtime=self.host.runtime,
                county=self.county,
                actor=actor,
                now=now,
                session=s,
            )
        )
        self.host.notify_due(instance_id)
        return outcome

    def move(self, instance_id: int, target_definition_id: int, *, actor: str) -> MoveOutcome:
        now = self.host.clock.now()
        outcome = self._step(
            lambda s: incidents.move_instance(
                instance_id,
                target_definition_id,
                runtime=self.host.runtime,
                county=self.county,
                actor=actor,
                now=now,
                session=s,
            )
        )
        self.host.notify_due(instance_id)
        return outcome

    def move_to_version(self, instance_id: int, version: int, *, actor: str) -> MoveOutcome:
        """Move onto version number ``version`` of the instance's own process."""
        now = self.host.clock.now()

        def step(session: Session) -> MoveOutcome:
            target = incidents.sibling_version(
                instance_id, version, county=self.county, session=session
            )
            return incidents.move_instance(
                instance_id,
                target,
                runtime=self.host.runtime,
                county=self.county,
                actor=actor,
                now=now,
                session=session,
            )

        outcome = self._step(step)
        self.host.notify_due(instance_id)
        return outcome

    def withdraw(self, definition_id: int, *, actor: str) -> Withdrawal:
        now = self.host.clock.now()
        return self._step(
            lambda s: version_rollback.withdraw_definition(
                definition_id, county=self.county, actor=actor, now=now, session=s
            )
        )

    def roll_back(self, process_key: str, *, actor: str) -> Withdrawal:
        now = self.host.clock.now()
        return self._step(
            lambda s: version_rollback.roll_back_process(
                process_key, county=self.county, actor=actor, now=now, session=s
            )
        )
