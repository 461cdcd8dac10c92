"""The account desk pages use, and the one actor format of every step."""

from __future__ import annotations

import pytest

from engine.core.transactions import run_step
from engine.people import Account, AccountDesk, AccountRejected, actor_of, create_account

OLD = "old-password-1"
NEW = "new-password-2"


@pytest.fixture
def accounts(host, clock) -> AccountDesk:
    run_step(
        host.session_factory,
        lambda s: create_account(
            username="water",
            display_name="王供水",
            password=OLD,
            role="unit_staff",
            unit_id="water",
            county="julu",
            now=clock.now(),
            session=s,
        ),
    )
    return AccountDesk(host)


def test_sign_in_sign_out_and_change_password(accounts):
    account = accounts.authenticate("water", OLD)
    assert account is not None and account.session_version == 0
    assert accounts.authenticate("water", "wrong") is None
    assert accounts.active_account(account.id) == account
    assert accounts.active_account(999_999) is None

    accounts.end_sessions(account.id)
    # The account is active
    assert accounts.active_account(account.id).session_version == 1  # type: ignore[union-attr]

    with pytest.raises(AccountRejected) as refused:
        accounts.change_password(account.id, "wrong", NEW, NEW)
    assert "old_password" in refused.value.errors
    changed = accounts.change_password(account.id, OLD, NEW, NEW)
    assert changed.session_version == 2 and accounts.authenticate("water", NEW) is not None


def test_display_names(accounts):
    assert accounts.display_names(["water", "nobody"]) == {"water": "王供水"}
    assert accounts.display_names([]) == {}


def _account(role: str, username: str = "li") -> Account:
    return Account(1, username, "李", role, None, (), "julu")


def test_one_actor_format():
    assert actor_of(None) == "public"
    assert actor_of(_account("grid_worker")) == "grid:li"
    assert actor_of(_account("resident")) == "reporter:li"
    assert actor_of(_account("dispatcher", "zhao")) == "zhao"
    assert actor_of(_account("unit_lead", "water")) == "water"
