"""Tables for people: accounts and each unit's table of who handles what."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.core.persistence.base import Base, CountyKey
from engine.core.persistence.types import UtcDateTime


class UserAccount(Base):
    __tablename__ = "user_account"
    __table_args__ = (UniqueConstraint("username"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    username: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(24))
    unit_id: Mapped[str | None] = mapped_column(String(64), index=True)
    grids: Mapped[list[str]]
    phone: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Signed cookies cannot be revoked one by one: each carries the version current at sign-in,
    # and signing out or changing the password moves it on, so older cookies stop working.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")


class UnitAssignment(Base):
    """A unit's own table: who handles which domain or matter (张王疃乡's 13 classes)."""

    __tablename__ = "unit_assignment"
    __table_args__ = (UniqueConstraint("county", "unit_id", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    unit_id: Mapped[str] = mapped_column(String(64), index=True)
    # A matter id (D04-01) or a domain id (D04): the most specific entry wins.
    scope: Mapped[str] = mapped_column(String(32))
    username: Mapped[str] = mapped_column(String(64))
