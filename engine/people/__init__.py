"""People and roles: staff accounts, the groups they act for, and units' task assignment tables."""

from engine.people.accounts import (
    ROLES,
    Account,
    AccountRejected,
    create_account,
    display_names,
    groups_of,
)
from engine.people.credentials import authenticate, change_password, end_sessions, set_password
from engine.people.models import UnitAssignment, UserAccount
from engine.people.password_reset import reset_password
from engine.people.seeding import (
    AccountSeed,
    AssignmentSeed,
    accounts_by_username,
    seed_accounts,
)

__all__ = [
    "ROLES",
    "Account",
    "AccountRejected",
    "UnitAssignment",
    "UserAccount",
    "authenticate",
    "change_password",
    "create_account",
    "display_names",
    "end_sessions",
    "groups_of",
    "reset_password",
    "set_password",
    "AccountSeed",
    "AssignmentSeed",
    "accounts_by_username",
    "seed_accounts",
]

# For pages: the account desk (sign in and out, one's own password, names) and the one actor
# format of every step.
from engine.people.account_desk import AccountDesk  # noqa: E402
from engine.people.actors import actor_of  # noqa: E402

__all__ += ["AccountDesk", "actor_of"]
