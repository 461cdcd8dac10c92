"""A unit's lead edits the unit's table of who handles what and gives tasks to its people:
each change one step (one transaction, retried on a lost race), audited."""

from __future__ import annotations

from collections.abc import Mapping

from engine.complaints.assignment import reassign_task, remove_assignment, set_assignment
from engine.core.host import WorkflowHost
from engine.core.transactions import run_step


class AssignmentDesk:
    """Holds no registrations on the host: build one wherever a host is at hand."""

    def __init__(self, host: WorkflowHost) -> None:
        self.host = host

    def set_entry(
        self,
        unit_id: str,
        scope: str,
        username: str,
        *,
        scopes: Mapping[str, str],
        county: str,
        actor: str,
    ) -> None:
        """:raises AssignmentRejected: unknown scope, or a person not of the unit."""
        run_step(
            self.host.session_factory,
            lambda session: set_assignment(
                unit_id,
                scope,
                username,
                scopes=scopes,
                county=county,
                actor=actor,
                now=self.host.clock.now(),
                session=session,
            ),
        )

    def remove_entry(self, unit_id: str, entry_id: int, *, county: str, actor: str) -> None:
        """:raises NotPermitted: the entry is not the unit's own."""
        run_step(
            self.host.session_factory,
            lambda session: remove_assignment(
                unit_id,
                entry_id,
                county=county,
                actor=actor,
                now=self.host.clock.now(),
                session=session,
            ),
        )

    def reassign(
        self, task_id: str, username: str | None, *, unit_id: str, county: str, actor: str
    ) -> None:
        """Give a ready task of the unit to another of its people (``None``: to nobody).

        :raises AssignmentRejected: the person is not staff of the unit.
        """
        run_step(
            self.host.session_factory,
            lambda session: reassign_task(
                task_id,
                username,
                unit_id=unit_id,
                county=county,
                actor=actor,
                now=self.host.clock.now(),
                session=session,
            ),
        )
