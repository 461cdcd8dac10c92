"""Frozen copies of a consultation's rows, with the rows' field names (pages read them as
they read the rows) and none of their session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from engine.complaints.read_models.records import copy_row


@dataclass(frozen=True)
class RevisionRecord:
    """A draft sent for consultation (征求意见) and where it stands."""

    id: int
    county: str
    label: str
    instance_id: int | None
    round: int
    stage: str
    opinion_days: int
    deadline: datetime | None
    effective: date | None
    note: str | None
    created_at: datetime
    created_by: str
    updated_at: datetime

    @classmethod
    def of(cls, row: Any) -> RevisionRecord:
        return copy_row(cls, row)


@dataclass(frozen=True)
class OpinionRecord:
    """One unit's opinion in one round of a consultation."""

    id: int
    county: str
    revision_id: int
    round: int
    unit: str
    matters: list[str]
    opinion: str
    comment: str | None
    answered_at: datetime | None
    answered_by: str | None
    reminded_at: datetime | None

    @classmethod
    def of(cls, row: Any) -> OpinionRecord:
        return copy_row(cls, row)
