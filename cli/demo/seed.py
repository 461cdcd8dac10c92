"""The demo county behind ``juhaoban demo``: catalog, accounts and every demo history, seeded
once onto a host whose definitions are deployed. All history ends at the host clock's now."""

from __future__ import annotations

from collections.abc import Callable

from cli.catalog_db import seed_shipped_catalog
from cli.demo.agri import create_demo_agri
from cli.demo.analytics import create_demo_analytics
from cli.demo.catalog import create_demo_catalog_work
from cli.demo.history import create_demo_history
from cli.demo.simulated import create_demo_simulation
from cli.demo.users import DEMO_PASSWORD, create_demo_users
from engine import DEFAULT_COUNTY, WorkflowHost
from engine.complaints import complaint_totals
from engine.maintenance import optimize_database


def seed_demo_county(host: WorkflowHost, *, echo: Callable[[str], None] = print) -> None:
    """Catalog versions, demo accounts, simulated and story history, analytics, catalog work
    and the agricultural story, each only once; ``echo`` receives a Chinese progress line."""
    now = host.clock.now()  # every history below ends here, never after
    added = seed_shipped_catalog(host)
    if added:
        echo(f"已载入责任清单版本：{'、'.join(added)}")
    users = create_demo_users(host, county=DEFAULT_COUNTY)
    if users:
        echo(f"已创建演示账号 {len(users)} 个（密码 {DEMO_PASSWORD}，见 README）")
    if complaint_totals(host).complaints == 0:
        simulated = create_demo_simulation(host, today=now)
        echo(
            f"已模拟近两个月的诉求 {simulated.requests} 件"
            f"（真实流程与定时器，触发 {simulated.timers_fired} 次）"
        )
        made = create_demo_history(host, today=now)
        echo(f"已生成演示诉求 {made} 件（覆盖签收、办理、争议、超期、挂账、回访、办结等环节）")
        published = create_demo_analytics(host, today=now)
        echo(f"已生成演示历史数据并发布红黑榜与分析报告 {published} 期（见 /analytics/）")
        draft = create_demo_catalog_work(host, today=now)
        if draft:
            echo(f"已生成清单修订演示：会商修订建议与征求意见中的草稿 {draft}（见 /catalog/）")
    if create_demo_agri(host, today=now):
        echo("已生成农技咨询演示：堤村乡金银花叶枯的咨询、推送和定时的蚜虫提醒（见 /agri/）")
    optimize_database(host.bind)
