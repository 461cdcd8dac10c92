"""Frozen copies of complaint-domain rows, with the rows' field names (pages read them as
they read the rows) and none of their lazy loading."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import inspect

from engine.complaints.models import Complaint

R = TypeVar("R")


def copy_row(kind: type[R], row: Any, not_read: dict[str, Any] | None = None) -> R:
    """``kind`` filled from the attributes of ``row`` that it names.

    :param not_read: values for columns the query deferred (a list that shows no photos
        skips decoding them); reading those from the row would cost a query per row.
    """
    skipped: dict[str, Any] = {}
    if not_read:
        state = inspect(row)
        # Deferred by the query, not merely expired (an expired column is read again).
        deferred = state.unloaded - state.expired_attributes
        skipped = {name: value for name, value in not_read.items() if name in deferred}
    values = {
        f.name: skipped[f.name] if f.name in skipped else getattr(row, f.name)
        # Kind is a dataclass; R has no dataclass bound
        for f in fields(kind)  # type: ignore[arg-type]
    }
    return kind(**values)


# What a copy holds for columns a list query left unread (see ``copy_row``).
NOT_READ: dict[str, Any] = {"routing": None, "routing_explanation": None, "photos": []}


@dataclass(frozen=True)
class ComplaintRecord:
    """A complaint (诉求) as it was read: every column of the complaint table."""

    id: int
    county: str
    tracking_code: str
    instance_id: int | None
    channel: str
    matter_id: str | None
    township_id: str
    village_id: str
    grid_id: str | None
    latitude: float | None
    longitude: float | None
    description: str
    photos: list[str]
    reporter_name: str | None
    reporter_phone: str | None
    reporter_group: str
    reported_by: str | None
    on_behalf: bool
    received_at: datetime
    duplicate_of: int | None
    routing: dict[str, Any] | None
    routing_explanation: str | None
    catalog_version: str | None
    matter_name: str | None
    domain: str | None
    stage: str
    status: str
    primary_unit: str | None
    supporting_units: list[str]
    sign_for_due: datetime | None
    handle_due: datetime | None
    due_provisional: bool
    overdue: bool
    extension_count: int
    return_count: int
    reopen_count: int
    listed: bool
    valid: bool
    closure_kind: str | None
    closure_reason: str | None
    merged_into: int | None
    reply_text: str | None
    satisfaction: str | None
    closed_at: datetime | None
    updated_at: datetime

    # The row's own rules, so the copy answers exactly as the row does.
    extensions_allowed = Complaint.extensions_allowed
    extension_possible = Complaint.extension_possible

    @classmethod
    def of(cls, row: Any) -> ComplaintRecord:
        return copy_row(cls, row, NOT_READ)


@dataclass(frozen=True)
class StageRecord:
    """One measured stage (one human task) of a complaint."""

    id: int
    county: str
    complaint_id: int
    stage: str
    task_id: str
    unit: str | None
    started_at: datetime
    due_at: datetime | None
    ended_at: datetime | None
    outcome: str | None
    on_time: bool | None
    actor: str | None

    @classmethod
    def of(cls, row: Any) -> StageRecord:
        return copy_row(cls, row)


@dataclass(frozen=True)
class TaskRecord:
    """A human task of a complaint's workflow as it was read."""

    id: str
    county: str
    instance_id: int
    task_name: str
    title: str
    lane: str | None
    candidate_groups: list[str]
    assignee: str | None
    state: str
    created_at: datetime
    finished_at: datetime | None
    completed_by: str | None

    @classmethod
    def of(cls, row: Any) -> TaskRecord:
        return copy_row(cls, row)


@dataclass(frozen=True)
class AmendmentRecord:
    """A catalog change a joint consultation proposed."""

    id: int
    county: str
    complaint_id: int
    matter_id: str | None
    catalog_version: str | None
    text: str
    decided_primary: str | None
    decided_supporting: list[str]
    decision_note: str | None
    status: str
    created_at: datetime
    created_by: str

    @classmethod
    def of(cls, row: Any) -> AmendmentRecord:
        return copy_row(cls, row)
