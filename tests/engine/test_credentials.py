"""Passwords and the session version on both databases: signing out, changing or resetting a
password moves the version on; nothing changes when the change is refused."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from engine.people import (
    AccountRejected,
    authenticate,
    change_password,
    create_account,
    end_sessions,
    set_password,
)

OLD = "old-password-1"
NEW = "new-password-2"


@pytest.fixture
def sessions(db, clock) -> sessionmaker[Session]:
    factory = sessionmaker(db, expire_on_commit=False)
    with factory.begin() as s:
        create_account(
            username="water",
            display_name="水利局",
            password=OLD,
            role="unit_staff",
            unit_id="water",
            county="julu",
            now=clock.now(),
            session=s,
        )
    return factory


def _version(sessions) -> int:
    with sessions() as s:
        account = authenticate("water", OLD, session=s) or authenticate("water", NEW, session=s)
        assert account is not None
        return account.session_version


def test_new_accounts_start_at_version_zero_and_sign_out_moves_it(sessions):
    assert _version(sessions) == 0
    with sessions.begin() as s:
        # The account was created above
        end_sessions(authenticate("water", OLD, session=s).id, session=s)  # type: ignore[union-attr]
    assert _version(sessions) == 1


def test_change_and_reset_move_the_version(sessions):
    with sessions.begin() as s:
        account = authenticate("water", OLD, session=s)
        # The account was created above
        changed = change_password(account.id, OLD, NEW, NEW, session=s)  # type: ignore[union-attr]
    assert changed.session_version == 1 and _version(sessions) == 1
    with sessions.begin() as s:
        assert set_password("water", OLD, session=s).session_version == 2
    with sessions() as s:
        assert authenticate("water", OLD, session=s) is not None


def test_refused_change_changes_nothing(sessions):
    with pytest.raises(AccountRejected) as refused, sessions.begin() as s:
        account = authenticate("water", OLD, session=s)
        # The account was created above
        change_password(account.id, "wrong", NEW, NEW, session=s)  # type: ignore[union-attr]
    assert refused.value.errors == {"old_password": "原密码不正确"}
    assert _version(sessions) == 0
    with sessions() as s:
        assert authenticate("water", OLD, session=s) is not None
