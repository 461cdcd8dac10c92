"""Tables of catalog revision: consultation rounds, unit opinions, accepted proposals.

These are projections of the ``catalog_revision`` workflow (ADR 0006), written in the same
step as the workflow, for the department's pages and the units' own page.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.core.persistence.base import Base, CountyKey
from engine.core.persistence.types import UtcDateTime


class CatalogRevision(Base):
    """One consultation on one draft: from sending it out to publication or withdrawal.

    ``stage`` is ``collecting`` (units answering), ``review`` (the department decides),
    ``revising`` (the draft is editable again before a new round), ``published`` or
    ``withdrawn``.
    """

    __tablename__ = "catalog_revision"
    __table_args__ = (Index("ix_catalog_revision_label", "county", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    label: Mapped[str] = mapped_column(String(64))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    round: Mapped[int] = mapped_column(default=0)
    stage: Mapped[str] = mapped_column(String(16), default="collecting")
    opinion_days: Mapped[int]
    deadline: Mapped[datetime | None] = mapped_column(UtcDateTime)
    effective: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CatalogOpinion(Base):
    """A unit's answer in one round: ``pending``, ``agree``, ``object`` or ``none`` (no
    answer before the deadline)."""

    __tablename__ = "catalog_opinion"
    __table_args__ = (UniqueConstraint("revision_id", "round", "unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    revision_id: Mapped[int] = mapped_column(ForeignKey("catalog_revision.id"), index=True)
    round: Mapped[int]
    unit: Mapped[str] = mapped_column(String(64), index=True)
    matters: Mapped[list[str]]
    opinion: Mapped[str] = mapped_column(String(16), default="pending")
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_by: Mapped[str | None] = mapped_column(String(128))
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ProposalAcceptance(Base):
    """An amendment proposal taken into a draft by the organisation department."""

    __tablename__ = "proposal_acceptance"
    __table_args__ = (UniqueConstraint("proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    proposal_id: Mapped[int] = mapped_column(ForeignKey("amendment_proposal.id"))
    label: Mapped[str] = mapped_column(String(64))
    accepted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    accepted_by: Mapped[str] = mapped_column(String(128))
