"""Analytics benchmarks on the county's three-year volume; prints one JSON object.

- ``heatmap_ms``: the heat map of a half-year for the whole county (township counts, last
  year's, location cells, villages, grids, matters, domains and both trends), median of 5.
- ``ranking_ms``: one month's red/black list figures and order (six GROUP BYs), median of 5;
  ``ranking_publish_ms`` adds storing the snapshot with the cases behind every figure.
- ``report_s``: the half-year analysis report generated and published (every section,
  units' performance, notifications), then its HTML page and its Excel workbook fetched
  through the web application.

Targets (issue 8): heat map ≤ 300 ms, monthly ranking ≤ 1 s, full report ≤ 30 s, on 550,000
complaints in SQLite and PostgreSQL. Data: ``simulation.generate`` writes the projection
rows directly (three years ending 6 September 2026), ~2.3 stage records per complaint.

Usage: ``python bench/analytics.py [--quick] [--count N] [--database-url URL] [--keep DIR]``
(``--database-url postgresql://...`` builds into a fresh schema and drops it afterwards;
``--keep DIR`` reuses a SQLite file built earlier with the same count, ``--schema NAME`` a
PostgreSQL schema.)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from analytics import HeatFilter, heatmap, publish_ranking, publish_report  # noqa: E402
from analytics.periods import half_year, month  # noqa: E402
from analytics.rankings import compute_ranking  # noqa: E402
from cli.demo.users import DEMO_PASSWORD, create_demo_users  # noqa: E402
from engine import VirtualClock, WorkflowHost  # noqa: E402
from engine.catalog_store import seed_versions  # noqa: E402
from engine.complaints.models import Complaint  # noqa: E402
from engine.core.config import EngineConfig  # noqa: E402
from engine.core.persistence import create_schema, make_engine, make_session_factory  # noqa: E402
from engine.core.transactions import run_step  # noqa: E402
from engine.maintenance import optimize_database  # noqa: E402
from responsibility_catalog import load_catalogs, shipped_data_path  # noqa: E402
from simulation import generate  # noqa: E402

NOW = datetime(2026, 9, 6, 8, 0, tzinfo=UTC)  # "截至今年9月6日16时" (Beijing)
START = NOW - timedelta(days=3 * 365)
HALF = half_year(2026, 1)
MONTH = month(2026, 8)


def _median_ms(run, times: int) -> float:
    samples = []
    for _ in range(times):
        began = time.perf_counter()
        run()
        samples.append((time.perf_counter() - began) * 1000)
    return round(statistics.median(samples), 1)


def _pg_schema(url: str, name: str | None) -> tuple[str, str]:
    schema = name or f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    admin.dispose()
    parsed = make_url(url)
    scoped = parsed.set(
        drivername="postgresql+psycopg",
        query={**parsed.query, "options": f"-csearch_path={schema}"},
    )
    return scoped.render_as_string(hide_password=False), schema


def _drop_pg_schema(url: str, schema: str) -> None:
    admin = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def build(url: str, count: int, catalogs) -> float:
    db = make_engine(url)
    create_schema(db)
    factory = make_session_factory(db)
    with factory() as session:
        existing = session.scalar(select(func.count()).select_from(Complaint))
    if existing >= count:
        return 0.0
    began = time.perf_counter()
    run_step(
        factory,
        lambda s: seed_versions(catalogs, county="julu", actor="bench", now=START, session=s),
    )
    create_demo_users(WorkflowHost(factory, VirtualClock(START)))
    generate(factory, catalog=catalogs[-1], start=START, end=NOW, count=count, now=NOW)
    optimize_database(db)
    if db.dialect.name == "postgresql":
        # What autovacuum does after a bulk load: statistics, and the visibility map that
        # lets the GROUP BYs scan the covering index alone.
        with db.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    db.dispose()
    return round(time.perf_counter() - began, 1)


def measure(url: str, catalogs, instance_dir: Path) -> dict[str, float]:
    from web import create_app

    catalog = catalogs[-1]
    db = make_engine(url)
    factory = make_session_factory(db)
    out: dict[str, float] = {}

    def heat() -> None:
        with factory() as session:
            heatmap(county="julu", heat=HeatFilter(HALF), catalog=catalog, session=session)

    def heat_township() -> None:
        with factory() as session:
            heatmap(
                county="julu",
                heat=HeatFilter(HALF, township_id="zhangwangtuan"),
                catalog=catalog,
                session=session,
            )

    def ranking() -> None:
        with factory() as session:
            compute_ranking(
                county="julu", period=MONTH, organisation=catalog.organisation, session=session
            )

    heat()  # warm the page cache once, as a running server would have it
    out["heatmap_ms"] = _median_ms(heat, 5)
    out["heatmap_township_ms"] = _median_ms(heat_township, 5)
    out["ranking_ms"] = _median_ms(ranking, 5)
    # Snapshots are immutable: on a reused database, publish a month not published yet.
    period = MONTH
    while True:
        began = time.perf_counter()
        published = publish_ranking(factory, county="julu", period=period, now=NOW, actor="b")
        if published.created:
            break
        period = period.previous()
    out["ranking_publish_ms"] = round((time.perf_counter() - began) * 1000, 1)

    config = EngineConfig.from_env(
        {"JUHAOBAN_INSTANCE_DIR": str(instance_dir), "JUHAOBAN_DATABASE_URL": url}
    )
    app = create_app({"ENGINE_CONFIG": config, "CLOCK": VirtualClock(NOW), "SECRET_KEY": "bench"})
    period = HALF
    while True:
        began = time.perf_counter()
        published = publish_report(factory, county="julu", period=period, now=NOW, actor="b")
        generated = time.perf_counter() - began
        if published.created:
            break
        period = period.previous()
    client = app.test_client()
    login = client.get("/auth/login").get_data(as_text=True)
    token = login.split('name="csrf_token" value="')[1].split('"')[0]
    client.post(
        "/auth/login",
        data={"username": "leader", "password": DEMO_PASSWORD, "csrf_token": token},
    )
    began = time.perf_counter()
    html = client.get(f"/analytics/reports/{published.snapshot_id}")
    workbook = client.get(f"/analytics/reports/{published.snapshot_id}.xlsx")
    rendered = time.perf_counter() - began
    assert html.status_code == 200 and workbook.status_code == 200
    out["report_generate_s"] = round(generated, 2)
    out["report_render_s"] = round(rendered, 3)
    out["report_s"] = round(generated + rendered, 2)
    app.extensions["juhaoban.host"].session_factory.kw["bind"].dispose()
    db.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 complaints (under a minute)")
    parser.add_argument("--count", type=int, default=None, help="complaints (default 550,000)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default SQLite)")
    parser.add_argument("--keep", default=None, help="directory for a reusable SQLite file")
    parser.add_argument(
        "--schema", default=None, help="PostgreSQL schema to build once and reuse (kept)"
    )
    args = parser.parse_args()
    count = args.count or (20_000 if args.quick else 550_000)
    catalogs = load_catalogs(shipped_data_path())
    wall = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        schema = None
        if args.database_url:
            url, schema = _pg_schema(args.database_url, args.schema)
        else:
            folder = Path(args.keep) if args.keep else Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{folder / f'analytics-{count}.sqlite'}"
        try:
            build_s = build(url, count, catalogs)
            result = {
                "quick": args.quick,
                "database": "postgresql" if schema else "sqlite",
                "complaints": count,
                "build_s": build_s,
                **measure(url, catalogs, Path(tmp)),
            }
        finally:
            if schema and not args.schema:
                _drop_pg_schema(args.database_url, schema)
    result["wall_s"] = round(time.perf_counter() - wall, 1)
    # The machine is shared: the load during the run says how much to trust the timings.
    result["load_avg_1m"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
