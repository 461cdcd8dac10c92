"""Publish a snapshot once per period and tell every unit (ADR 0007).

Idempotent: a second call for the same ``(county, kind, period)`` — another worker, a re-run
job, a second click — returns the first snapshot. Two writers racing meet the unique key;
the loser's transaction rolls back and it reads the winner's row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from analytics.organisation import catalog_in_force, every_unit
from analytics.periods import Period
from analytics.rankings import compute_ranking, store_cases
from analytics.report import compute_report
from engine.core.audit import record_event
from engine.core.errors import EngineError
from engine.core.host import WorkflowHost
from engine.core.notifications import notify
from engine.core.transactions import run_step
from engine.snapshots import AnalyticsSnapshot
from rules.ranking import DEFAULT_POLICY, RankingPolicy


class NoCatalog(EngineError):
    """Nothing to rank against: no catalog version is in force."""


@dataclass(frozen=True)
class Published:
    snapshot_id: int
    created: bool


def find_snapshot(
    *, county: str, kind: str, period_key: str, session: Session
) -> AnalyticsSnapshot | None:
    return session.scalar(
        select(AnalyticsSnapshot).where(
            AnalyticsSnapshot.county == county,
            AnalyticsSnapshot.kind == kind,
            AnalyticsSnapshot.period_key == period_key,
        )
    )


def _publish(
    session_factory: sessionmaker[Session],
    *,
    county: str,
    kind: str,
    period: Period,
    now: datetime,
    actor: str,
    build: Callable[[Session, Any], dict[str, Any]],
    after: Callable[[Session, AnalyticsSnapshot, Any], None],
) -> Published:
    def step(session: Session) -> Published:
        existing = find_snapshot(county=county, kind=kind, period_key=period.key, session=session)
        if existing is not None:
            return Published(existing.id, False)
        catalog = catalog_in_force(county=county, session=session)
        if catalog is None:
            raise NoCatalog("没有生效的责任清单，无法统计")
        snapshot = AnalyticsSnapshot(
            county=county,
            kind=kind,
            period_key=period.key,
            period_start=period.start,
            period_end=period.end,
            created_at=now,
            created_by=actor,
            data=build(session, catalog),
        )
        session.add(snapshot)
        session.flush()
        after(session, snapshot, catalog)
        record_event(
            county=county,
            at=now,
            actor=actor,
            action=f"analytics.{kind}.published",
            detail={"snapshot_id": snapshot.id, "period": period.key},
            session=session,
        )
        return Published(snapshot.id, True)

    try:
        return run_step(session_factory, step)
    except IntegrityError:
        with session_factory() as session:
            existing = find_snapshot(
                county=county, kind=kind, period_key=period.key, session=session
            )
        if existing is None:
            raise
        return Published(existing.id, False)


def publish_ranking(
    session_factory: sessionmaker[Session],
    *,
    county: str,
    period: Period,
    now: datetime,
    actor: str,
    policy: RankingPolicy = DEFAULT_POLICY,
    notify_units: bool = True,
) -> Published:
    """Publish a month's list once; ``notify_units=False`` when back-filling old months."""

    def build(session: Session, catalog: Any) -> dict[str, Any]:
        return compute_ranking(
            county=county,
            period=period,
            organisation=catalog.organisation,
            session=session,
            policy=policy,
        )

    def after(session: Session, snapshot: AnalyticsSnapshot, catalog: Any) -> None:
        units = [r["unit"] for g in snapshot.data["groups"] for r in g["rows"]]
        store_cases(snapshot.id, county=county, period=period, units=units, session=session)
        if notify_units:
            _tell_units(session, snapshot, catalog, now=now)

    return _publish(
        session_factory,
        county=county,
        kind="ranking",
        period=period,
        now=now,
        actor=actor,
        build=build,
        after=after,
    )


def publish_report(
    session_factory: sessionmaker[Session],
    *,
    county: str,
    period: Period,
    now: datetime,
    actor: str,
) -> Published:
    def build(session: Session, catalog: Any) -> dict[str, Any]:
        return compute_report(
            county=county, period=period, catalog=catalog, now=now, session=session
        )

    def after(session: Session, snapshot: AnalyticsSnapshot, catalog: Any) -> None:
        _tell_units(session, snapshot, catalog, now=now)

    return _publish(
        session_factory,
        county=county,
        kind="report",
        period=period,
        now=now,
        actor=actor,
        build=build,
        after=after,
    )


def publish_snapshot(
    host: WorkflowHost,
    kind: str,
    *,
    county: str,
    period: Period,
    now: datetime,
    actor: str,
    notify_units: bool = True,
) -> Published:
    """Publish a ``"ranking"`` or a ``"report"`` on the host's database (for pages and the
    command line); ``notify_units=False`` when back-filling old months' rankings."""
    if kind == "ranking":
        return publish_ranking(
            host.session_factory,
            county=county,
            period=period,
            now=now,
            actor=actor,
            notify_units=notify_units,
        )
    return publish_report(host.session_factory, county=county, period=period, now=now, actor=actor)


def _tell_units(
    session: Session, snapshot: AnalyticsSnapshot, catalog: Any, *, now: datetime
) -> None:
    """One notification per unit; a ranked unit's says where it stands."""
    label = snapshot.data["period"]["label"]
    if snapshot.kind == "report":
        title = f"{label}大数据分析报告已发布"
        link = f"/analytics/reports/{snapshot.id}"
        bodies = dict.fromkeys(every_unit(catalog.organisation), link)
    else:
        title = f"{label}红黑榜已发布"
        link = f"/analytics/rankings/{snapshot.id}"
        bodies = dict.fromkeys(every_unit(catalog.organisation), link)
    for unit, body in bodies.items():
        notify(
            [unit],
            county=snapshot.county,
            kind=f"analytics_{snapshot.kind}",
            title=title + _standing(snapshot, unit),
            body=body,
            now=now,
            session=session,
        )


def _standing(snapshot: AnalyticsSnapshot, unit: str) -> str:
    if snapshot.kind != "ranking":
        return ""
    for group in snapshot.data["groups"]:
        for row in group["rows"]:
            if row["unit"] != unit:
                continue
            if row["rank"] is None:
                return f"：本单位本月 {row['cases']} 件，样本不足未参与排名"
            board = {"red": "，登上红榜", "black": "，列入黑榜"}.get(row["board"] or "", "")
            return f"：本单位在{group['label']}中排第 {row['rank']} 名{board}"
    return ""
