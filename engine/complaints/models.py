"""Tables of the complaint domain: the complaint (a projection of its workflow), its stage
records with frozen on-time flags, catalog amendment proposals and entered holiday schedules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from engine.core.persistence.base import Base, CountyKey
from engine.core.persistence.types import UtcDateTime
from rules import extension_possible


class Complaint(Base):
    """A resident's request (诉求). Every column below ``routing`` is a projection of the
    complaint's workflow, written in the same transaction as the step that changed it."""

    __tablename__ = "complaint"
    __table_args__ = (
        Index("ix_complaint_dup", "county", "matter_id", "village_id", "received_at"),
        Index("ix_complaint_stage", "county", "status", "stage"),
        # Analytics: ratings of cases closed in a month (red/black list, ADR 0007).
        Index("ix_complaint_closed", "county", "closed_at"),
        # Analytics: every column the heat map and the monthly figures read of a period's
        # complaints, so their GROUP BYs scan this index alone (no row lookups). Most of
        # these columns never change after intake; routing and closure rewrite the entry.
        Index(
            "ix_complaint_period",
            "county",
            "received_at",
            "valid",
            "closure_kind",
            "township_id",
            "village_id",
            "matter_id",
            "domain",
            "grid_id",
            "latitude",
            "longitude",
            "primary_unit",
            "status",
            "closed_at",
        ),
        Index("ix_complaint_sign_due", "county", "status", "stage", "sign_for_due"),
        Index("ix_complaint_handle_due", "county", "status", "stage", "handle_due"),
        Index(
            "ix_complaint_overdue",
            "county",
            "status",
            "stage",
            sqlite_where=text("overdue IS 1"),
            postgresql_where=text("overdue IS TRUE"),
        ),
        # Likely duplicates awaiting screening, oldest first (few rows: a partial index).
        Index(
            "ix_complaint_dup_queue",
            "county",
            "status",
            "stage",
            "received_at",
            sqlite_where=text("duplicate_of IS NOT NULL"),
            postgresql_where=text("duplicate_of IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    tracking_code: Mapped[str] = mapped_column(String(32), unique=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    matter_id: Mapped[str | None] = mapped_column(String(32))
    township_id: Mapped[str] = mapped_column(String(64), index=True)
    village_id: Mapped[str] = mapped_column(String(64))
    grid_id: Mapped[str | None] = mapped_column(String(64))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str] = mapped_column(Text)
    photos: Mapped[list[str]]
    reporter_name: Mapped[str | None] = mapped_column(String(64))
    reporter_phone: Mapped[str | None] = mapped_column(String(32))
    reporter_group: Mapped[str] = mapped_column(String(128))
    reported_by: Mapped[str | None] = mapped_column(String(128))
    on_behalf: Mapped[bool] = mapped_column(default=False)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    duplicate_of: Mapped[int | None] = mapped_column(index=True)

    routing: Mapped[dict[str, Any] | None]
    routing_explanation: Mapped[str | None] = mapped_column(Text)
    catalog_version: Mapped[str | None] = mapped_column(String(64))
    matter_name: Mapped[str | None] = mapped_column(String(128))
    domain: Mapped[str | None] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(24), default="intake")
    status: Mapped[str] = mapped_column(String(16), default="open")
    primary_unit: Mapped[str | None] = mapped_column(String(64), index=True)
    supporting_units: Mapped[list[str]]
    sign_for_due: Mapped[datetime | None] = mapped_column(UtcDateTime)
    handle_due: Mapped[datetime | None] = mapped_column(UtcDateTime)
    due_provisional: Mapped[bool] = mapped_column(default=False)
    overdue: Mapped[bool] = mapped_column(default=False)
    extension_count: Mapped[int] = mapped_column(default=0)
    return_count: Mapped[int] = mapped_column(default=0)
    reopen_count: Mapped[int] = mapped_column(default=0)
    listed: Mapped[bool] = mapped_column(default=False)
    valid: Mapped[bool] = mapped_column(default=True)
    closure_kind: Mapped[str | None] = mapped_column(String(16))
    closure_reason: Mapped[str | None] = mapped_column(Text)
    merged_into: Mapped[int | None]
    reply_text: Mapped[str | None] = mapped_column(Text)
    satisfaction: Mapped[str | None] = mapped_column(String(16))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    @property
    def extensions_allowed(self) -> int:
        """How many extensions the catalog allows for the routed matter (the diagram's
        ``extensions_allowed``: one when the catalog gives no time limits)."""
        limits = (self.routing or {}).get("time_limits")
        return int(limits.get("extensions", 1)) if isinstance(limits, dict) else 1

    @property
    def extension_possible(self) -> bool:
        """Whether the unit may still ask for an extension."""
        return extension_possible(allowed=self.extensions_allowed, used=self.extension_count)


class ComplaintStage(Base):
    """One measured stage (one human task) of a complaint. ``on_time`` is frozen when the
    stage ends, so monthly rankings computed from it never change afterwards."""

    __tablename__ = "complaint_stage"
    __table_args__ = (
        UniqueConstraint("task_id"),
        Index("ix_complaint_stage_open", "county", "unit", "ended_at", "due_at"),
        # Analytics: a stage kind's rows ended in a month, or still open (ADR 0007).
        Index("ix_complaint_stage_period", "county", "stage", "ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    stage: Mapped[str] = mapped_column(String(32))
    task_id: Mapped[str] = mapped_column(String(36))
    unit: Mapped[str | None] = mapped_column(String(128), index=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    outcome: Mapped[str | None] = mapped_column(String(16))
    on_time: Mapped[bool | None]
    actor: Mapped[str | None] = mapped_column(String(128))


class AmendmentProposal(Base):
    """A catalog change proposed by a joint consultation, for the organisation department."""

    __tablename__ = "amendment_proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    matter_id: Mapped[str | None] = mapped_column(String(32))
    catalog_version: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    decided_primary: Mapped[str | None] = mapped_column(String(64))
    decided_supporting: Mapped[list[str]]
    decision_note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(128))


class PhoneCheckFailure(Base):
    """A wrong phone number given to see or rate an anonymous report. Counted per report
    across every browser session, so clearing cookies does not buy more guesses."""

    __tablename__ = "phone_check_failure"
    __table_args__ = (Index("ix_phone_check_failure_recent", "complaint_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
