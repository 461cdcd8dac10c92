"""Frozen copies of the agriculture rows pages show, with the rows' field names (templates read
them as they read the rows) and none of their session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from engine.agri.models import Grower
from engine.complaints.read_models.records import copy_row


@dataclass(frozen=True)
class GrowerRecord:
    id: int
    county: str
    name: str
    username: str | None
    phone: str | None
    township_id: str
    village_id: str
    registered_by: str
    created_at: datetime

    recipient = Grower.recipient  # the row's own rule: who is notified for this grower

    @classmethod
    def of(cls, row: Any) -> GrowerRecord:
        return copy_row(cls, row)


@dataclass(frozen=True)
class ConsultationRecord:
    id: int
    county: str
    instance_id: int | None
    grower_id: int
    asked_by: str
    crop: str
    symptom: str
    description: str
    photos: list[str]
    township_id: str
    village_id: str
    unit: str | None
    matter_id: str | None
    routing_explanation: str | None
    expert: str | None
    stage: str
    due_at: datetime | None
    escalations: int
    asked_at: datetime
    first_answer_at: datetime | None
    diagnosis: str | None
    guidance: str | None
    concluded_at: datetime | None
    concluded_by: str | None
    widespread: bool
    visit_date: date | None
    visit_findings: str | None
    rating: int | None
    rating_comment: str | None
    closed_at: datetime | None
    close_reason: str | None

    @classmethod
    def of(cls, row: Any) -> ConsultationRecord:
        return copy_row(cls, row)


@dataclass(frozen=True)
class MessageRecord:
    id: int
    county: str
    consultation_id: int
    side: str
    author: str
    body: str
    photos: list[str]
    at: datetime

    @classmethod
    def of(cls, row: Any) -> MessageRecord:
        return copy_row(cls, row)


@dataclass(frozen=True)
class PushRecord:
    id: int
    county: str
    instance_id: int | None
    consultation_id: int | None
    crop: str
    title: str
    body: str
    townships: list[str]
    villages: list[str]
    send_at: datetime | None
    status: str
    sent_at: datetime | None
    recipients: int
    created_by: str
    created_at: datetime

    @classmethod
    def of(cls, row: Any) -> PushRecord:
        return copy_row(cls, row)


@dataclass(frozen=True)
class ReceiptRecord:
    id: int
    county: str
    push_id: int
    grower_id: int
    village_id: str
    recipient: str
    notified_at: datetime
    read_at: datetime | None
    read_by: str | None

    @classmethod
    def of(cls, row: Any) -> ReceiptRecord:
        return copy_row(cls, row)


@dataclass(frozen=True)
class SpecialtyRecord:
    """One line of the specialty table: an expert for a crop, in order."""

    id: int
    county: str
    crop: str
    username: str
    position: int

    @classmethod
    def of(cls, row: Any) -> SpecialtyRecord:
        return copy_row(cls, row)
