"""Where a notification about an agriculture instance leads (the header's notification list
links every instance through ``/cases/by-instance``)."""

from __future__ import annotations

from flask import url_for

from engine.agri import instance_page
from web.agri.common import is_bureau, recipients
from web.auth.access import current_account
from web.platform import current_platform


def agri_page_of_instance(instance_id: int) -> str | None:
    account = current_account()
    reader = [] if account is None or is_bureau(account) else recipients(account)
    found = instance_page(current_platform().host, instance_id, recipients=reader)
    if found is None:
        return None
    if found.consultation_id is not None:
        return url_for("agri.consultation", consultation_id=found.consultation_id)
    if account is None or is_bureau(account):
        return url_for("agri.push_detail", push_id=found.push_id)
    if found.receipt_id is None:
        return url_for("agri.mine")
    return url_for("agri.guidance", receipt_id=found.receipt_id)
