"""Agricultural consultation benchmarks; prints one JSON object.

- ``consultation_ms``: one consultation through the real processes (ask → the expert asks
  back → the grower replies → the expert concludes → the grower rates), median of 20.
- ``push_s``: a guidance push sent at once to every honeysuckle grower of the county (one
  step: audience query, receipts, one notification per recipient), for ``--growers`` growers.
- ``preview_ms``: the composer's audience preview for the same push (one GROUP BY), median
  of 5.
- ``figures_ms``: the dashboard's / report's agricultural figures over a half-year holding
  ``--questions`` consultations (bulk-inserted rows), median of 5.

Usage: ``python bench/agri.py [--growers N] [--questions N] [--database-url URL]``
(a PostgreSQL URL builds into a fresh schema and drops it afterwards).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from analytics import Period  # noqa: E402
from analytics.agri import agri_figures  # noqa: E402
from engine import VirtualClock, WorkflowHost  # noqa: E402
from engine.agri import AgriDesk  # noqa: E402
from engine.agri.models import Consultation, Grower, GrowerCrop  # noqa: E402
from engine.catalog_store import seed_versions  # noqa: E402
from engine.core.persistence import create_schema, make_engine, make_session_factory  # noqa: E402
from engine.core.transactions import run_step  # noqa: E402
from engine.people import Account, create_account  # noqa: E402
from responsibility_catalog import load_catalogs, shipped_data_path  # noqa: E402

NOW = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
CROPS = ("honeysuckle", "wheat", "corn", "wolfberry")
SYMPTOMS = ("leaf_drying", "pests", "leaf_spots", "poor_growth", "root_rot")


def _median_ms(run, times: int) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 2)


def _world(url: str):
    engine = make_engine(url)
    create_schema(engine)
    clock = VirtualClock(NOW)
    host = WorkflowHost(make_session_factory(engine), clock)
    catalogs = load_catalogs(shipped_data_path())
    run_step(
        host.session_factory,
        lambda s: seed_versions(catalogs, county="julu", actor="bench", now=NOW, session=s),
    )
    for name in ("agri_consultation.bpmn", "agri_push.bpmn"):
        host.deploy_file(ROOT / "bpmn" / name, actor="bench")
    desk = AgriDesk(host)

    def people(session):
        rows = [
            create_account(
                username=u,
                display_name=u,
                password="bench-pass",
                role=role,
                unit_id=unit,
                grids=grids,
                county="julu",
                now=NOW,
                session=session,
                password_hash="x",
            )
            for u, role, unit, grids in (
                ("expert", "agri_expert", "agriculture", []),
                ("grid", "grid_worker", None, ["dicun-002-g1"]),
            )
        ]
        return {r.username: Account.of(r) for r in rows}

    accounts = run_step(host.session_factory, people)
    desk.add_specialty("honeysuckle", "expert")
    return engine, clock, host, desk, accounts


def _bulk_growers(host, desk: AgriDesk, count: int) -> None:
    villages = desk.organisation().villages
    growers = [
        {
            "id": n + 1,
            "county": "julu",
            "name": f"种植户{n}",
            "username": f"grower{n}",  # each reached by their own notification
            "township_id": villages[n % len(villages)].township_id,
            "village_id": villages[n % len(villages)].id,
            "registered_by": "grid",
            "created_at": NOW,
        }
        for n in range(count)
    ]
    crops = [
        {"county": "julu", "grower_id": g["id"], "crop": "honeysuckle", "area_mu": 3.0}
        for g in growers
    ]
    with host.session_factory.begin() as session:
        session.execute(insert(Grower.__table__), growers)
        session.execute(insert(GrowerCrop.__table__), crops)


def _bulk_questions(host, count: int) -> None:
    rows = []
    for n in range(count):
        asked = NOW - timedelta(days=180) + timedelta(minutes=n * 180 * 24 * 60 // count)
        answered = asked + timedelta(hours=1 + n % 30) if n % 7 else None
        rows.append(
            {
                "county": "julu",
                "grower_id": 1 + n % 100,
                "asked_by": "grid",
                "crop": CROPS[n % 4],
                "symptom": SYMPTOMS[n % 5],
                "description": "x",
                "photos": [],
                "township_id": "dicun",
                "village_id": "dicun-002",
                "stage": "closed" if answered else "expert",
                "escalations": 0 if n % 11 else 1,
                "asked_at": asked,
                "first_answer_at": answered,
                "rating": 1 + n % 5 if answered and n % 3 else None,
            }
        )
    with host.session_factory.begin() as session:
        for start in range(0, len(rows), 5000):
            session.execute(insert(Consultation.__table__), rows[start : start + 5000])


def run(url: str, growers: int, questions: int) -> dict:
    engine, clock, host, desk, people = _world(url)
    _bulk_growers(host, desk, growers)
    grid, expert = people["grid"], people["expert"]
    local = [g for g in desk.askable_growers(grid)][:1]

    def consultation() -> None:
        cid = desk.ask(
            grower_id=local[0].id,
            crop="honeysuckle",
            symptom="leaf_drying",
            description="叶子干枯",
            account=grid,
        )
        desk.expert_reply(
            cid, {"reply_kind": "ask", "message": "浇水多吗"}, actor="expert", groups=expert.groups
        )
        desk.grower_reply(cid, "每天浇", actor="grid", groups=grid.groups)
        desk.expert_reply(
            cid,
            {
                "reply_kind": "conclude",
                "message": "浇水过多",
                "diagnosis": "过湿",
                "guidance": "晒土",
            },
            actor="expert",
            groups=expert.groups,
        )
        desk.rate(cid, "5", actor="grid", groups=grid.groups)

    consultation_ms = _median_ms(consultation, 20)
    townships = [t.id for t in desk.organisation().townships]
    preview_ms = _median_ms(lambda: desk.preview("honeysuckle", townships, []), 5)
    started = time.perf_counter()
    push_id = desk.create_push(
        crop="honeysuckle",
        title="全县金银花蚜虫预警",
        body="注意蚜虫",
        townships=townships,
        villages=[],
        actor="expert",
    )
    push_s = round(time.perf_counter() - started, 3)
    reached = desk.push(push_id).recipients
    _bulk_questions(host, questions)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    half = Period(date(2025, 9, 1), date(2026, 2, 28))

    def figures() -> None:
        with host.session_factory() as session:
            agri_figures(county="julu", period=half, session=session)

    figures_ms = _median_ms(figures, 5)
    engine.dispose()
    return {
        "database": engine.dialect.name,
        "growers": growers,
        "questions": questions,
        "consultation_ms": consultation_ms,
        "preview_ms": preview_ms,
        "push_s": push_s,
        "push_recipients": reached,
        "figures_ms": figures_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--growers", type=int, default=20_000)
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    if args.database_url and args.database_url.startswith("postgresql"):
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(make_url(args.database_url).set(drivername="postgresql+psycopg"))
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = (
            make_url(args.database_url)
            .set(drivername="postgresql+psycopg", query={"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
        try:
            result = run(url, args.growers, args.questions)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            result = run(
                args.database_url or f"sqlite:///{tmp}/bench.sqlite", args.growers, args.questions
            )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
