"""People and roles: staff accounts, the groups they act for, and units' task assignment tables."""

from engine.people.accounts import (
    ROLES,
    Account,
    AccountRejected,
    authenticate,
    create_account,
    display_names,
    groups_of,
)
from engine.people.models import UnitAssignment, UserAccount

__all__ = [
    "ROLES",
    "Account",
    "AccountRejected",
    "UnitAssignment",
    "UserAccount",
    "authenticate",
    "create_account",
    "display_names",
    "groups_of",
]
