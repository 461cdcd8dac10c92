"""Bulk synthetic history: years of complaints written as the lifecycle's projection leaves
them (complaint rows and stage records with frozen on-time flags), without workflow
instances.

For benchmarks (the county's 550,000 complaints in three years) and for the demo's lists and
reports. Running the real BPMN lifecycle for each would take hours; analytics only read the
projection, which is what this writes. Every row is marked: tracking codes start with ``SY-``
and ``reported_by`` is ``synthetic``. Units differ in quality by year, so lists tell a story:
张王疃乡 reports little and closes late in 2025, then turns round in 2026 (as the county's own
account describes).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from engine import DEFAULT_COUNTY
from engine.complaints.models import Complaint, ComplaintStage
from engine.core.host import WorkflowHost
from engine.core.transactions import run_step
from responsibility_catalog import Catalog
from rules import ComplaintFacts, route

CHUNK = 5000
GARBAGE = "D05-01"
GARBAGE_SHARE = 0.29  # "近4万件涉及垃圾清理问题，占全年上报事项总量的近三成"


@dataclass
class Profile:
    """How busy and how good a unit is in a year (1.0 = the county's norm)."""

    activity: dict[tuple[str, int], float] = field(
        default_factory=lambda: {("zhangwangtuan", 2025): 0.25, ("zhangwangtuan", 2026): 1.8}
    )
    quality: dict[tuple[str, int], float] = field(
        default_factory=lambda: {
            ("zhangwangtuan", 2025): 0.55,
            ("zhangwangtuan", 2026): 0.99,
            ("housing", 2025): 0.7,
            ("housing", 2026): 0.75,
            ("guanting", 2026): 0.72,
        }
    )

    def busy(self, unit: str, year: int) -> float:
        return self.activity.get((unit, year), 1.0)

    def good(self, unit: str, year: int) -> float:
        return self.quality.get((unit, year), 0.93)


class _Router:
    """Routing by the catalog, once per (matter, village); unresolved cases go to the
    township, as a dispatcher would decide them by hand."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.cache: dict[tuple[str, str], tuple[str, list[str], bool, str, str]] = {}

    def __call__(self, matter: str, village: str, township: str) -> tuple[Any, ...]:
        key = (matter, village)
        if key not in self.cache:
            decision = route(ComplaintFacts(matter=matter, village=village), self.catalog)
            by_hand = decision.primary is None
            primary = decision.primary.id if decision.primary else township
            supporting = [u.id for u in decision.supporting]
            m = self.catalog.matters_by_id[matter]
            domain = self.catalog.domain_of[matter].name
            self.cache[key] = (primary, supporting, by_hand, m.name, domain)
        return self.cache[key]


def _matter_weights(catalog: Catalog, rng: random.Random) -> tuple[list[str], list[float]]:
    others = [m.id for m in catalog.matters() if m.id != GARBAGE]
    rng.shuffle(others)
    weights = [1.0 / (rank + 3) for rank in range(len(others))]
    scale = (1 - GARBAGE_SHARE) / sum(weights)
    return [GARBAGE, *others], [GARBAGE_SHARE, *(w * scale for w in weights)]


def generate_on(
    host: WorkflowHost,
    *,
    catalog: Catalog,
    start: datetime,
    end: datetime,
    count: int,
    now: datetime,
    county: str = DEFAULT_COUNTY,
    seed: int = 3,
    profile: Profile | None = None,
    close_all: bool = False,
) -> int:
    """:func:`generate` into the host's database (the demo holds a host, not a session
    factory)."""
    return generate(
        host.session_factory,
        catalog=catalog,
        start=start,
        end=end,
        count=count,
        now=now,
        county=county,
        seed=seed,
        profile=profile,
        close_all=close_all,
    )


def generate(
    session_factory: sessionmaker[Session],
    *,
    catalog: Catalog,
    start: datetime,
    end: datetime,
    count: int,
    now: datetime,
    county: str = DEFAULT_COUNTY,
    seed: int = 3,
    profile: Profile | None = None,
    close_all: bool = False,
) -> int:
    """Write ``count`` complaints received in ``[start, end)`` (all before ``now``).

    :param close_all: every complaint ends closed (the demo's history must not fill the
        dispatcher's overdue board with cases nobody can act on: they have no workflow).
    """
    rng = random.Random(seed)
    profile = profile or Profile()
    org = catalog.organisation
    router = _Router(catalog)
    matters, matter_weights = _matter_weights(catalog, rng)
    townships = list(org.townships)
    span = (end - start).total_seconds()
    with session_factory() as session:
        first = _next_number(session)
    # Received times in order, so ids grow with time as on a real platform.
    instants = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(count))
    made = 0
    for offset in range(0, count, CHUNK):
        rows: list[dict[str, Any]] = []
        stages: list[list[dict[str, Any]]] = []
        for index, received in enumerate(instants[offset : offset + CHUNK], start=offset):
            year = received.year
            weights = [t.population * profile.busy(t.id, year) for t in townships]
            township = rng.choices(townships, weights)[0]
            village = rng.choice(township.villages)
            matter = rng.choices(matters, matter_weights)[0]
            complaint, its_stages = _one(
                first + index,
                received,
                township.id,
                village,
                matter,
                router,
                profile,
                now,
                rng,
                county,
                close_all,
            )
            rows.append(complaint)
            stages.append(its_stages)
        run_step(session_factory, lambda s, r=rows, st=stages: _write(s, r, st))
        made += len(rows)
    return made


def _next_number(session: Session) -> int:
    """The number after the last synthetic row's (``SY-00000042`` → 43), so a second run
    continues the series: tracking codes and stage task ids stay unique."""
    last = session.scalar(
        select(func.max(Complaint.tracking_code)).where(Complaint.tracking_code.like("SY-%"))
    )
    return int(last[3:]) + 1 if last else 1


def _write(
    session: Session, rows: list[dict[str, Any]], stages: list[list[dict[str, Any]]]
) -> None:
    # The database assigns the ids (never written explicitly: on PostgreSQL that would leave
    # the id sequence behind, and the next report would collide with a synthetic row).
    ids = session.scalars(
        insert(Complaint).returning(Complaint.id, sort_by_parameter_order=True), rows
    ).all()
    linked = [
        stage | {"complaint_id": cid} for cid, its in zip(ids, stages, strict=True) for stage in its
    ]
    if linked:
        session.execute(insert(ComplaintStage), linked)


def _stage(
    cid: int, n: int, stage: str, unit: str, started: datetime, due: datetime | None,
    ended: datetime | None, county: str, outcome: str = "completed",
) -> dict[str, Any]:  # fmt: skip
    """``cid`` is the row's synthetic number; :func:`_write` links the stage to its id."""
    return {
        "county": county,
        "stage": stage,
        "task_id": f"syn-{cid}-{n}",
        "unit": unit,
        "started_at": started,
        "due_at": due,
        "ended_at": ended,
        "outcome": outcome if ended else None,
        "on_time": (due is None or ended <= due) if ended else None,
        "actor": "synthetic" if ended else None,
    }


def _one(
    cid: int,
    received: datetime,
    township: str,
    village: Any,
    matter: str,
    router: _Router,
    profile: Profile,
    now: datetime,
    rng: random.Random,
    county: str,
    close_all: bool = False,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    primary, supporting, by_hand, matter_name, domain = router(matter, village.id, township)
    good = profile.good(primary, received.year)
    stages: list[dict[str, Any]] = []
    counter = iter(range(100))
    t = received
    if by_hand:
        ended = t + timedelta(minutes=rng.randint(5, 40))
        stages.append(
            _stage(
                cid,
                next(counter),
                "jurisdiction",
                "dispatcher",
                t,
                t + timedelta(minutes=30),
                ended,
                county,
            )
        )  # noqa: E501
        t = ended
    closure = rng.random()
    kind = "merged" if closure < 0.02 else "invalid" if closure < 0.03 else None
    row = _base_row(cid, received, township, village, matter, matter_name, domain, county, rng)
    row.update(primary_unit=primary, supporting_units=supporting)
    if kind:
        row.update(
            stage=kind, status="closed", closure_kind=kind, valid=kind != "invalid",
            closed_at=min(now, t + timedelta(hours=rng.randint(1, 20))),
        )  # fmt: skip
        return row, stages
    sign_due = t + timedelta(hours=2)
    if rng.random() < 0.03:  # returned: the dispatcher reaffirms half of the returns
        ended = t + timedelta(minutes=rng.randint(10, 100))
        stages.append(_stage(cid, next(counter), "sign_for", primary, t, sign_due, ended, county))
        ruled = ended + timedelta(hours=rng.randint(1, 30))
        stages.append(
            _stage(
                cid,
                next(counter),
                "contested",
                "dispatcher",
                ended,
                ended + timedelta(days=1),
                ruled,
                county,
            )
        )  # noqa: E501
        if rng.random() >= 0.5:
            primary = township if primary != township else "urban_management"
            row["primary_unit"] = primary
        row["return_count"] = 1
        t, sign_due = ruled, ruled + timedelta(hours=2)
    age_days = (now - received).total_seconds() / 86400
    in_time = rng.random() < good
    sign_end = t + (
        timedelta(minutes=rng.randint(5, 100)) if in_time else timedelta(hours=rng.randint(3, 30))
    )  # noqa: E501
    if close_all:
        sign_end = min(sign_end, now - timedelta(days=2))
    if sign_end > now:
        stages.append(_stage(cid, next(counter), "sign_for", primary, t, sign_due, None, county))
        row.update(stage="sign_for", sign_for_due=sign_due)
        return row, stages
    stages.append(_stage(cid, next(counter), "sign_for", primary, t, sign_due, sign_end, county))
    handle_due = sign_end + timedelta(days=5)
    if rng.random() < 0.03:
        row["extension_count"] = 1
        handle_due += timedelta(days=10)
    handled_in_time = rng.random() < good
    done = sign_end + (
        timedelta(hours=rng.randint(2, 96))
        if handled_in_time
        else timedelta(days=rng.randint(6, 14))  # noqa: E501
    )
    settled = age_days > 25 and rng.random() < 0.985
    closes = settled or (done + timedelta(days=1) < now and rng.random() < 0.6)
    if close_all:
        closes, done = True, min(done, now - timedelta(hours=1))
    if not closes or done > now:
        stages.append(
            _stage(cid, next(counter), "handle", primary, sign_end, handle_due, None, county)
        )  # noqa: E501
        row.update(stage="handling", handle_due=handle_due, overdue=handle_due < now)
        return row, stages
    stages.append(_stage(cid, next(counter), "handle", primary, sign_end, handle_due, done, county))
    if rng.random() < 0.02:  # rated unsatisfied once and handled again
        again = done + timedelta(days=1)
        done = again + timedelta(days=rng.randint(1, 4))
        stages.append(
            _stage(
                cid,
                next(counter),
                "handle",
                primary,
                again,
                again + timedelta(days=5),
                done,
                county,
            )
        )  # noqa: E501
        row["reopen_count"] = 1
    closed_at = min(now, done + timedelta(hours=rng.randint(1, 48)))
    rating = rng.random()
    satisfaction = (
        "no_response" if rating < 0.05
        else "satisfied" if rating < 0.05 + 0.8 * good
        else "basic" if rating < 0.05 + 0.93 * good + 0.02
        else "unsatisfied"
    )  # fmt: skip
    row.update(
        stage="closed", status="closed", closure_kind="done", closed_at=closed_at,
        satisfaction=satisfaction, handle_due=handle_due, overdue=done > handle_due,
        reply_text="已处理完毕",
    )  # fmt: skip
    return row, stages


def _base_row(
    cid: int, received: datetime, township: str, village: Any, matter: str, matter_name: str,
    domain: str, county: str, rng: random.Random,
) -> dict[str, Any]:  # fmt: skip
    located = rng.random() < 0.4
    grid = rng.choice(village.grids).id if village.grids else None
    return {
        "county": county,
        "tracking_code": f"SY-{cid:08d}",
        "channel": "grid" if grid and rng.random() < 0.5 else "app",
        "matter_id": matter,
        "matter_name": matter_name,
        "domain": domain,
        "township_id": township,
        "village_id": village.id,
        "grid_id": grid,
        "latitude": village.lat + rng.uniform(-0.004, 0.004) if located else None,
        "longitude": village.lon + rng.uniform(-0.004, 0.004) if located else None,
        "description": "（合成历史数据）群众反映的问题",
        "photos": [],
        "reporter_group": f"reporter:synthetic-{cid % 5000}",
        "reported_by": "synthetic",
        "on_behalf": False,
        "received_at": received,
        "catalog_version": None,
        "stage": "processing",
        "status": "open",
        "supporting_units": [],
        "due_provisional": False,
        "overdue": False,
        "extension_count": 0,
        "return_count": 0,
        "reopen_count": 0,
        "listed": False,
        "valid": True,
        "updated_at": received,
        # Set below for some rows; every row carries every key (one executemany statement).
        "primary_unit": None,
        "sign_for_due": None,
        "handle_due": None,
        "closure_kind": None,
        "closed_at": None,
        "satisfaction": None,
        "reply_text": None,
    }
