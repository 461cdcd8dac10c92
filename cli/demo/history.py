"""A little history for the demo county: complaints at every stage, made through the real
process on a virtual clock that starts two weeks ago and ends at today, never after it."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from engine import EngineError, VirtualClock, WorkflowHost
from engine.complaints import ComplaintDesk, ComplaintReport, Submitted
from engine.desks import wire_desks

# (matter, village, description, how far along)
STORIES: list[tuple[str, str, str, str]] = [
    ("D07-07", "xiguocheng-002", "村口路面塌陷，下面的水管破了", "closed"),
    ("D11-03", "dicun-003", "独居老人李奶奶生活困难（网格员代报）", "grid:handling"),
    ("D10-02", "dicun-002", "金银花叶子发干发黄", "closed"),
    ("D11-03", "dicun-003", "独居老人生活困难，需要临时救助", "handling"),
    ("D07-02", "juluzhen-001", "小区门口水管漏水", "overdue"),
    ("D04-01", "juluzhen-002", "人行道上摆摊", "sign_for"),
    ("D07-07", "xiguocheng-002", "村口路面塌陷，水管漏水（重复反映）", "merged"),
    ("D07-06", "guanting-003", "新装自来水", "listed"),
    ("D11-03", "zhangwangtuan-004", "因病致贫申请救助", "closed"),
    # Last, so that they still wait for the reporter's rating or the dispatcher's ruling today.
    ("D10-02", "dicun-001", "金银花蚜虫多", "callback"),
    ("D07-01", "juluzhen-003", "家里停水两天了", "mine:callback"),
    ("D04-01", "xiaolvzhai-002", "S324 沿线商户占道经营", "contested"),
]


def _step(
    desk: ComplaintDesk, submitted: Submitted, name: str, form: dict, *, group: str | None = None
) -> None:
    for task in desk.host.ready_tasks(instance_id=submitted.instance_id):
        if task.task_name == name and (group is None or group in task.candidate_groups):
            desk.host.complete_task(task.id, form, actor=f"demo:{name}")
            return


def _assists(desk: ComplaintDesk, submitted: Submitted) -> None:
    for task in desk.host.ready_tasks(instance_id=submitted.instance_id):
        if task.task_name == "assist":
            desk.host.complete_task(task.id, {"assist_note": "已配合处置"}, actor="demo:assist")


def _play(desk: ComplaintDesk, submitted: Submitted, goal: str, first: Submitted | None) -> None:
    accept = {"decision": "accept"}
    reply = {"outcome": "reply", "reply_text": "已处理完毕，现场已恢复"}
    plays: dict[str, Callable[[], None]] = {
        "sign_for": lambda: None,
        "handling": lambda: _step(desk, submitted, "sign_for", accept),
        "overdue": lambda: _step(desk, submitted, "sign_for", accept),
        "contested": lambda: _step(
            desk,
            submitted,
            "sign_for",
            {
                "decision": "return",
                "return_reason": "不属于本乡镇职责",
                "return_basis": "清单 D04-01",
            },
        ),
        "merged": lambda: desk.close_report(
            submitted.complaint_id,
            kind="merged",
            reason="同一处问题",
            merged_into=first.complaint_id if first else submitted.complaint_id,
            actor="demo",
        ),
        "listed": lambda: (
            _step(desk, submitted, "sign_for", accept),
            _step(desk, submitted, "handle", {"outcome": "list", "listing_plan": "纳入年度改造"}),
            _step(desk, submitted, "approve_listing", {"listing_approved": True}),
        ),
        "callback": lambda: (
            _step(desk, submitted, "sign_for", accept),
            _assists(desk, submitted),
            _step(desk, submitted, "handle", reply),
        ),
        "closed": lambda: (
            _step(desk, submitted, "sign_for", accept),
            _assists(desk, submitted),
            _step(desk, submitted, "handle", reply),
            _step(desk, submitted, "callback", {"satisfaction": "satisfied"}),
        ),
    }
    plays[goal]()


def create_demo_history(host: WorkflowHost, *, today: datetime, seed: int = 7) -> int:
    """Replay :data:`STORIES` from two weeks before ``today``; returns how many were made."""
    rng = random.Random(seed)
    clock = VirtualClock(today - timedelta(days=14))
    demo_host = host.on_clock(clock)
    desk = wire_desks(demo_host).complaints
    made: list[Submitted] = []
    for index, (matter, village, description, goal) in enumerate(STORIES):
        # Story n starts at the latest (len - n) hours before ``today`` and plays in under an
        # hour, so no instant of the history (nor a timer fired by its sweeps) is after today.
        latest = today - timedelta(hours=len(STORIES) - index)
        gap = clock.now() + timedelta(hours=rng.randint(6, 30))
        clock.set(max(clock.now(), min(gap, latest)))
        owner, _, goal = goal.rpartition(":")
        if owner == "mine":  # the demo resident's own report
            fields: dict = {"channel": "app", "reporter_account": "resident"}
        elif owner == "grid":  # reported by the demo grid worker on behalf of a resident
            fields = {
                "channel": "grid",
                "grid_worker": "gridworker",
                "reporter_name": "李奶奶",
                "consent": True,
                "grid_id": "dicun-003-g1",
            }
        else:
            fields = {"channel": "app", "reporter_account": f"demo-{len(made)}"}
        if goal in ("contested", "callback"):
            clock.set(min(max(clock.now(), today - timedelta(hours=3)), latest))
        try:
            submitted = desk.submit(
                ComplaintReport(
                    village_id=village, matter_id=matter, description=description, **fields
                ),
                actor="grid:gridworker" if owner == "grid" else "demo",
            )
        except EngineError:
            continue
        clock.advance(timedelta(minutes=rng.randint(10, 50)))
        _play(desk, submitted, goal, made[0] if made else None)
        demo_host.sweep(clock.now())
        made.append(submitted)
    clock.set(today)
    demo_host.sweep(today)
    return len(made)
