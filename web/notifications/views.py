"""The notification list, the unread counter in the header, marking as read."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select, update

from engine.complaints.case_view import case_refs
from engine.core.persistence.models import Notification
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
        with current_platform().host.session_factory() as db:
            return db.scalar(
                select(func.count(Notification.id)).where(
                    Notification.county == current_account().county,
                    Notification.recipient.in_(recipients),
                    Notification.read_at.is_(None),
                )
            )

    return cached_count(("unread", current_account().username), count)


@bp.get("/")
@login_required
def index():  # type: ignore[no-untyped-def]
    with current_platform().host.session_factory() as db:
        rows = db.scalars(
            select(Notification)
            .where(Notification.recipient.in_(_recipients()))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(200)
        ).all()
        cases = case_refs((n.instance_id for n in rows), session=db)
    return render_template("notifications/index.html", notifications=rows, cases=cases)


@bp.post("/read")
@login_required
def mark_read():  # type: ignore[no-untyped-def]
    platform = current_platform()
    raw = request.form.get("id")
    one = row_id(raw)
    if raw and one is None:
        # a bad id marks nothing (not every notification)
        flash(f"未标记：通知编号“{raw[:20]}”不存在")
        return redirect(url_for("notifications.index"))
    with platform.host.session_factory.begin() as db:
        stmt = update(Notification).where(
            Notification.recipient.in_(_recipients()), Notification.read_at.is_(None)
        )
        if one is not None:
            stmt = stmt.where(Notification.id == one)
        db.execute(stmt.values(read_at=platform.host.clock.now()))
    forget(("unread", current_account().username))
    return redirect(url_for("notifications.index"))
