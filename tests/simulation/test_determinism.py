"""The same seed gives the same database figures; another seed gives others."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from engine.complaints.models import Complaint
from engine.core.persistence import make_engine
from engine.core.persistence.models import AuditEvent
from simulation.run import RunSpec, simulate

SPEC = RunSpec(months=1, seed=5, scale=0.002, start=date(2021, 6, 1))
MEASURED = ("wall_s", "loop_s", "requests_per_s", "steps_per_s", "peak_rss_mb")


def _run(tmp_path, name, spec=SPEC):
    url = f"sqlite:///{tmp_path / name}"
    result = simulate(url, spec)
    return url, {k: v for k, v in result.items() if k not in MEASURED}


def test_same_seed_same_figures_bit_for_bit(tmp_path):
    url, first = _run(tmp_path, "a.sqlite")
    _, second = _run(tmp_path, "b.sqlite")
    assert first["requests"] > 15
    assert first["steps"] > 2 * first["requests"]  # the cases really went through tasks
    assert first["timers_fired"] > 0  # reminders and deadlines fired by the sweep
    assert first == second  # counts per status, stage, township, on-time flags, digest
    _, other = _run(tmp_path, "c.sqlite", RunSpec(months=1, seed=6, scale=0.002, start=SPEC.start))
    assert other["digest"] != first["digest"]

    # Every request is a complaint made through intake, and the run is recorded for replays.
    db = make_engine(url)
    with db.connect() as connection:
        complaints = connection.scalar(select(func.count(Complaint.id)))
        started = connection.scalar(
            select(func.count()).where(AuditEvent.action == "instance.started")
        )
        run = connection.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "simulation.run")
        )
    db.dispose()
    assert complaints == first["requests"]
    assert run["seed"] == 5 and run["scale"] == 0.002
    assert started == complaints
