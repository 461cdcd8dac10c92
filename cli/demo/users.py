"""Demo accounts for every role (listed in the README). Never used outside the demo."""

from __future__ import annotations

from engine import DEFAULT_COUNTY, WorkflowHost
from engine.people import AccountSeed, AssignmentSeed, seed_accounts

DEMO_PASSWORD = "juhaoban-demo"

# username, display name, role, unit, grids
DEMO_USERS: list[tuple[str, str, str, str | None, list[str]]] = [
    ("resident", "张群众", "resident", None, []),
    (
        "gridworker",
        "李网格",
        "grid_worker",
        None,
        ["dicun-003-g1", "dicun-002-g1", "xiguocheng-002-g1"],
    ),
    ("water", "王供水", "unit_staff", "water_supply", []),
    ("water_lead", "赵主任", "unit_lead", "water_supply", []),
    ("cgj", "刘城管", "unit_staff", "urban_management", []),
    ("cgj_lead", "孙队长", "unit_lead", "urban_management", []),
    ("xlz", "周乡干", "unit_staff", "xiaolvzhai", []),
    ("xlz_lead", "吴镇长", "unit_lead", "xiaolvzhai", []),
    ("xgc", "郑专干", "unit_staff", "xiguocheng", []),
    ("dicun", "冯专干", "unit_staff", "dicun", []),
    ("zwt", "陈专干", "unit_staff", "zhangwangtuan", []),
    ("zwt_lead", "褚书记", "unit_lead", "zhangwangtuan", []),
    ("agri", "卫农技", "unit_staff", "agriculture", []),
    ("agri_lead", "马副局长", "unit_lead", "agriculture", []),
    ("expert", "金专家", "agri_expert", "agriculture", []),
    ("grower", "杨培武", "grower", None, []),
    ("civil", "蒋民政", "unit_staff", "civil_affairs", []),
    ("transport", "沈交通", "unit_staff", "transport", []),
    ("dispatcher", "韩调度", "dispatcher", None, []),
    ("dispatch_lead", "杨中心主任", "dispatch_lead", None, []),
    ("orgdept", "朱组织", "orgdept", None, []),
    ("designer", "秦设计", "designer", None, []),
    ("leader", "尤县长", "leader", None, []),
    ("admin", "许管理员", "admin", None, []),
]

# 张王疃乡 sorted its work into classes with one responsible person each (two shown here).
DEMO_ASSIGNMENTS = [("zhangwangtuan", "D11", "zwt"), ("zhangwangtuan", "D04", "zwt_lead")]


def create_demo_users(host: WorkflowHost, *, county: str = DEFAULT_COUNTY) -> list[str]:
    """The demo accounts not made yet (created at the host clock's now); their usernames."""
    return seed_accounts(
        host,
        [
            AccountSeed(username, name, role, unit, tuple(grids))
            for username, name, role, unit, grids in DEMO_USERS
        ],
        password=DEMO_PASSWORD,
        county=county,
        assignments=[AssignmentSeed(*assignment) for assignment in DEMO_ASSIGNMENTS],
    )
