"""The working calendar's table: the official holiday schedules a county has entered."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.core.persistence.base import Base, CountyKey
from engine.core.persistence.types import UtcDateTime


class HolidayScheduleEntry(Base):
    """A year's official holiday schedule as an administrator entered it."""

    __tablename__ = "holiday_schedule"
    __table_args__ = (UniqueConstraint("county", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    year: Mapped[int]
    data: Mapped[dict[str, Any]]
    entered_by: Mapped[str] = mapped_column(String(128))
    entered_at: Mapped[datetime] = mapped_column(UtcDateTime)
