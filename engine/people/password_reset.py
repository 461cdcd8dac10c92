"""An administrator's password reset on a host (``juhaoban users set-password``)."""

from __future__ import annotations

from engine.core.host import WorkflowHost
from engine.core.transactions import run_step
from engine.people.accounts import Account
from engine.people.credentials import set_password


def reset_password(host: WorkflowHost, username: str, new_password: str) -> Account:
    """Set ``username``'s password without the old one; every session of the account ends.

    :raises AccountRejected: unknown username or a password that is too short.
    """
    return run_step(host.session_factory, lambda s: set_password(username, new_password, session=s))
