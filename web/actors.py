"""Who did it, in words: actors of histories and notifications as people's names, unit names
and Chinese descriptions of system actors; grids by name; cases by code and short title.

Pages write a signed-in person's actor in one format, ``engine.people.actor_of``; this module
reads it back (and the older ``grid_worker:`` form still in some histories)."""

from __future__ import annotations

from flask import Flask, g

from engine.complaints import short_title
from web.labels import organisation, unit_name
from web.platform import current_desks

SYSTEM_ACTORS = {
    "system:timer": "系统定时器",
    "scheduler:analytics": "系统定时任务（统计分析）",
    "demo:analytics": "演示数据（统计分析）",
    "simulator": "县域模拟器",
    "cli": "命令行运维",
    "catalog_revision": "清单修订流程",
    "public": "匿名群众",
    "anonymous": "匿名群众",
    "demo": "演示数据",
    "staff": "办理人员",
}
TASK_WORDS = {
    "determine": "确定责任单位",
    "adjudicate": "争议件裁定",
    "assist": "协办",
    "sign_for": "签收",
    "handle": "办理",
    "supervise": "督办",
    "approve_extension": "审批延期",
    "callback": "回访评价",
    "reply": "答复",
}
# ``<prefix>:<username>`` actors that name a person; grid workers written ``grid_worker:``
# by the JSON API before one format (``grid:``) was used everywhere stay readable.
PERSON_PREFIXES = {
    "grid": "网格员",
    "grid_worker": "网格员",
    "reporter": "群众",
    "resident": "群众",
    "dispatcher": "",
    "user": "",
    "operator": "运维",
}


def _name(username: str) -> str | None:
    """A person's display name, looked up once per request."""
    cache: dict[str, str | None] = g.setdefault("actor_names", {})
    if username not in cache:
        names = current_desks().accounts.display_names([username])
        cache[username] = names.get(username)
    return cache[username]


def _unit(unit_id: str) -> str | None:
    name = unit_name(unit_id)
    return name if name != unit_id else None


def actor_label(actor: str | None) -> str:
    """``system:timer`` → 系统定时器, ``grid:gridworker`` → 网格员 李网格, ``water`` → 王供水,
    ``sim:reporter:119`` → 模拟群众 119, ``sim:water_supply`` → 模拟（县供水服务中心）."""
    if not actor:
        return "—"
    if actor in SYSTEM_ACTORS:
        return SYSTEM_ACTORS[actor]
    prefix, _, rest = actor.partition(":")
    if prefix == "demo" and rest:
        return f"演示数据（{TASK_WORDS.get(rest, _unit(rest) or rest)}）"
    if prefix == "sim" and rest:
        if rest.startswith("reporter:"):
            return f"模拟群众 {rest.removeprefix('reporter:')}"
        return f"模拟（{_unit(rest) or rest}）"
    if prefix == "open311" and rest:
        return f"Open311 接口（{rest}）"
    if prefix == "system" and rest:
        return f"系统（{rest}）"
    if prefix in PERSON_PREFIXES and rest:
        role = PERSON_PREFIXES[prefix]
        if prefix in ("reporter", "resident") and _name(rest) is None:
            return "群众（匿名）" if prefix == "reporter" else "群众"
        name = _name(rest) or rest
        return f"{role} {name}" if role else name
    return _name(actor) or _unit(actor) or actor


def grid_name(grid_id: str | None, village_id: str | None = None) -> str:
    """A grid's name (``马家营村第一网格``), its id when the organisation does not know it."""
    if not grid_id:
        return "—"
    org = organisation()
    villages = org.villages_by_id if org else {}
    candidates = [villages[village_id]] if village_id in villages else villages.values()
    for village in candidates:
        for grid in village.grids:
            if grid.id == grid_id:
                return grid.name if grid.name.startswith(village.name) else village.name + grid.name
    return grid_id


def case_title(case: object) -> str:
    """A case's short title: its matter, else the start of its description (never a bare
    "未选择事项" when the reporter wrote what happened)."""
    return short_title(
        getattr(case, "matter_name", None) or getattr(case, "matter_id", None),
        getattr(case, "description", None),
    )


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        actor_label=actor_label, grid_name=grid_name, case_title=case_title
    )
