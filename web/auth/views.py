"""Sign in and out, and change one's own password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for

from engine.people import AccountRejected
from web.auth.access import current_account, login_required, sign_in
from web.auth.safe_next import safe_next
from web.counts_cache import forget
from web.platform import current_desks
from web.throttling import login_limits, password_change_limit

bp = Blueprint("auth", __name__, url_prefix="/auth")

HOME_BY_ROLE = {
    "resident": "reporter_cases.mine",
    "grid_worker": "reporter_cases.mine",
    "unit_staff": "inbox.index",
    "unit_lead": "inbox.index",
    "dispatcher": "console.index",
    "dispatch_lead": "console.index",
    "orgdept": "console.consultations",
    "leader": "analytics.index",
}


def home_for(role: str) -> str:
    endpoint = HOME_BY_ROLE.get(role, "index")
    return url_for(endpoint)


@bp.route("/login", methods=["GET", "POST"])
@login_limits
def login():
    error = None
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        account = current_desks().accounts.authenticate(username, password)
        if account is None:
            error = "用户名或密码不正确"
        else:
            sign_in(account)
            # Only local paths: never bounce a fresh session to another site.
            return redirect(safe_next(request.args.get("next")) or home_for(account.role))
    return render_template("auth/login.html", error=error), (401 if error else 200)


@bp.post("/logout")
def logout():
    account = current_account()
    if account is not None:
        # Ends every copy of the cookie, not just this browser's (a stolen one included).
        current_desks().accounts.end_sessions(account.id)
        forget(("account", account.id))
    session.clear()
    flash("您已退出登录")
    return redirect(url_for("index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
@password_change_limit
def password():
    account = current_account()
    if account is None:  # login_required has let nobody else in; keeps type checkers content
        return redirect(url_for("auth.login"))
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = request.form
        try:
            changed = current_desks().accounts.change_password(
                account.id,
                form.get("old_password", ""),
                form.get("new_password", ""),
                form.get("new_password_again", ""),
            )
        except AccountRejected as err:
            errors = err.errors
        else:
            sign_in(changed)  # this browser stays signed in; every other session ends
            flash("密码已修改，其他设备上的登录已失效")
            return redirect(home_for(changed.role))
    return render_template("auth/password.html", errors=errors), (400 if errors else 200)


@bp.app_context_processor
def inject_account() -> dict[str, object]:
    return {"account": current_account()}
