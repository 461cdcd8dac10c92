"""Demo registers of the agricultural consultation: the specialty table and honeysuckle
growers of 堤村乡 (synthetic names and areas). Used by ``juhaoban demo`` and the web tests."""

from __future__ import annotations

from engine.agri import AgriDesk
from engine.agri.experts import specialty_table

# The grid worker's two villages (孔寨村, 前堤村) and three neighbouring villages of 堤村乡.
_VILLAGES = ("dicun-002", "dicun-003", "dicun-001", "dicun-004", "dicun-005")
_SURNAMES = "卢刘高杨王张李赵陈孙"
_GIVEN = ("俊飞", "彩平", "令娟", "海峰", "秀英", "建国", "桂兰", "志强", "玉梅", "红军")


def seed_agri_registers(desk: AgriDesk, *, county: str = "julu") -> int:
    """Specialty table and growers; idempotent (does nothing when growers exist)."""
    with desk.host.session_factory() as session:
        if specialty_table(county=county, session=session):
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
