"""Simulated history for the demo county: a few months of requests played through the real
engine by the county simulator (simulation/), ending today, so inboxes, consoles and lists
hold cases at every stage beside the hand-written story cases."""

from __future__ import annotations

from datetime import datetime, timedelta

from engine import WorkflowHost
from rules import CHINA_TZ
from simulation.loop import LoopStats
from simulation.run import RunSpec, open_run

# Small on purpose: `juhaoban demo` must stay well under a minute (~2 requests a day).
DEMO_MONTHS = 2.0
DEMO_SCALE = 0.005


def create_demo_simulation(
    host: WorkflowHost,
    *,
    today: datetime,
    months: float = DEMO_MONTHS,
    scale: float = DEMO_SCALE,
    seed: int = 2020,
) -> LoopStats:
    """Simulate ``months`` up to ``today`` into the host's database (once: a database that
    already holds a simulation is refused with ``ValueError``)."""
    start = (today - timedelta(days=months * 30.4375)).astimezone(CHINA_TZ).date()
    spec = RunSpec(months=months, seed=seed, scale=scale, start=start)
    loop, arrivals = open_run(host.bind, spec)
    return loop.run(arrivals, min(spec.end_at, today))
