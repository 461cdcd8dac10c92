"""Where a notification about an agriculture instance leads (the header's notification list
links every instance through ``/cases/by-instance``)."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from engine.agri import Consultation, GuidancePush, PushReceipt
from web.agri.common import is_bureau, recipients
from web.auth.access import current_account
from web.platform import current_platform


def agri_page_of_instance(instance_id: int) -> str | None:
    account = current_account()
    with current_platform().host.session_factory() as db:
        consultation_id = db.scalar(
            select(Consultation.id).where(Consultation.instance_id == instance_id)
        )
        if consultation_id is not None:
            return url_for("agri.consultation", consultation_id=consultation_id)
        push_id = db.scalar(select(GuidancePush.id).where(GuidancePush.instance_id == instance_id))
        if push_id is None:
            return None
        if account is None or is_bureau(account):
            return url_for("agri.push_detail", push_id=push_id)
        receipt_id = db.scalar(
            select(PushReceipt.id).where(
                PushReceipt.push_id == push_id, PushReceipt.recipient.in_(recipients(account))
            )
        )
    if receipt_id is None:
        return url_for("agri.mine")
    return url_for("agri.guidance", receipt_id=receipt_id)
