"""Request rate limits (Flask-Limiter): password guessing at sign-in, and Open311 reads.

Counts live in ``JUHAOBAN_RATELIMIT_STORAGE_URI`` (default ``memory://``: per process, which
is right for the embedded server; several gunicorn workers should share ``redis://…``, or
each allows the full rate). Why each limit is what it is: docs/adr/0014.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Flask, Response, g, make_response, render_template, request, session
from flask_limiter import Limiter, RateLimitExceeded, RequestLimit
from flask_limiter.util import get_remote_address

from rules import CHINA_TZ

# Sign-in: only failed attempts count (a 401), so people who type their password right are
# never slowed down. One address may not guess at one account more than a few times a minute;
# the account-wide limit stops guessing spread over many addresses but takes several of them
# to reach, so one attacker cannot lock a person out of their own account.
LOGIN_PER_ACCOUNT_AND_ADDRESS = "5 per minute; 20 per hour"
LOGIN_PER_ACCOUNT = "50 per hour"
LOGIN_PER_ADDRESS = "30 per minute"
PASSWORD_CHANGE_PER_ACCOUNT = "5 per minute; 20 per hour"
# Open311 reads need no key; a key raises the allowance (counted per key, not per address).
OPEN311_ANONYMOUS_READS = "60 per minute"
OPEN311_KEY_READS = "600 per minute"

# Matter suggestions as a person types (public, ~1 ms of CPU each): generous, since a whole
# village may share one address, but a script cannot spend a server's cores on it.
SUGGESTIONS_PER_ADDRESS = "300 per minute"

limiter = Limiter(key_func=get_remote_address)


def init_app(app: Flask) -> None:
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI", os.environ.get("JUHAOBAN_RATELIMIT_STORAGE_URI") or "memory://"
    )
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")  # no double burst at a boundary
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)  # Retry-After on every 429
    # Set for each app: the extension object is shared, and otherwise keeps the last app's value.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, _too_many_requests)


def _try_again(limit: RequestLimit | None) -> str:
    """When to try again, as a clock time (the exact seconds are in ``Retry-After``)."""
    if limit is None:
        return "请稍后再试"
    return f"请于北京时间 {datetime.fromtimestamp(limit.reset_at, CHINA_TZ):%H:%M:%S} 后再试"


def _too_many_requests(err: RateLimitExceeded) -> Any:
    if err.response is not None:  # built by the limit's on_breach
        return err.response
    message = f"{err.description}，{_try_again(limiter.current_limit)}"
    if request.path.startswith("/open311/"):
        from web.open311.formats import error_response

        return error_response("xml" if request.path.endswith(".xml") else "json", 429, [message])
    return render_template("error.html", title="请求过于频繁", message=message), 429


# ---- sign-in ------------------------------------------------------------------------------


def _username() -> str:
    return "account:" + request.form.get("username", "").strip()[:64]


def _username_and_address() -> str:
    return f"{_username()}@{get_remote_address()}"


def _failed_sign_in(response: Response) -> bool:
    return response.status_code == 401


def _sign_in_refused(limit: RequestLimit) -> Response:
    message = f"登录失败次数过多，为保护账号已暂停登录，{_try_again(limit)}"
    return make_response(render_template("auth/login.html", error=message), 429)


def login_limits(view: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate the sign-in view: failed POSTs per account and address, account, address."""
    for limit, key in (
        (LOGIN_PER_ACCOUNT_AND_ADDRESS, _username_and_address),
        (LOGIN_PER_ACCOUNT, _username),
        (LOGIN_PER_ADDRESS, get_remote_address),
    ):
        view = limiter.limit(
            limit,
            key_func=key,
            methods=["POST"],
            deduct_when=_failed_sign_in,
            on_breach=_sign_in_refused,
        )(view)
    return view


def _signed_in_account() -> str:
    return f"account-id:{session.get('account_id', '')}"


def _password_change_refused(limit: RequestLimit) -> Response:
    message = f"原密码输错次数过多，{_try_again(limit)}"
    return make_response(render_template("error.html", title="请求过于频繁", message=message), 429)


password_change_limit = limiter.limit(
    PASSWORD_CHANGE_PER_ACCOUNT,
    key_func=_signed_in_account,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 400,
    on_breach=_password_change_refused,
)


# ---- Open311 reads ------------------------------------------------------------------------


def _open311_client_id() -> int | None:
    """The client whose valid ``api_key`` the request carries; a wrong key reads anonymously."""
    if "open311_client_id" not in g:
        from engine.open311 import check_api_key
        from web.platform import current_platform
        from web.tenancy import current_county

        key = request.args.get("api_key") or ""
        client_id = None
        if key:
            client = check_api_key(current_platform().host, key, county=current_county())
            client_id = client.id if client is not None else None
        g.open311_client_id = client_id
    return g.open311_client_id


def _open311_reader() -> str:
    client_id = _open311_client_id()
    return f"key:{client_id}" if client_id is not None else f"address:{get_remote_address()}"


def _open311_read_limit() -> str:
    return OPEN311_KEY_READS if _open311_client_id() is not None else OPEN311_ANONYMOUS_READS


def _open311_read_message() -> str:
    if _open311_client_id() is not None:
        return f"请求过于频繁：每个 API 密钥每分钟最多读取 {OPEN311_KEY_READS.split()[0]} 次"
    return (
        f"请求过于频繁：未带 API 密钥时每个地址每分钟最多读取 {OPEN311_ANONYMOUS_READS.split()[0]}"
        f" 次（带平台签发的 api_key 每分钟 {OPEN311_KEY_READS.split()[0]} 次）"
    )


# One allowance shared by every Open311 GET (discovery, services, requests, updates).
open311_reads = limiter.shared_limit(
    _open311_read_limit,
    scope="open311-read",
    key_func=_open311_reader,
    error_message=_open311_read_message,
)


# ---- matter suggestions -------------------------------------------------------------------


def _suggestions_refused(limit: RequestLimit) -> Response:
    response = make_response(
        {"suggestions": [], "error": f"推荐请求过于频繁，{_try_again(limit)}"}, 429
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def suggestion_limits(view: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate the as-you-type suggestion endpoint: requests per address."""
    # Read at each request (a callable), so a deployment or a test can change it at run time.
    return limiter.limit(lambda: SUGGESTIONS_PER_ADDRESS, on_breach=_suggestions_refused)(view)
