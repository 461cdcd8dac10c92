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
    "set_password",
    "AccountSeed",
    "AssignmentSeed",
    "accounts_by_username",
    "seed_accounts",
]
