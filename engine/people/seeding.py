"""Accounts created in bulk by seeding (the demo county, a fresh deployment's first staff):
each account through :func:`create_account`, the whole batch one step."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from engine.core.host import WorkflowHost
from engine.core.transactions import run_step
from engine.people.accounts import Account, create_account
from engine.people.models import UnitAssignment, UserAccount


@dataclass(frozen=True)
class AccountSeed:
    username: str
    display_name: str
    role: str
    unit_id: str | None = None
    grids: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class AssignmentSeed:
    """``username`` handles the ``scope`` class of work of unit ``unit_id``."""

    unit_id: str
    scope: str
    username: str


def seed_accounts(
    host: WorkflowHost,
    accounts: Iterable[AccountSeed],
    *,
    password: str,
    county: str,
    assignments: Iterable[AssignmentSeed] = (),
) -> list[str]:
    """Create the accounts whose username is not taken and the assignments not yet made,
    all sharing ``password``; returns the usernames created (idempotent)."""
    shared_hash = generate_password_hash(password)  # hashed once: hashing is slow on purpose
    accounts, assignments = list(accounts), list(assignments)
    now = host.clock.now()

    def step(session: Session) -> list[str]:
        existing = set(session.scalars(select(UserAccount.username)))
        made = []
        for seed in accounts:
            if seed.username in existing:
                continue
            create_account(
                username=seed.username,
                display_name=seed.display_name,
                password=password,
                role=seed.role,
                unit_id=seed.unit_id,
                grids=list(seed.grids),
                county=county,
                now=now,
                password_hash=shared_hash,
                session=session,
            )
            made.append(seed.username)
        known = set(session.execute(select(UnitAssignment.unit_id, UnitAssignment.scope)).all())
        for a in assignments:
            if (a.unit_id, a.scope) not in known:
                session.add(
                    UnitAssignment(
                        county=county, unit_id=a.unit_id, scope=a.scope, username=a.username
                    )
                )
        return made

    return run_step(host.session_factory, step)


def accounts_by_username(host: WorkflowHost, usernames: Iterable[str]) -> dict[str, Account]:
    """The accounts of ``usernames`` that exist, by username."""
    wanted = sorted(set(usernames))
    with host.session_factory() as session:
        rows = session.scalars(select(UserAccount).where(UserAccount.username.in_(wanted)))
        return {row.username: Account.of(row) for row in rows}
