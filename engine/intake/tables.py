"""The table of intake learning: the county's model versions (the labelled texts each was
trained on, never a pickled model: a database row must never be code). The labels themselves
are the complaint domain's (``engine.complaints.matter_labels``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Select, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from engine.core.persistence.base import Base, CountyKey
from engine.core.persistence.types import UtcDateTime


class IntakeModel(Base):
    """One version of a county's suggestion model: the labelled texts ``[[text, matter_id],
    …]`` it is fitted from (in memory, see ``engine.intake.models``) and the figures measured
    when it was built."""

    __tablename__ = "intake_model"
    __table_args__ = (UniqueConstraint("county", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    catalog_label: Mapped[str] = mapped_column(String(64))
    examples: Mapped[list[Any]] = mapped_column(JSON)
    # sha256 of the examples: fitted models are cached by it, so a cache never mixes up two
    # databases' (or a restored backup's) versions that share a number.
    examples_digest: Mapped[str] = mapped_column(String(64))
    figures: Mapped[dict[str, Any]]


def newest(county: str, *columns: Any) -> Select[Any]:
    """``columns`` of the county's newest model version (one row at most): callers name the
    columns they need, since ``examples`` is the bulk of a row."""
    return (
        select(*columns)
        .where(IntakeModel.county == county)
        .order_by(IntakeModel.version.desc())
        .limit(1)
    )
