"""The notification list, the unread counter in the header, marking as read."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from engine.complaints import case_names
from engine.core import mark_notifications_read, notifications_for, unread_notifications
from web.auth.access import current_account, login_required
from web.counts_cache import cached_count, forget
from web.form_input import row_id
from web.platform import current_platform

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def _recipients() -> list[str]:
    account = current_account()
    if account is None:
        return []
    return sorted(account.groups | {account.username})


def unread_count() -> int:
    recipients = _recipients()
    if not recipients:
        return 0

    def count() -> int:
        return unread_notifications(
            current_platform().host, recipients, county=current_account().county
        )

    return cached_count(("unread", current_account().username), count)


@bp.get("/")
@login_required
def index():
    host = current_platform().host
    rows = notifications_for(host, _recipients())
    cases = case_names(host, (n.instance_id for n in rows))
    return render_template("notifications/index.html", notifications=rows, cases=cases)


@bp.post("/read")
@login_required
def mark_read():
    platform = current_platform()
    raw = request.form.get("id")
    one = row_id(raw)
    if raw and one is None:
        # a bad id marks nothing (not every notification)
        flash(f"未标记：通知编号“{raw[:20]}”不存在")
        return redirect(url_for("notifications.index"))
    mark_notifications_read(platform.host, _recipients(), notification_id=one)
    forget(("unread", current_account().username))
    return redirect(url_for("notifications.index"))
