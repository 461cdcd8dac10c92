"""Signing in and out, changing one's own password, and reading accounts for pages: each
write one step (one transaction, retried on a lost race), each read a short session."""

from __future__ import annotations

from collections.abc import Iterable

from engine.core.host import WorkflowHost
from engine.core.transactions import run_step
from engine.people.accounts import Account, display_names
from engine.people.credentials import authenticate, change_password, end_sessions
from engine.people.models import UserAccount


class AccountDesk:
    """Holds no registrations on the host: build one wherever a host is at hand."""

    def __init__(self, host: WorkflowHost) -> None:
        self.host = host

    def active_account(self, account_id: int) -> Account | None:
        """The account if it exists and is active (a deactivated one signs nobody in)."""
        with self.host.session_factory() as session:
            row = session.get(UserAccount, account_id)
            return Account.of(row) if row is not None and row.active else None

    def authenticate(self, username: str, password: str) -> Account | None:
        """The account whose password this is; None for a wrong name or password."""
        with self.host.session_factory() as session:
            return authenticate(username, password, session=session)

    def end_sessions(self, account_id: int) -> None:
        """Sign the person out everywhere: every cookie issued so far stops working."""
        run_step(self.host.session_factory, lambda s: end_sessions(account_id, session=s))

    def change_password(
        self, account_id: int, old_password: str, new_password: str, repeated: str
    ) -> Account:
        """:raises AccountRejected: naming each bad field; nothing changed."""
        return run_step(
            self.host.session_factory,
            lambda s: change_password(account_id, old_password, new_password, repeated, session=s),
        )

    def display_names(self, usernames: Iterable[str]) -> dict[str, str]:
        """The display name of each of ``usernames`` that has an account."""
        wanted = list(usernames)
        with self.host.session_factory() as session:
            return display_names(wanted, session=session)
