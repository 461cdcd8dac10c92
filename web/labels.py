"""Chinese labels for templates: units, places, stages, instants in Beijing time."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask, g

from engine.core import INSTANCE_STATUS_LABELS
from responsibility_catalog import Organisation
from rules import CHINA_TZ
from web.reference_data import current_catalog

STAGES = {
    "intake": "受理",
    "jurisdiction": "确定管辖",
    "sign_for": "待签收",
    "handling": "办理中",
    "handle": "办理",
    "assist": "协办",
    "listed": "挂账督办",
    "contested": "争议待裁定",
    "consultation": "联席会商",
    "callback": "待回访",
    "closed": "已办结",
    "merged": "已合并",
    "invalid": "已作废",
    "processing": "处理中",
}
SATISFACTION = {
    "satisfied": "满意",
    "basic": "基本满意",
    "unsatisfied": "不满意",
    "no_response": "未回复",
}
GROUPS = {"dispatcher": "调度中心", "dispatch_lead": "调度中心负责人", "orgdept": "县委组织部"}


def organisation() -> Organisation | None:
    """The organisation tree of the list in force, looked up once per request."""
    if "organisation" not in g:
        catalog = current_catalog()
        g.organisation = catalog.organisation if catalog else None
    return g.organisation


def unit_name(unit_id: str | None) -> str:
    if not unit_id:
        return "—"
    if unit_id in GROUPS:
        return GROUPS[unit_id]
    org = organisation()
    unit = org.all_units.get(unit_id) if org else None
    return unit.name if unit else unit_id


def place_name(village_id: str | None) -> str:
    org = organisation()
    village = org.villages_by_id.get(village_id or "") if org else None
    if village is None:
        return village_id or "—"
    township = org.townships_by_id.get(village.township_id)
    return f"{township.name if township else ''}{village.name}"


def local(instant: datetime | None) -> str:
    return instant.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M") if instant else "—"


def overdue_text(due: datetime | None, now: datetime) -> str:
    """The overdue figure of a deadline: "已超 N 天" once ``now`` has passed ``due``, "" while
    it has not (an extension moved it, or none was set), so no page shows a negative figure."""
    if due is None or due >= now:
        return ""
    days = (now - due) // timedelta(days=1)
    return f"已超 {days} 天" if days else "已超不足 1 天"


def init_app(app: Flask) -> None:
    app.jinja_env.filters["local"] = local
    app.jinja_env.globals.update(
        unit_name=unit_name,
        place_name=place_name,
        overdue_text=overdue_text,
        stage_label=lambda s: STAGES.get(s or "", s or "—"),
        satisfaction_label=lambda s: SATISFACTION.get(s or "", s or "—"),
        # The engine names an instance's states once; pages show its words.
        instance_status_label=lambda s: INSTANCE_STATUS_LABELS.get(s or "", s or "—"),
    )
