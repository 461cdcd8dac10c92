"""One simulation run: a database prepared like the county's (catalog versions, the complaint
diagram), the loop over the period, and the figures — returned as one JSON-able dict."""

from __future__ import annotations

import dataclasses
import logging
import resource
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from engine import DEFAULT_COUNTY, VirtualClock, WorkflowHost
from engine.catalog_store import seed_versions
from engine.complaints.desk import ComplaintDesk
from engine.core.audit import record_event
from engine.core.live_workflows import capacity_from_env
from engine.core.persistence import create_schema, make_engine, make_session_factory
from engine.core.persistence.models import AuditEvent, ProcessDefinition
from engine.core.transactions import run_step
from responsibility_catalog import Catalog, Status, load_catalogs, shipped_data_path
from rules import CHINA_TZ
from simulation.arrivals import Arrival, ArrivalModel, matter_universe
from simulation.behaviour import Behaviour
from simulation.figures import collect, listed_reading
from simulation.loop import LoopStats, SimulationLoop
from simulation.parameters import Parameters
from simulation.worktime import OfficeHours

BPMN = Path(__file__).resolve().parent.parent / "bpmn" / "complaint.bpmn"
COUNTY = DEFAULT_COUNTY
RUN_EVENT = "simulation.run"
DEFAULT_START = date(2020, 5, 1)  # the platform went live in May 2020
# Live workflows kept between steps (~100 KB each): a full-scale shard's open cases fit, so
# almost no step restores its instance from JSON; memory is bounded by this, not by time.
SIMULATION_LIVE_WORKFLOWS = 4096
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class RunSpec:
    months: float
    seed: int
    scale: float
    start: date = DEFAULT_START
    catalog: str | None = None  # route every case by this version (what-if), else by date
    process: str | None = None  # a .bpmn path, or a version number in ``process_source``
    parameters: Parameters = dataclasses.field(default_factory=Parameters)
    # A shard: only the arrivals in these townships (indices stay those of the whole county,
    # so every case rolls the same dice as in an unsharded run).
    townships: tuple[str, ...] | None = None

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, dtime(0, 0), CHINA_TZ).astimezone(UTC)

    @property
    def end_at(self) -> datetime:
        # Months of 30.44 days: "three years four months" is 40 months whatever the start.
        return self.start_at + (self.months * 30.4375) * _DAY

    def to_dict(self) -> dict[str, Any]:
        return {
            "months": self.months,
            "seed": self.seed,
            "scale": self.scale,
            "start": self.start.isoformat(),
            "catalog": self.catalog,
            "process": self.process,
            "townships": list(self.townships) if self.townships else None,
            "parameters": self.parameters.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunSpec:
        return cls(
            months=data["months"],
            seed=data["seed"],
            scale=data["scale"],
            start=date.fromisoformat(data["start"]),
            catalog=data.get("catalog"),
            process=data.get("process"),
            townships=tuple(data["townships"]) if data.get("townships") else None,
            parameters=Parameters.from_dict(data.get("parameters") or {}),
        )


def shipped_catalogs() -> tuple[Catalog, ...]:
    return tuple(load_catalogs(shipped_data_path()))


def _catalogs_for(spec: RunSpec, catalogs: tuple[Catalog, ...]) -> list[Catalog]:
    if spec.catalog is None:
        return list(catalogs)
    chosen = next((c for c in catalogs if c.label == spec.catalog), None)
    if chosen is None:
        raise ValueError(f"没有清单版本“{spec.catalog}”")
    # The only version, in force from the start: every case routes by it.
    return [dataclasses.replace(chosen, status=Status.PUBLISHED, effective=spec.start)]


def _deploy(host: WorkflowHost, spec: RunSpec, process_source: Engine | None) -> None:
    if spec.process is None:
        host.deploy_file(BPMN, actor="simulator")
        return
    path = Path(spec.process)
    if path.suffix == ".bpmn" and path.exists():
        host.deploy_file(path, actor="simulator", process_key="complaint")
        return
    if process_source is None:
        raise ValueError(f"流程版本“{spec.process}”须配合 --replay-from 的数据库使用")
    with process_source.connect() as connection:
        row = connection.execute(
            select(
                ProcessDefinition.bpmn_xml,
                ProcessDefinition.dmn_xmls,
                ProcessDefinition.called_xmls,
                ProcessDefinition.source_name,
            ).where(
                ProcessDefinition.process_key == "complaint",
                ProcessDefinition.version == int(spec.process),
            )
        ).first()
    if row is None:
        raise ValueError(f"源数据库中没有 complaint 流程第 {spec.process} 版")
    host.deploy(
        row.bpmn_xml,
        tuple(row.dmn_xmls),
        process_key="complaint",
        source_name=row.source_name,
        called_bpmn=tuple(row.called_xmls),
        actor="simulator",
    )


def prepare(
    db: Engine,
    spec: RunSpec,
    catalogs: tuple[Catalog, ...],
    *,
    process_source: Engine | None = None,
) -> tuple[ComplaintDesk, VirtualClock]:
    create_schema(db)
    with db.connect() as connection:
        used = connection.execute(
            select(AuditEvent.id).where(AuditEvent.action == RUN_EVENT).limit(1)
        ).first()
    if used is not None:
        raise ValueError("该数据库已有模拟数据，请换一个新数据库")
    clock = VirtualClock(spec.start_at)
    host = WorkflowHost(make_session_factory(db), clock)
    host.runtime.live_workflows.capacity = capacity_from_env(default=SIMULATION_LIVE_WORKFLOWS)
    chosen = _catalogs_for(spec, catalogs)
    run_step(
        host.session_factory,
        lambda s: seed_versions(
            chosen, county=COUNTY, actor="simulator", now=clock.now(), session=s
        ),
    )
    _deploy(host, spec, process_source)
    run_step(
        host.session_factory,
        lambda s: record_event(
            county=COUNTY,
            at=clock.now(),
            actor="simulator",
            action=RUN_EVENT,
            detail=spec.to_dict(),
            session=s,
        ),
    )
    return ComplaintDesk(host), clock


def open_run(
    db: Engine,
    spec: RunSpec,
    *,
    process_source: Engine | None = None,
    arrivals: Iterator[Arrival] | None = None,
    catalogs: tuple[Catalog, ...] | None = None,
) -> tuple[SimulationLoop, Iterator[Arrival]]:
    """A prepared database, the loop on its virtual clock, and the arrivals to feed it
    (generated from the spec unless recorded ones are given). ``catalogs`` are the versions
    ``spec.catalog`` is looked up in (a county's draft, for a what-if), else the shipped ones."""
    for name in ("spiff", "spiff.task", "spiff.workflow", "spiff.metrics"):
        logging.getLogger(name).setLevel(logging.WARNING)
    catalogs = catalogs or shipped_catalogs()
    desk, clock = prepare(db, spec, catalogs, process_source=process_source)
    organisation = catalogs[0].organisation
    model = ArrivalModel(
        spec.parameters.arrivals,
        organisation,
        matter_universe(catalogs),
        scale=spec.scale,
        seed=spec.seed,
    )
    # Replay needs no host: it never starts a process
    loop = SimulationLoop(desk, None, clock, county=COUNTY)  # type: ignore[arg-type]
    loop.behaviour = Behaviour(
        spec.parameters.behaviour,
        organisation,
        OfficeHours(),
        seed=spec.seed,
        true_route=loop.true_route,
    )
    if arrivals is None:
        arrivals = model.arrivals(spec.start, spec.end_at.astimezone(CHINA_TZ).date())
    if spec.townships is not None:
        shard = set(spec.townships)
        arrivals = (a for a in arrivals if a.township_id in shard)
    return loop, arrivals


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def simulate(
    database_url: str,
    spec: RunSpec,
    *,
    process_source: Engine | None = None,
    progress: Callable[[datetime, LoopStats], None] | None = None,
    arrivals: Iterator[Arrival] | None = None,
    catalogs: tuple[Catalog, ...] | None = None,
) -> dict[str, Any]:
    """Run ``spec`` into the (empty) database and return the figures."""
    started = time.perf_counter()
    db = make_engine(database_url)
    try:
        loop, arrivals = open_run(
            db, spec, process_source=process_source, arrivals=arrivals, catalogs=catalogs
        )
        looping = time.perf_counter()
        stats = loop.run(arrivals, spec.end_at, progress)
        loop_s = time.perf_counter() - looping
        figures = collect(
            db, spec.end_at, county=COUNTY, **listed_reading(spec.parameters.behaviour)
        )
    finally:
        db.dispose()
    wall = time.perf_counter() - started
    return report(spec, stats, figures, wall_s=wall, loop_s=loop_s)


def report(
    spec: RunSpec, stats: LoopStats, figures: dict[str, Any], *, wall_s: float, loop_s: float
) -> dict[str, Any]:
    head = ("requests", "closed", "completion_rate", "open_on_time", "open_overdue_or_extended")
    return {
        **{k: figures[k] for k in head},
        "wall_s": round(wall_s, 2),
        "requests_per_s": round(stats.requests / wall_s, 2) if wall_s else None,
        "loop_s": round(loop_s, 2),
        "steps": stats.steps,
        "steps_per_s": round(stats.steps / loop_s, 1) if loop_s else None,
        "timers_fired": stats.timers_fired,
        "sweeps": stats.sweeps,
        "skipped_actions": stats.skipped,
        "rejected": stats.rejected,
        "open_cases_peak": stats.open_cases_peak,
        "live_workflow_hits": stats.live_workflow_hits,
        "live_workflow_misses": stats.live_workflow_misses,
        "peak_rss_mb": peak_rss_mb(),
        **{k: v for k, v in figures.items() if k not in head},
        "run": {k: v for k, v in spec.to_dict().items() if k != "parameters"},
        "period": [spec.start_at.isoformat(), spec.end_at.isoformat()],
    }


def recorded_spec(db: Engine) -> RunSpec:
    """The parameters a database's simulation ran with (for ``--replay-from``)."""
    with db.connect() as connection:
        detail = connection.execute(
            select(AuditEvent.detail).where(AuditEvent.action == RUN_EVENT).limit(1)
        ).scalar()
    if detail is None:
        raise ValueError("该数据库不是模拟生成的（没有 simulation.run 记录）")
    return RunSpec.from_dict(detail)
