"""People and roles: staff accounts, the groups they act for, and units' task assignment tables."""

from engine.people.account_desk import AccountDesk
from engine.people.accounts import (
    ROLES,
    Account,
    AccountRejected,
    create_account,
    display_names,
    groups_of,
)
from engine.people.actors import actor_of
from engine.people.credentials import authenticate, change_password, end_sessions, set_password
from engine.people.password_reset import reset_password
from engine.people.seeding import AccountSeed, AssignmentSeed, accounts_by_username, seed_accounts

__all__ = [
    "ROLES",
    "Account",
    "AccountDesk",
    "AccountRejected",
    "AccountSeed",
    "AssignmentSeed",
    "accounts_by_username",
    "actor_of",
    "authenticate",
    "change_password",
    "create_account",
    "display_names",
    "end_sessions",
    "groups_of",
    "reset_password",
    "seed_accounts",
    "set_password",
]
