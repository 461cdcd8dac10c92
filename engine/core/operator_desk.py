"""The operator's desk: incidents, troubled instances and rollbacks, one transaction each.

The web's incident page and the CLI call these; the work is done by the session-level
functions of :mod:`engine.core.incidents` and :mod:`engine.core.version_rollback`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from sqlalchemy.orm import Session

from engine.core import incidents, instance_migration, version_rollback
from engine.core.errors import ConcurrentUpdate, OperatorActionRefused
from engine.core.host import WorkflowHost
from engine.core.incidents import (
    IncidentView,
    InstanceSummary,
    MoveOutcome,
    RetryOutcome,
    VersionChoice,
)
from engine.core.instance_migration import BlockedInstance, MigrationPlan, MigrationResult
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

    # -- migrating a version's instances -----------------------------------------------------
    def plan_migration(
        self,
        process_key: str,
        from_version: int,
        to_version: int,
        *,
        deadline_s: float | None = None,
        timer: Callable[[], float] = time.monotonic,
    ) -> MigrationPlan:
        """Which running instances of ``from_version`` can move to ``to_version`` (a preview;
        nothing is written).

        :param deadline_s: examine instances for about this many seconds of wall time (at
            least one); the rest are listed in ``unchecked``. None: all of them.
        """
        budget = instance_migration.Budget(deadline_s, timer=timer)
        now = self.host.clock.now()
        with self.host.session_factory() as session:
            return instance_migration.plan_migration(
                process_key,
                from_version,
                to_version,
                runtime=self.host.runtime,
                county=self.county,
                now=now,
                session=session,
                budget=budget if deadline_s is not None else None,
            )

    def migrate_instances(
        self,
        process_key: str,
        from_version: int,
        to_version: int,
        *,
        actor: str,
        dry_run: bool = False,
        batch_size: int = 50,
        plan: MigrationPlan | None = None,
        deadline_s: float | None = None,
        timer: Callable[[], float] = time.monotonic,
    ) -> MigrationResult:
        """Move every movable instance, each in its own transaction, ``batch_size`` at a time.

        A dry run only plans: ``moved`` lists the instances that would move; nothing changes.

        :param plan: the preview the operator confirmed (planned afresh when not given); each
            instance is checked again when it moves, so a stale plan moves nothing it should not.
        :param deadline_s: start no new instance after about this many seconds of wall time
            (``timer`` measures it), once at least one has moved; the ones not reached are
            ``remaining`` and a later call picks them up. Without a ``plan`` the source's open
            instances are then checked as they are moved, not planned first (a plan of
            thousands would use the budget up before anything moves): the result's plan
            holds what this call examined. None: move them all.
        """
        if batch_size < 1:
            raise OperatorActionRefused(f"每批数量必须是正整数（收到 {batch_size}）")
        budget = instance_migration.Budget(deadline_s, timer=timer)
        if plan is not None and (plan.process_key, plan.from_version, plan.to_version) != (
            process_key,
            from_version,
            to_version,
        ):
            raise OperatorActionRefused(
                f"迁移预览针对 {plan.process_key} 第 {plan.from_version} 版 → 第 "
                f"{plan.to_version} 版，与本次请求不符：请重新生成预览"
            )
        if dry_run:
            if plan is None:
                plan = self.plan_migration(
                    process_key, from_version, to_version, deadline_s=deadline_s, timer=timer
                )
            return MigrationResult(plan, True, plan.movable, (), plan.unchecked)
        checked_as_moved = plan is None and deadline_s is not None
        candidates: Sequence[int]
        if plan is None and deadline_s is not None:
            plan, candidates = self._scope(process_key, from_version, to_version)
        else:
            if plan is None:
                plan = self.plan_migration(process_key, from_version, to_version)
            candidates = plan.movable
        moved: list[int] = []
        refused: list[BlockedInstance] = []
        remaining: tuple[int, ...] = ()
        for start in range(0, len(candidates), batch_size):
            batch = candidates[start : start + batch_size]
            for index, instance_id in enumerate(batch):
                if budget.spent(len(moved)):
                    remaining = tuple(batch[index:]) + tuple(candidates[start + batch_size :])
                    break
                blocked = self._migrate_one(instance_id, plan, actor=actor)
                if blocked is None:
                    moved.append(instance_id)
                    self.host.notify_due(instance_id)
                else:
                    refused.append(blocked)
            if remaining:
                break
        if checked_as_moved:
            # Checked while moving: the unmovable ones are the plan's blocked, not refusals.
            plan = replace(plan, movable=tuple(moved), blocked=tuple(refused), unchecked=remaining)
            refused = []
        result = MigrationResult(plan, False, tuple(moved), tuple(refused), remaining)
        now = self.host.clock.now()
        self._step(
            lambda s: instance_migration.record_run(
                result, county=self.county, actor=actor, now=now, session=s
            )
        )
        return result

    def _scope(
        self, process_key: str, from_version: int, to_version: int
    ) -> tuple[MigrationPlan, list[int]]:
        with self.host.session_factory() as session:
            return instance_migration.migration_scope(
                process_key,
                from_version,
                to_version,
                runtime=self.host.runtime,
                county=self.county,
                session=session,
            )

    def _migrate_one(
        self, instance_id: int, plan: MigrationPlan, *, actor: str
    ) -> BlockedInstance | None:
        now = self.host.clock.now()
        try:
            return self._step(
                lambda s: instance_migration.migrate_one(
                    instance_id,
                    plan,
                    runtime=self.host.runtime,
                    county=self.county,
                    actor=actor,
                    now=now,
                    session=s,
                )
            )
        except ConcurrentUpdate:
            return BlockedInstance(instance_id, None, (), ("实例正被其他人同时处理，请稍后重试",))
