"""API keys: issue (shown once), authenticate, revoke."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.core.audit import record_event
from engine.core.errors import EngineError
from engine.open311.models import ApiClient

KEY_PREFIX_LENGTH = 12  # 'jhb_' and 8 random characters


class ClientRejected(EngineError):
    pass


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issue_key(
    name: str,
    *,
    contact: str = "",
    requests_per_minute: int = 30,
    county: str,
    actor: str,
    now: datetime,
    session: Session,
) -> tuple[ApiClient, str]:
    """Create a client and return it with its key, which is never shown again."""
    name = name.strip()
    if not name:
        raise ClientRejected("请填写应用名称")
    if not 1 <= requests_per_minute <= 6000:
        raise ClientRejected("每分钟请求上限应在 1 到 6000 之间")
    key = "jhb_" + secrets.token_urlsafe(32)
    client = ApiClient(
        county=county,
        name=name[:128],
        contact=contact.strip()[:256],
        key_prefix=key[:KEY_PREFIX_LENGTH],
        key_hash=_digest(key),
        requests_per_minute=requests_per_minute,
        created_by=actor,
        created_at=now,
    )
    session.add(client)
    session.flush()
    record_event(
        county=county,
        at=now,
        actor=actor,
        action="open311.key_issued",
        detail={"client_id": client.id, "name": client.name, "prefix": client.key_prefix},
        session=session,
    )
    return client, key


def authenticate(
    key: str, *, county: str | None, now: datetime, session: Session
) -> ApiClient | None:
    """The active client holding ``key``, or ``None`` (unknown or revoked).

    :param county: the county the key must belong to; ``None``: any (the key tells).
    """
    if not key:
        return None
    digest = _digest(key)
    stmt = select(ApiClient).where(ApiClient.key_prefix == key[:KEY_PREFIX_LENGTH])
    if county is not None:
        stmt = stmt.where(ApiClient.county == county)
    candidates = session.scalars(stmt)
    for client in candidates:
        if client.revoked_at is None and hmac.compare_digest(client.key_hash, digest):
            session.execute(
                update(ApiClient).where(ApiClient.id == client.id).values(last_used_at=now)
            )
            return client
    return None


def revoke(client_id: int, *, county: str, actor: str, now: datetime, session: Session) -> None:
    client = session.get(ApiClient, client_id)
    if client is None or client.county != county:
        raise ClientRejected(f"应用 {client_id} 不存在")
    if client.revoked_at is None:
        client.revoked_at, client.revoked_by = now, actor
        record_event(
            county=county,
            at=now,
            actor=actor,
            action="open311.key_revoked",
            detail={"client_id": client.id, "name": client.name},
            session=session,
        )


def clients(*, county: str, session: Session) -> list[ApiClient]:
    return list(
        session.scalars(select(ApiClient).where(ApiClient.county == county).order_by(ApiClient.id))
    )
