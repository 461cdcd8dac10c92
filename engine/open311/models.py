"""Tables for Open311: the client applications allowed to submit, and what they submitted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.core.persistence.base import Base, CountyKey
from engine.core.persistence.types import UtcDateTime


class ApiClient(Base):
    """An application (a province's app, a vendor's system) with its own key.

    Only a SHA-256 of the key is stored: keys are 32 random bytes, so a slow password hash
    would add nothing but latency; the prefix identifies a key in lists and logs.
    """

    __tablename__ = "api_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    name: Mapped[str] = mapped_column(String(128))
    contact: Mapped[str] = mapped_column(String(256), default="")
    key_prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    requests_per_minute: Mapped[int] = mapped_column(default=30)
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(128))
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Open311Submission(Base):
    """What a client sent beside the complaint itself: never returned by GET except
    ``media_url``; reporter contact fields stay in the complaint (for the callback)."""

    __tablename__ = "open311_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_client.id"), index=True)
    media_url: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]]
    address_string: Mapped[str | None] = mapped_column(Text)
    device_id: Mapped[str | None] = mapped_column(String(128))
    account_id: Mapped[str | None] = mapped_column(String(128))
    email: Mapped[str | None] = mapped_column(String(256))
