"""CSRF protection for every state-changing request, and security headers (a strict
Content-Security-Policy with a per-request script nonce, Permissions-Policy)."""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, abort, g, request, session
from markupsafe import Markup

TOKEN_KEY = "_csrf"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def csrf_token() -> str:
    token = session.get(TOKEN_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        session[TOKEN_KEY] = token
    return token


def csrf_input() -> Markup:
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(csrf_token())


def _check_csrf() -> None:
    if request.method in SAFE_METHODS or request.endpoint is None:
        return
    if request.blueprint in ("open311",):  # API-key authenticated machine clients
        return
    # Cross-site request forgery rides on cookies: an API call that carries no signed-in
    # session (an anonymous report from an app) has nothing to forge.
    if request.blueprint == "api" and "account_id" not in session:
        return
    sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token") or ""
    expected = session.get(TOKEN_KEY) or ""
    if not expected or not hmac.compare_digest(sent, expected):
        abort(400, description="表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")


# The report page asks for the reporter's position; no page uses the camera (photos come
# through a file input, which needs no permission), the microphone or the rest.
PERMISSIONS_POLICY = ", ".join(
    [
        "geolocation=(self)",
        "camera=()",
        "microphone=()",
        "payment=()",
        "usb=()",
        "serial=()",
        "bluetooth=()",
        "midi=()",
        "magnetometer=()",
        "gyroscope=()",
        "accelerometer=()",
        "display-capture=()",
    ]
)
# What a response that is a stored file, not a page (a diagram's XML), may do if a browser
# renders it anyway: nothing. ``sandbox`` gives it an opaque origin with scripts disabled.
DOWNLOAD_CSP = "sandbox; default-src 'none'"


def csp_nonce() -> str:
    """This request's script nonce: only ``<script nonce="{{ csp_nonce() }}">`` blocks run,
    so markup injected into a page (stored XSS) cannot add script of its own."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(18)
    return nonce


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            # No 'unsafe-inline' and no 'unsafe-eval': script comes from our own files (the
            # vendored bpmn-js, properties panel and ECharts run without eval) or from inline
            # blocks carrying this response's nonce.
            f"script-src 'self' 'nonce-{nonce}'",
            # 'unsafe-inline' for styles only: bpmn-js, diagram-js and ECharts position their
            # elements with style attributes set from script, and the print pages carry
            # their own <style>; styles cannot run script.
            "style-src 'self' 'unsafe-inline'",
            # ECharts exports charts and bpmn-js draws markers as data:/blob: images.
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            # The report page's service worker (/report/sw.js) and its web app manifest.
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    # Every response gets a policy (a view may set a stricter one first, as the diagram
    # downloads do); the nonce is the one the page's templates used, if any.
    response.headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    return response


def init_app(app: Flask) -> None:
    app.before_request(_check_csrf)
    app.after_request(_headers)
    app.jinja_env.globals["csrf_input"] = csrf_input
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["csp_nonce"] = csp_nonce
