"""What the inbox pages share: the signed-in unit, deadlines in working days, the catalog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import abort

from engine.people import Account
from responsibility_catalog import Catalog
from rules import CHINA_TZ, WorkingCalendar, working_days_left
from web.auth.access import current_account
from web.reference_data import current_catalog, working_calendar
from web.tenancy import current_county


def unit_account() -> Account:
    """The signed-in unit person (the views are already behind ``roles_required``)."""
    account = current_account()
    if account is None or not account.unit_id:
        abort(403, description="您的账号未归属任何单位")
    return account


def is_lead(account: Account) -> bool:
    return account.role == "unit_lead"


def day_end(now: datetime) -> datetime:
    """Midnight ending today in Beijing time."""
    today = now.astimezone(CHINA_TZ).date()
    return datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=CHINA_TZ)


def calendar() -> WorkingCalendar:
    return working_calendar(current_county())


@dataclass(frozen=True)
class TimeLeft:
    days: int | None
    text: str
    css: str  # overdue, soon, ok, or "" when the task has no deadline


def time_left(now: datetime, due: datetime | None, cal: WorkingCalendar) -> TimeLeft:
    if due is None:
        return TimeLeft(None, "无时限", "")
    left = working_days_left(now, due, cal)
    css = "overdue" if left.overdue else ("soon" if left.days <= 1 else "ok")
    return TimeLeft(left.days, left.explanation, css)


def time_left_label(left: TimeLeft) -> str:
    """The short form for lists: "剩 3 个工作日", "今日到期", "超期 2 个工作日"."""
    if left.days is None:
        return "无时限"
    if left.css == "overdue":
        return f"超期 {-left.days} 个工作日" if left.days < 0 else "已超期"
    return "今日到期" if left.days == 0 else f"剩 {left.days} 个工作日"


def catalog() -> Catalog | None:
    """The catalog version in force now (its domains, matters and units)."""
    return current_catalog(current_county())


def scope_choices(cat: Catalog | None) -> dict[str, str]:
    """Domains and matters a unit's table may name, in catalog order, with their labels."""
    choices: dict[str, str] = {}
    for domain in cat.domains if cat else ():
        choices[domain.id] = f"{domain.id} {domain.name}（整个领域）"
        for matter in domain.matters:
            choices[matter.id] = f"{matter.id} {matter.name}"
    return choices
