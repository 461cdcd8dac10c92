"""A unit's own table of who handles which domain or matter, and assigning tasks by it.

张王疃乡 sorted its work into 13 classes with one responsible person each: the table maps a
scope — a matter of the catalog (``D04-01``) or a whole domain (``D04``) — to a person of the
unit. When a task offered to the unit becomes ready, :func:`assign_new_tasks` (a projector,
run inside the step's transaction) sets its assignee from the table, the matter entry winning
over the domain entry. The unit's lead may reassign a ready task to anyone of the unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from engine.core.audit import record_event
from engine.core.errors import EngineError, NotPermitted, TaskAlreadyCompleted, TaskNotFound
from engine.core.persistence.models import HumanTask
from engine.core.projection import StepOutcome
from engine.people.accounts import UNIT_ROLES
from engine.people.models import UnitAssignment, UserAccount

_task = HumanTask.__table__
_ASSIGN = (
    update(_task)
    .where(_task.c.id == bindparam("b_id"), _task.c.assignee.is_(None))
    .values(assignee=bindparam("b_assignee"))
)

# Built once: this projector runs in every step, and building the statements per call cost
# more than running them.
_assignment = UnitAssignment.__table__
_account = UserAccount.__table__
_UNASSIGNED = select(_task.c.id, _task.c.candidate_groups).where(
    _task.c.id.in_(bindparam("b_ids", expanding=True)), _task.c.assignee.is_(None)
)
_TABLE_ENTRIES = (
    select(_assignment.c.unit_id, _assignment.c.scope, _assignment.c.username)
    .join(_account, _account.c.username == _assignment.c.username)
    .where(
        _assignment.c.county == bindparam("b_county"),
        _assignment.c.unit_id.in_(bindparam("b_units", expanding=True)),
        _assignment.c.scope.in_(bindparam("b_scopes", expanding=True)),
        _account.c.unit_id == _assignment.c.unit_id,
        _account.c.active,
    )
)


class AssignmentRejected(EngineError):
    """A table entry or reassignment that cannot be made; ``errors`` names each field."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("；".join(errors.values()))


def domain_of_matter(matter_id: str) -> str:
    """The domain id of a catalog matter id (``D04-01`` → ``D04``)."""
    return matter_id.split("-", 1)[0]


def _matter_of(data: Mapping[str, Any]) -> str | None:
    routing = data.get("routing")
    matter = routing.get("matter_id") if isinstance(routing, dict) else None
    return matter or data.get("matter_id") or None


# -- the table -----------------------------------------------------------------------------
def unit_table(unit_id: str, *, county: str, session: Session) -> list[UnitAssignment]:
    return list(
        session.scalars(
            select(UnitAssignment)
            .where(UnitAssignment.county == county, UnitAssignment.unit_id == unit_id)
            .order_by(UnitAssignment.scope)
        )
    )


def unit_people(unit_id: str, *, county: str, session: Session) -> list[UserAccount]:
    """The active staff of a unit: the people tasks may be assigned to."""
    return list(
        session.scalars(
            select(UserAccount)
            .where(
                UserAccount.county == county,
                UserAccount.unit_id == unit_id,
                UserAccount.role.in_(UNIT_ROLES),
                UserAccount.active,
            )
            .order_by(UserAccount.role.desc(), UserAccount.username)
        )
    )


def _person_of_unit(username: str, unit_id: str, county: str, session: Session) -> bool:
    return username in {p.username for p in unit_people(unit_id, county=county, session=session)}


def set_assignment(
    unit_id: str,
    scope: str,
    username: str,
    *,
    scopes: Mapping[str, str],
    county: str,
    actor: str,
    now: datetime,
    session: Session,
) -> UnitAssignment:
    """Add or change the entry for ``scope``.

    :param scopes: the scopes that exist (domain and matter ids of the catalog in force).
    :raises AssignmentRejected: unknown scope, or a person who is not staff of the unit.
    """
    errors: dict[str, str] = {}
    scope = scope.strip()
    if scope not in scopes:
        errors["scope"] = "请选择清单中的领域或事项"
    if not _person_of_unit(username, unit_id, county, session):
        errors["username"] = "请选择本单位的工作人员"
    if errors:
        raise AssignmentRejected(errors)
    entry = session.scalars(
        select(UnitAssignment).where(
            UnitAssignment.county == county,
            UnitAssignment.unit_id == unit_id,
            UnitAssignment.scope == scope,
        )
    ).first()
    before = {"username": entry.username} if entry else None
    if entry is None:
        entry = UnitAssignment(county=county, unit_id=unit_id, scope=scope, username=username)
        session.add(entry)
    entry.username = username
    session.flush()
    record_event(
        county=county,
        at=now,
        actor=actor,
        action="assignment.changed",
        before=before,
        after={"username": username},
        detail={"unit": unit_id, "scope": scope},
        session=session,
    )
    return entry


def remove_assignment(
    unit_id: str, entry_id: int, *, county: str, actor: str, now: datetime, session: Session
) -> None:
    """:raises NotPermitted: the entry is not the unit's own."""
    entry = session.get(UnitAssignment, entry_id)
    if entry is None or entry.unit_id != unit_id or entry.county != county:
        raise NotPermitted("只能修改本单位的分工表")
    record_event(
        county=county,
        at=now,
        actor=actor,
        action="assignment.removed",
        before={"username": entry.username},
        detail={"unit": unit_id, "scope": entry.scope},
        session=session,
    )
    session.delete(entry)


# -- assigning tasks -----------------------------------------------------------------------
def assign_new_tasks(outcome: StepOutcome) -> None:
    """Projector: give each newly ready task offered to a unit to the person of that unit's
    table (matter entry before domain entry); tasks already assigned are left alone."""
    new = {str(t.id): _matter_of(t.data) for t in outcome.new_tasks}
    new = {task_id: matter for task_id, matter in new.items() if matter}
    if not new:
        return
    connection, county = outcome.session.connection(), outcome.record.county
    offered = connection.execute(_UNASSIGNED, {"b_ids": list(new)}).all()
    units = {group for _id, groups in offered for group in groups}
    scopes = {s for matter in new.values() for s in (matter, domain_of_matter(matter))}
    if not units:
        return
    table = {
        (unit, scope): username
        for unit, scope, username in connection.execute(
            _TABLE_ENTRIES,
            {"b_county": county, "b_units": sorted(units), "b_scopes": sorted(scopes)},
        )
    }
    rows = []
    for task_id, groups in offered:
        matter = new[task_id]
        for unit in groups:
            person = table.get((unit, matter)) or table.get((unit, domain_of_matter(matter)))
            if person:
                rows.append({"b_id": task_id, "b_assignee": person})
                break
    if rows:
        connection.execute(_ASSIGN, rows)


def reassign_task(
    task_id: str,
    username: str | None,
    *,
    unit_id: str,
    county: str,
    actor: str,
    now: datetime,
    session: Session,
) -> None:
    """Give a ready task of ``unit_id`` to another person of the unit (``None``: to nobody).

    :raises TaskNotFound: no such task.
    :raises NotPermitted: the task is not offered to the unit.
    :raises TaskAlreadyCompleted: it is no longer ready.
    :raises AssignmentRejected: the person is not staff of the unit.
    """
    task = session.get(HumanTask, task_id)
    if task is None or task.county != county:
        raise TaskNotFound(f"任务 {task_id} 不存在")
    if unit_id not in task.candidate_groups:
        raise NotPermitted("只能改派本单位的任务")
    if task.state != "ready":
        raise TaskAlreadyCompleted(task_id, task.completed_by, task.state)
    if username and not _person_of_unit(username, unit_id, county, session):
        raise AssignmentRejected({"assignee": "请选择本单位的工作人员"})
    before = task.assignee
    if before == (username or None):
        return
    task.assignee = username or None
    record_event(
        county=county,
        at=now,
        actor=actor,
        action="task.reassigned",
        instance_id=task.instance_id,
        task_id=task.id,
        task_name=task.task_name,
        before={"assignee": before},
        after={"assignee": task.assignee},
        detail={"unit": unit_id},
        session=session,
    )
