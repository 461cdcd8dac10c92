"""Agricultural figures for leaders: questions by crop, symptom and month, answer times,
escalations, ratings and guidance reach — and the same figures inside the periodic report."""

from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import load_workbook

from analytics import Period, publish_report, report_workbook
from analytics.agri import agri_figures
from engine.snapshots import AnalyticsSnapshot
from tests.engine.agri.conftest import world  # noqa: F401  (fixture)


def _ask(world, grower: str, crop: str, symptom: str) -> int:  # noqa: F811
    account = world.people["yangpeiwu" if grower == "yangpeiwu" else "lujunfei"]
    return world.desk.ask(
        grower_id=world.growers[grower],
        crop=crop,
        symptom=symptom,
        description="情况说明",
        account=account,
    )


def _conclude(world, cid: int, who: str = "expert_jyh") -> None:  # noqa: F811
    account = world.people[who]
    world.desk.expert_reply(
        cid,
        {"reply_kind": "conclude", "message": "答复", "diagnosis": "诊断", "guidance": "指导"},
        actor=account.username,
        groups=account.groups,
    )


def test_questions_answers_and_reach_by_sql(world, host, clock):  # noqa: F811
    first = _ask(world, "lujunfei", "honeysuckle", "leaf_drying")
    second = _ask(world, "neighbour", "honeysuckle", "leaf_drying")
    clock.advance(timedelta(hours=3))
    _conclude(world, first)  # answered after 3 hours
    clock.advance(timedelta(days=31))  # into April
    third = _ask(world, "yangpeiwu", "wheat", "pests")
    clock.advance(timedelta(hours=1))
    _conclude(world, third, "expert_wheat")  # answered after 1 hour
    world.desk.rate(first, "4", actor="lujunfei", groups=world.people["lujunfei"].groups)
    push = world.desk.create_push(
        crop="honeysuckle",
        title="叶枯病防治",
        body="修剪、换土、晒土",
        townships=["dicun"],
        villages=[],
        actor="expert_jyh",
    )
    receipt = next(r for r, g in world.desk.receipts(push) if g.username == "yangpeiwu")
    world.desk.confirm_read(receipt.id, actor="yangpeiwu", recipients=["yangpeiwu"])

    with host.session_factory() as session:
        figures = agri_figures(
            county="julu", period=Period(date(2026, 3, 1), date(2026, 4, 30)), session=session
        )
        march = agri_figures(
            county="julu", period=Period(date(2026, 3, 1), date(2026, 3, 31)), session=session
        )
    assert figures["questions"] == 3 and figures["answered"] == 2 and figures["open"] == 2
    assert figures["avg_answer_hours"] == 2.0 and figures["max_answer_hours"] == 3.0
    assert figures["by_crop"] == [{"crop": "金银花", "count": 2}, {"crop": "小麦", "count": 1}]
    assert figures["by_symptom"][0] == {"crop": "金银花", "symptom": "叶片干枯发黄", "count": 2}
    assert figures["monthly"] == [
        {"month": "2026-03", "count": 2},
        {"month": "2026-04", "count": 1},
    ]
    assert (figures["rated"], figures["avg_rating"]) == (1, 4.0)
    reach = figures["pushes"]
    assert (reach["count"], reach["reached"], reach["read"]) == (1, 3, 1)
    assert reach["latest"][0]["title"] == "叶枯病防治"
    # March alone: two questions, the one answered, no push (sent in April).
    assert (march["questions"], march["answered"], march["pushes"]["count"]) == (2, 1, 0)
    assert second  # still waiting for the expert, so not counted as answered


def test_the_periodic_report_carries_the_agricultural_figures(world, host, clock):  # noqa: F811
    _ask(world, "lujunfei", "honeysuckle", "pests")
    clock.set(clock.now().replace(year=2026, month=7, day=2))
    host.sweep()
    published = publish_report(
        host.session_factory,
        county="julu",
        period=Period(date(2026, 1, 1), date(2026, 6, 30)),
        now=clock.now(),
        actor="test",
    )
    with host.session_factory() as session:
        data = session.get(AnalyticsSnapshot, published.snapshot_id).data
    assert data["agri"]["questions"] == 1
    assert data["agri"]["by_crop"] == [{"crop": "金银花", "count": 1}]
    assert data["agri"]["escalated"] == 1  # nobody answered: escalated on 3 March
    book = load_workbook(io.BytesIO(report_workbook(data)))
    totals = {row[0]: row[1] for row in book["农技咨询"].iter_rows(min_row=2, values_only=True)}
    assert totals["农技咨询（件）"] == 1 and totals["逾期升级至局负责人"] == 1
    assert list(book["农技咨询分类"].iter_rows(min_row=2, values_only=True)) == [
        ("金银花", "虫害", 1)
    ]
