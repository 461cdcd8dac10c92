"""Sign in and out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for

from engine.people import authenticate
from web.auth.access import current_account
from web.platform import current_platform

bp = Blueprint("auth", __name__, url_prefix="/auth")

HOME_BY_ROLE = {
    "resident": "report.mine",
    "grid_worker": "report.mine",
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
def login():  # type: ignore[no-untyped-def]
    error = None
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        with current_platform().host.session_factory() as db:
            account = authenticate(username, password, session=db)
        if account is None:
            error = "用户名或密码不正确"
        else:
            session.clear()
            session["account_id"] = account.id
            target = request.args.get("next") or ""
            # Only local paths: never bounce a fresh session to another site.
            if not target.startswith("/") or target.startswith("//"):
                target = home_for(account.role)
            return redirect(target)
    return render_template("auth/login.html", error=error), (401 if error else 200)


@bp.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    session.clear()
    flash("您已退出登录")
    return redirect(url_for("index"))


@bp.app_context_processor
def inject_account() -> dict[str, object]:
    return {"account": current_account()}
