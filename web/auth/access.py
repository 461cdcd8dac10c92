"""Who is signed in, and decorators that keep pages to the roles they are for."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, redirect, request, session, url_for

from engine.people import Account
from web.counts_cache import cached_count, forget
from web.platform import current_desks

F = TypeVar("F", bound=Callable[..., Any])


SESSION_VERSION_KEY = "session_version"


def current_account() -> Account | None:
    if "account" not in g:
        account_id = session.get("account_id")
        account = (
            None
            if account_id is None
            else cached_count(("account", account_id), lambda: _load_account(account_id))
        )
        # A cookie from before the last sign-out or password change carries an older version.
        if account is not None and session.get(SESSION_VERSION_KEY) != account.session_version:
            account = None
        g.account = account
    return g.account


def sign_in(account: Account) -> None:
    """Start a fresh session for ``account`` (nothing of the previous one is kept)."""
    session.clear()
    session["account_id"] = account.id
    session[SESSION_VERSION_KEY] = account.session_version
    g.pop("account", None)
    forget(("account", account.id))


def _load_account(account_id: int) -> Account | None:
    # Read at most every few seconds per process (counts_cache): a deactivated account, or a
    # session ended in another process, is refused within that time (in this process at once).
    return current_desks().accounts.active_account(account_id)


def login_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_account() is None:
            if request.path.startswith("/api/"):
                abort(401, description="请先登录")
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]  # functools.wraps keeps the view's signature


def roles_required(*roles: str) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            account = current_account()
            if account is None or account.role not in roles:
                abort(403, description="您的岗位无权访问此页面")
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]  # functools.wraps keeps the view's signature

    return decorator
