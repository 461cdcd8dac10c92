"""The one actor format: how a signed-in person (or nobody) is named as the actor of a step,
in audit events, stage records and reports alike."""

from __future__ import annotations

from engine.people.accounts import Account

PUBLIC_ACTOR = "public"


def actor_of(account: Account | None) -> str:
    """``grid:<username>`` for grid workers and ``reporter:<username>`` for residents (the
    groups the visibility rules look for), the bare username for staff, ``public`` for
    someone not signed in."""
    if account is None:
        return PUBLIC_ACTOR
    if account.role == "grid_worker":
        return f"grid:{account.username}"
    if account.role == "resident":
        return f"reporter:{account.username}"
    return account.username
