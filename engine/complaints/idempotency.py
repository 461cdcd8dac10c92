"""Idempotent intake (ADR 0015): a client's key for one report, stored in the same
transaction as the complaint it created, so a retry after a lost answer (a timeout, a killed
server) finds the first complaint instead of filing a second one.

A key belongs to a scope (which create endpoint) and a client (who sent it). Only a report
that was stored is remembered: a refused one rolls back with its key, so the client may fix
the fields and send again under the same key. Keys are kept :data:`KEEP_FOR`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, UniqueConstraint, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from engine.core.errors import EngineError
from engine.core.persistence.base import Base, CountyKey
from engine.core.persistence.types import UtcDateTime

KEEP_FOR = timedelta(days=7)
MAX_KEY = 255  # the longest key accepted (Stripe's limit; UUIDs are 36)


class IdempotencyKey(Base):
    """One remembered key: which request it was (a fingerprint of what was sent) and the
    complaint it created. ``complaint_id`` is empty only inside the creating transaction."""

    __tablename__ = "idempotency_key"
    __table_args__ = (
        UniqueConstraint("county", "scope", "client", "key", name="uq_idempotency_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    scope: Mapped[str] = mapped_column(String(32))
    client: Mapped[str] = mapped_column(String(160))
    key: Mapped[str] = mapped_column(String(MAX_KEY))
    fingerprint: Mapped[str] = mapped_column(String(64))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


@dataclass(frozen=True)
class Intent:
    """A create request under a key: ``fingerprint`` tells a retry (same request) from a
    different request that reuses the key."""

    scope: str
    client: str
    key: str
    fingerprint: str


class KeyReused(EngineError):
    """The key already stands for a different request; nothing was stored."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(
            f"Idempotency-Key“{key[:64]}”已用于另一份内容不同的请求：重试时请原样重发，"
            "提交新的诉求请换一个新的键"
        )


class KeyInFlight(EngineError):
    """The first request under this key has not finished (not seen on our databases, whose
    writers wait for each other; kept so a surprise is a clear 409, not a second report)."""

    def __init__(self) -> None:
        super().__init__("使用同一 Idempotency-Key 的请求正在处理中，请稍后用同一个键重试")


def _same(intent: Intent, county: str):
    return (
        IdempotencyKey.county == county,
        IdempotencyKey.scope == intent.scope,
        IdempotencyKey.client == intent.client,
        IdempotencyKey.key == intent.key,
    )


def claim(intent: Intent, *, county: str, now: datetime, session: Session) -> int | None:
    """Take the key for this transaction, or find the complaint an earlier request made.

    The insert waits while another transaction holds the same key (PostgreSQL's unique
    index; SQLite's single writer), so a concurrent duplicate sees the first one's outcome:
    its complaint if it committed, the key free again if it rolled back.

    :return: ``None`` when this request is the first (the caller creates, then
        :func:`settle`); otherwise the id of the complaint the first request created.
    :raises KeyReused: the key was used for a different request.
    """
    session.execute(
        delete(IdempotencyKey).where(*_same(intent, county), IdempotencyKey.expires_at <= now)
    )
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    taken = session.scalar(
        insert(IdempotencyKey)
        .values(
            county=county,
            scope=intent.scope,
            client=intent.client,
            key=intent.key,
            fingerprint=intent.fingerprint,
            created_at=now,
            expires_at=now + KEEP_FOR,
        )
        .on_conflict_do_nothing(index_elements=["county", "scope", "client", "key"])
        .returning(IdempotencyKey.id)
    )
    if taken is not None:
        return None
    earlier = session.execute(
        select(IdempotencyKey.fingerprint, IdempotencyKey.complaint_id).where(
            *_same(intent, county)
        )
    ).one()
    if earlier.fingerprint != intent.fingerprint:
        raise KeyReused(intent.key)
    if earlier.complaint_id is None:
        raise KeyInFlight()
    return earlier.complaint_id


def settle(intent: Intent, complaint_id: int, *, county: str, session: Session) -> None:
    """Record what the key created, in the transaction that created it."""
    session.execute(
        update(IdempotencyKey).where(*_same(intent, county)).values(complaint_id=complaint_id)
    )


def purge_expired(*, now: datetime, session: Session) -> int:
    """Forget keys past their time (the scheduler runs this hourly); returns how many."""
    result = session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at <= now))
    return result.rowcount or 0
