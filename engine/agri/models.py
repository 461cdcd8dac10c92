"""Tables of the agricultural consultation (ADR 0008).

Growers and the specialty table are the bureau's registers; consultations, messages, pushes
and receipts are projections of the ``agri_consultation`` and ``agri_push`` workflows,
written in the same step.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.core.persistence.base import Base, CountyKey
from engine.core.persistence.types import UtcDateTime


class Grower(Base):
    """A registered grower. Without an account (``username`` empty) the grid worker who
    registered them receives their notifications and confirms reading for them."""

    __tablename__ = "agri_grower"
    __table_args__ = (Index("ix_agri_grower_village", "county", "village_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    name: Mapped[str] = mapped_column(String(64))
    username: Mapped[str | None] = mapped_column(String(64), unique=True)
    phone: Mapped[str | None] = mapped_column(String(32))
    township_id: Mapped[str] = mapped_column(String(64))
    village_id: Mapped[str] = mapped_column(String(64))
    registered_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    @property
    def recipient(self) -> str:
        """Who is notified for this grower."""
        return self.username or self.registered_by


class GrowerCrop(Base):
    __tablename__ = "agri_grower_crop"
    __table_args__ = (
        UniqueConstraint("grower_id", "crop"),
        Index("ix_agri_grower_crop_crop", "crop", "grower_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    grower_id: Mapped[int] = mapped_column(ForeignKey("agri_grower.id"))
    crop: Mapped[str] = mapped_column(String(32))
    area_mu: Mapped[float] = mapped_column(Float)


class ExpertSpecialty(Base):
    """The bureau's table: which expert answers which crop (``*``: any crop)."""

    __tablename__ = "agri_expert_specialty"
    __table_args__ = (UniqueConstraint("county", "crop", "username"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    crop: Mapped[str] = mapped_column(String(32))
    username: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)


class Consultation(Base):
    """One grower's question and its conversation.

    ``stage``: ``expert`` (waiting for the expert), ``grower`` (waiting for the grower),
    ``visit`` (field visit planned), ``rating`` (waiting for the rating), ``closed``.
    """

    __tablename__ = "agri_consultation"
    __table_args__ = (
        Index("ix_agri_consultation_asked", "county", "asked_at"),
        Index("ix_agri_consultation_expert", "county", "expert", "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    grower_id: Mapped[int] = mapped_column(ForeignKey("agri_grower.id"), index=True)
    asked_by: Mapped[str] = mapped_column(String(64))
    crop: Mapped[str] = mapped_column(String(32))
    symptom: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    photos: Mapped[list[str]]
    township_id: Mapped[str] = mapped_column(String(64))
    village_id: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str | None] = mapped_column(String(64))
    matter_id: Mapped[str | None] = mapped_column(String(16))
    routing_explanation: Mapped[str | None] = mapped_column(Text)
    expert: Mapped[str | None] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(16), default="expert")
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    escalations: Mapped[int] = mapped_column(default=0)
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    first_answer_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    diagnosis: Mapped[str | None] = mapped_column(Text)
    guidance: Mapped[str | None] = mapped_column(Text)
    concluded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    concluded_by: Mapped[str | None] = mapped_column(String(64))
    widespread: Mapped[bool] = mapped_column(default=False)
    visit_date: Mapped[date | None] = mapped_column(Date)
    visit_findings: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[int | None]
    rating_comment: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    close_reason: Mapped[str | None] = mapped_column(String(16))


class ConsultationMessage(Base):
    """A turn of the conversation (``side``: grower, expert, lead, system)."""

    __tablename__ = "agri_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    consultation_id: Mapped[int] = mapped_column(ForeignKey("agri_consultation.id"), index=True)
    side: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    photos: Mapped[list[str]]
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class GuidancePush(Base):
    """Guidance to every grower of a crop in chosen townships/villages.

    ``status``: ``scheduled`` (waiting for ``send_at``), ``sent`` or ``cancelled`` (withdrawn
    before its date).
    """

    __tablename__ = "agri_push"
    __table_args__ = (Index("ix_agri_push_sent", "county", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("agri_consultation.id"))
    crop: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(128))
    body: Mapped[str] = mapped_column(Text)
    townships: Mapped[list[str]]
    villages: Mapped[list[str]]
    send_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    recipients: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PushReceipt(Base):
    """One grower reached by a push; ``read_at`` once they (or their grid worker) confirm."""

    __tablename__ = "agri_push_receipt"
    __table_args__ = (
        UniqueConstraint("push_id", "grower_id"),
        Index("ix_agri_receipt_recipient", "recipient", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    push_id: Mapped[int] = mapped_column(ForeignKey("agri_push.id"))
    grower_id: Mapped[int] = mapped_column(ForeignKey("agri_grower.id"))
    village_id: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(64))
    notified_at: Mapped[datetime] = mapped_column(UtcDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    read_by: Mapped[str | None] = mapped_column(String(64))
