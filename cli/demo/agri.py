"""Demo registers of the agricultural consultation: the specialty table and honeysuckle
growers of 堤村乡 (synthetic names and areas). Used by ``juhaoban demo`` and the web tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from engine import DEFAULT_COUNTY, VirtualClock, WorkflowHost
from engine.agri import AgriDesk
from engine.people import accounts_by_username

# The grid worker's two villages (孔寨村, 前堤村) and three neighbouring villages of 堤村乡.
_VILLAGES = ("dicun-002", "dicun-003", "dicun-001", "dicun-004", "dicun-005")
_SURNAMES = "卢刘高杨王张李赵陈孙"
_GIVEN = ("俊飞", "彩平", "令娟", "海峰", "秀英", "建国", "桂兰", "志强", "玉梅", "红军")


def seed_agri_registers(desk: AgriDesk, *, county: str = DEFAULT_COUNTY) -> int:
    """Specialty table and growers; idempotent (does nothing when growers exist)."""
    if desk.specialty_table(county=county):
        return 0
    desk.add_specialty("honeysuckle", "expert", county=county)
    desk.add_specialty("*", "expert", county=county)
    desk.register_grower(
        name="杨培武",
        village_id="dicun-003",
        crops={"honeysuckle": 20, "wheat": 6},
        phone="13800000003",
        username="grower",
        actor="gridworker",
        county=county,
    )
    made = 1
    for n in range(24):
        village = _VILLAGES[n % len(_VILLAGES)]
        # Growers of the grid worker's villages are registered by them; the others by the bureau.
        actor = "gridworker" if village in ("dicun-002", "dicun-003") else "agri"
        crops: dict[str, float] = {"honeysuckle": 2 + (n * 7) % 11}
        if n % 4 == 0:
            crops["wheat"] = 5 + n % 6
        desk.register_grower(
            name=_SURNAMES[n % 10] + _GIVEN[(n + 3 * (n // 10)) % 10],  # unique for n < 30
            village_id=village,
            crops=crops,
            actor=actor,
            county=county,
        )
        made += 1
    return made


def create_demo_agri(host: WorkflowHost, *, today: datetime) -> int:
    """Register growers and play the 堤村乡 story through the real processes on a virtual
    clock a few days before ``today``; an open question and a scheduled aphid reminder stay
    for the pages. Returns the number of consultations made (0 if played before)."""
    clock = VirtualClock(today - timedelta(days=3))
    desk = AgriDesk(host.on_clock(clock))
    if not seed_agri_registers(desk):
        return 0
    accounts = accounts_by_username(host, ("gridworker", "expert", "grower"))
    grid, expert, grower = accounts["gridworker"], accounts["expert"], accounts["grower"]
    lu = next(g for g in desk.askable_growers(grid) if g.name == "卢俊飞")
    cid = desk.ask(
        grower_id=lu.id,
        crop="honeysuckle",
        symptom="leaf_drying",
        description="自家地里金银花叶子干枯，周边种植户也有这种情况，请专家指导田间管理",
        account=grid,
    )
    clock.advance(timedelta(hours=2))
    desk.expert_reply(
        cid,
        {"reply_kind": "ask", "message": "多久浇一次水？地里是不是一直很湿？"},
        actor=expert.username,
        groups=expert.groups,
    )
    clock.advance(timedelta(hours=1))
    desk.grower_reply(cid, "几乎天天浇，地一直是湿的", actor=grid.username, groups=grid.groups)
    clock.advance(timedelta(hours=1))
    guidance = "修剪病枝、换土移盆、晒干土壤，一周内暂停浇水；发现叶片大面积干枯及时联系专家"
    desk.expert_reply(
        cid,
        {
            "reply_kind": "conclude",
            "message": "是浇水过多引起的，周边种植户请一起处理",
            "diagnosis": "浇水过多，土壤过度湿润，引发病菌滋生",
            "guidance": guidance,
            "widespread": True,
        },
        actor=expert.username,
        groups=expert.groups,
    )
    push = desk.create_push(
        crop="honeysuckle",
        title="金银花叶枯病防治：修剪病枝、换土移盆、晒干土壤",
        body=guidance,
        townships=["dicun"],
        villages=[],
        consultation_id=cid,
        actor=expert.username,
    )
    clock.advance(timedelta(hours=5))
    his = [r for r, _ in desk.receipts(push) if r.recipient == grid.username]
    for receipt in his[:9]:  # the grid worker confirms for all but one of his growers
        desk.confirm_read(receipt.id, actor=grid.username, recipients=[grid.username])
    desk.rate(cid, "5", "专家很及时，叶子不再发黄了", actor=grid.username, groups=grid.groups)
    # The open question is asked an hour before ``today``: it waits for the expert with its
    # deadline still ahead (asked a day after the story, it was due, and escalated, at once).
    clock.set(max(clock.now(), today - timedelta(hours=1)))
    desk.ask(
        grower_id=desk.askable_growers(grower)[0].id,
        crop="honeysuckle",
        symptom="pests",
        description="第二茬花采完后，叶背上有小绿虫，要不要打药？",
        account=grower,
    )
    desk.create_push(
        crop="honeysuckle",
        title="第二茬花采摘后注意防治蚜虫",
        body="第二茬花采摘完后蚜虫风险高：请查看叶背和嫩梢，发现蚜虫及时按专家指导用药。",
        townships=["dicun", "xiaolvzhai"],
        villages=[],
        send_at=(today + timedelta(days=20)).replace(hour=0, minute=30, second=0, microsecond=0),
        actor=expert.username,
    )
    return 2
