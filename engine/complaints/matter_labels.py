"""The matter a dispatcher gave a case: the labels the county's suggestion model learns from.

Labels are written by the complaint projection in the same transaction as the step that chose
the matter (``determine``, or ``adjudicate`` when a unit's return is accepted), never by a web
page: every state change goes through the process instance. They belong to the complaint
domain; ``engine.intake`` reads them to train the county's model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from engine.catalog_store import CatalogRegistry
from engine.complaints.models import Complaint
from engine.core.persistence.base import Base, CountyKey
from engine.core.persistence.types import UtcDateTime
from responsibility_catalog import Catalog, select_in_force
from rules import CHINA_TZ

__all__ = [
    "CATALOGS",
    "DISPATCHER",
    "RETURN",
    "MatterLabel",
    "NamedMatter",
    "case_catalog",
    "named_matter",
    "record_label",
]

DISPATCHER, RETURN = "dispatcher", "return"


class MatterLabel(Base):
    """The matter of one complaint as the dispatcher confirmed or corrected it (``dispatcher``)
    or as settled when a unit's return was accepted (``return``). One row per complaint: a
    later label replaces an earlier one. ``text`` is the description the label was given for."""

    __tablename__ = "matter_label"
    __table_args__ = (
        UniqueConstraint("complaint_id"),
        Index("ix_matter_label_recent", "county", "labelled_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"))
    matter_id: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text)
    labelled_at: Mapped[datetime] = mapped_column(UtcDateTime)


# One registry for the intake read models and the projection: catalog versions are immutable,
# so sharing the loaded copies is safe and keeps one copy of each in memory.
CATALOGS = CatalogRegistry()


@dataclass(frozen=True)
class NamedMatter:
    matter_id: str
    name: str
    domain: str


def case_catalog(
    *,
    county: str,
    label: str | None,
    received_at: datetime | None,
    session: Session,
    registry: CatalogRegistry = CATALOGS,
) -> Catalog | None:
    """The catalog version a case was routed with (``label``), else the one in force on the
    day it arrived, else the one in force today."""
    catalogs = registry.in_force(county=county, session=session)
    for catalog in catalogs:
        if label and catalog.label == label:
            return catalog
    day = received_at.astimezone(CHINA_TZ).date() if received_at else None
    found = select_in_force(catalogs, day) if day else None
    return found or select_in_force(catalogs, date.max)


def named_matter(catalog: Catalog | None, matter_id: object) -> NamedMatter | None:
    """The matter ``matter_id`` names in ``catalog`` (ids only), or None."""
    if catalog is None or not isinstance(matter_id, str):
        return None
    matter = catalog.matters_by_id.get(matter_id.strip())
    if matter is None:
        return None
    return NamedMatter(matter.id, matter.name, catalog.domain_of[matter.id].name)


def record_label(
    complaint: Complaint, *, source: str, actor: str, now: datetime, session: Session
) -> MatterLabel:
    """Label ``complaint``'s description with its current matter (one row per complaint: a
    later label replaces the earlier one, text included)."""
    if source not in (DISPATCHER, RETURN):
        raise ValueError(f"unknown label source {source!r}")
    if not complaint.matter_id:
        raise ValueError("a label needs a matter")
    row = session.scalar(select(MatterLabel).where(MatterLabel.complaint_id == complaint.id))
    if row is None:
        row = MatterLabel(county=complaint.county, complaint_id=complaint.id)
        session.add(row)
    row.matter_id = complaint.matter_id
    row.source = source
    row.actor = actor
    row.text = complaint.description
    row.labelled_at = now
    return row
