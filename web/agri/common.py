"""What the agriculture pages share: the desk, who is who, labels."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app

from engine.agri import CROPS, RATINGS, SYMPTOMS, AgriDesk
from engine.people import Account, AccountDesk
from web.platform import current_platform

AGRI_UNIT = "agriculture"
GROWER_ROLES = ("grower", "grid_worker")
STAGES = {
    "expert": "待专家答复",
    "grower": "待种植户回复",
    "visit": "待现场查看",
    "rating": "待评价",
    "closed": "已结束",
}
STAGE_TAGS = {"expert": "soon", "grower": "soon", "visit": "soon", "rating": "", "closed": "ok"}
SIDES = {"grower": "种植户", "expert": "农技专家", "lead": "局负责人", "system": "系统"}
TASK_TITLES = {
    "expert_reply": "答复",
    "grower_reply": "回复专家",
    "field_visit": "记录现场查看",
    "rate_help": "评价",
}
LABELS = {
    "crops": CROPS,
    "symptoms": SYMPTOMS,
    "ratings": RATINGS,
    "stages": STAGES,
    "stage_tags": STAGE_TAGS,
    "sides": SIDES,
    "tasks": TASK_TITLES,
}


def agri_desk() -> AgriDesk:
    return current_app.extensions["juhaoban.agri"]


def is_bureau(account: Account | None) -> bool:
    """Experts and the staff of the agriculture bureau (its lead included)."""
    if account is None:
        return False
    return account.role == "agri_expert" or (
        account.role in ("unit_staff", "unit_lead") and account.unit_id == AGRI_UNIT
    )


def bureau_required(account: Account | None) -> Account:
    if account is None or not is_bureau(account):
        abort(403, description="仅农业农村局及农技专家可访问此页面")
    return account


def recipients(account: Account) -> list[str]:
    """Notification keys of the account (a grid worker receives for growers they registered)."""
    return sorted(account.groups | {account.username})


def may_view(account: Account, consultation: Any) -> bool:
    if is_bureau(account) or account.role in ("leader", "admin"):
        return True
    if account.username == consultation.asked_by:
        return True
    grower = agri_desk().grower(consultation.grower_id)
    return grower is not None and account.username in (grower.username, grower.registered_by)


def unknown_fields(unknown: set[str]) -> dict[str, str]:
    """The message for a form that sent fields the page does not take (nothing is stored)."""
    return {"form": f"表单含有不接受的字段：{'、'.join(sorted(unknown))}，未提交"}


def display_names(usernames: set[str | None]) -> dict[str, str]:
    """People's names for the conversation (accounts' display names, else the username)."""
    wanted = sorted(u for u in usernames if u)
    found = AccountDesk(current_platform().host).display_names(wanted)
    return {u: found.get(u, u) for u in wanted}
