"""The complaint row's projected columns: read and written by statements built once.

The projection runs on every step of a complaint; loading the whole row into the session and
flushing it through the unit of work cost more than the rest of the projection (ADR 0023).
A step reads the columns the projection uses, projects onto this plain copy and writes back
only what changed. When the step already holds the complaint as an ORM object (intake
creates it in the same transaction) the changes go onto that object instead, so what the
step's caller reads from it stays true.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from engine.complaints.models import Complaint


@dataclass
class ProjectedComplaint:
    id: int
    county: str
    tracking_code: str
    received_at: datetime
    matter_id: str | None
    matter_name: str | None
    domain: str | None
    routing: dict[str, Any] | None
    routing_explanation: str | None
    catalog_version: str | None
    primary_unit: str | None
    supporting_units: list[str]
    sign_for_due: datetime | None
    handle_due: datetime | None
    due_provisional: bool
    extension_count: int
    return_count: int
    reopen_count: int
    listed: bool
    reply_text: str | None
    satisfaction: str | None
    stage: str
    overdue: bool
    status: str
    closed_at: datetime | None
    closure_kind: str | None
    closure_reason: str | None
    merged_into: int | None
    valid: bool
    updated_at: datetime


_FIELDS = tuple(f.name for f in dataclasses.fields(ProjectedComplaint))
_table = Complaint.__table__
_SELECT = select(*(_table.c[name] for name in _FIELDS)).where(_table.c.id == bindparam("b_id"))
# The SET clause follows the parameters given: only the changed columns.
_UPDATE = update(_table).where(_table.c.id == bindparam("b_id"))


def load(session: Session, complaint_id: int) -> tuple[ProjectedComplaint, Complaint | None] | None:
    """The projected columns, and the complaint's ORM object when the session holds one."""
    held = session.identity_map.get(session.identity_key(Complaint, complaint_id))
    if isinstance(held, Complaint):
        return ProjectedComplaint(**{name: getattr(held, name) for name in _FIELDS}), held
    row = session.execute(_SELECT, {"b_id": complaint_id}).first()
    if row is None:
        return None
    return ProjectedComplaint(**row._asdict()), None


def save(
    session: Session,
    before: ProjectedComplaint,
    after: ProjectedComplaint,
    held: Complaint | None,
) -> None:
    """Write the columns the projection changed (onto ``held`` when there is one)."""
    changed = {
        name: getattr(after, name)
        for name in _FIELDS
        if getattr(after, name) != getattr(before, name)
    }
    if not changed:
        return
    if held is not None:
        for name, value in changed.items():
            setattr(held, name, value)
        return
    session.execute(_UPDATE, {"b_id": after.id, **changed})
