"""All row locking goes through here (Airflow's ``with_row_locks``)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session

S = TypeVar("S", bound=Select[Any])


def with_row_locks(stmt: S, *, session: Session, skip_locked: bool = True, of: Any = None) -> S:
    """Lock the selected rows for this transaction, skipping rows other workers hold.

    PostgreSQL gets ``FOR UPDATE SKIP LOCKED`` so several workers share due rows. SQLite has
    no row locks; its transactions already start with ``BEGIN IMMEDIATE`` (one writer at a
    time), so the statement is returned unchanged. The statement should ``order_by`` ending
    in the primary key so concurrent claimers see a stable order.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return stmt.with_for_update(skip_locked=skip_locked, of=of)
    if dialect == "sqlite":
        return stmt
    return stmt.with_for_update(skip_locked=skip_locked, of=of)
