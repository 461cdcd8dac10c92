"""A month of simulated complaints through the real engine, for tests that watch every step
(returns, assists in a subprocess, reminders and deadlines fired by the sweep, listing)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from engine.core.persistence import make_engine
from simulation.loop import LoopStats
from simulation.run import RunSpec, open_run


def simulate_month(folder: Path, *, seed: int) -> LoopStats:
    spec = RunSpec(months=1, seed=seed, scale=0.004, start=date(2021, 6, 1))
    db = make_engine(f"sqlite:///{folder / f'month-{seed}.sqlite'}")
    loop, arrivals = open_run(db, spec)
    stats = loop.run(arrivals, spec.start_at + timedelta(days=30))
    db.dispose()
    assert stats.steps > 100 and stats.timers_fired > 0
    return stats
