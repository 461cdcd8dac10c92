"""Passwords and sign-in sessions: checking a password, changing it, ending every session."""

from __future__ import annotations

import secrets
from functools import cache

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from engine.people.accounts import MIN_PASSWORD_LENGTH, Account, AccountRejected
from engine.people.models import UserAccount


@cache
def _dummy_hash() -> str:
    """A hash of a random password, made with the current default method.

    An unknown username is checked against it, so a failed sign-in costs the same password
    hash whether or not the account exists (otherwise the response time names real users).
    """
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(username: str, password: str, *, session: Session) -> Account | None:
    """The active account whose password this is, or ``None``; same work either way."""
    row = session.scalars(
        select(UserAccount).where(UserAccount.username == username, UserAccount.active)
    ).first()
    stored = row.password_hash if row is not None else _dummy_hash()
    if not check_password_hash(stored, password) or row is None:
        return None
    return Account.of(row)


def _password_errors(new_password: str, repeated: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if len(new_password) < MIN_PASSWORD_LENGTH:
        errors["new_password"] = f"新密码至少 {MIN_PASSWORD_LENGTH} 位"
    elif new_password != repeated:
        errors["new_password_again"] = "两次输入的新密码不一致"
    return errors


def change_password(
    account_id: int, old_password: str, new_password: str, repeated: str, *, session: Session
) -> Account:
    """Set a signed-in person's new password after checking the old one; every session of
    the account ends (the caller signs the current one in again with the returned account).

    :raises AccountRejected: wrong old password, or a new one that is too short or mistyped.
    """
    row = session.get(UserAccount, account_id)
    if row is None or not row.active:
        raise AccountRejected({"old_password": "账号不存在或已停用"})
    errors = _password_errors(new_password, repeated)
    if not check_password_hash(row.password_hash, old_password):
        errors = {"old_password": "原密码不正确"}
    elif new_password == old_password and not errors:
        errors["new_password"] = "新密码不能与原密码相同"
    if errors:
        raise AccountRejected(errors)
    row.password_hash = generate_password_hash(new_password)
    row.session_version += 1
    session.flush()
    return Account.of(row)


def set_password(username: str, new_password: str, *, session: Session) -> Account:
    """An administrator's reset (command line): no old password; every session ends.

    :raises AccountRejected: unknown username or a password that is too short.
    """
    row = session.scalars(select(UserAccount).where(UserAccount.username == username)).first()
    if row is None:
        raise AccountRejected({"username": f"用户名“{username}”不存在"})
    errors = _password_errors(new_password, new_password)
    if errors:
        raise AccountRejected({"password": errors["new_password"]})
    row.password_hash = generate_password_hash(new_password)
    row.session_version += 1
    session.flush()
    return Account.of(row)


def end_sessions(account_id: int, *, session: Session) -> None:
    """Make every cookie issued to the account so far useless (signing out)."""
    session.execute(
        update(UserAccount)
        .where(UserAccount.id == account_id)
        .values(session_version=UserAccount.session_version + 1)
    )
