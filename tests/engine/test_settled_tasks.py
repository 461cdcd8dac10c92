"""Reusing finished tasks' converted form writes exactly the text a fresh conversion writes,
at every save of simulated complaints (returns, assists, timers, consultations, listing)."""

from __future__ import annotations

from datetime import date, timedelta

from engine.core import settled_tasks
from engine.core.persistence import make_engine
from engine.core.serialization import StateSerializer
from simulation.run import RunSpec, open_run


def test_kept_forms_write_the_same_text_as_a_fresh_conversion(tmp_path, monkeypatch):
    fresh = StateSerializer(keep_settled=False)
    seen = {"saves": 0, "kept": 0}
    original = StateSerializer.dump_workflow

    def compared(self, workflow):
        text = original(self, workflow)
        assert text == original(fresh, workflow)
        seen["saves"] += 1
        seen["kept"] += sum(
            settled_tasks._KEPT in t.__dict__
            for tasks in [workflow.tasks, *(s.tasks for s in workflow.subprocesses.values())]
            for t in tasks.values()
        )
        return text

    monkeypatch.setattr(StateSerializer, "dump_workflow", compared)
    spec = RunSpec(months=1, seed=4, scale=0.004, start=date(2021, 6, 1))
    db = make_engine(f"sqlite:///{tmp_path / 'settled.sqlite'}")
    loop, arrivals = open_run(db, spec)
    loop.run(arrivals, spec.start_at + timedelta(days=30))
    db.dispose()
    assert loop.stats.steps > 100 and loop.stats.timers_fired > 0
    assert seen["saves"] >= loop.stats.steps
    assert loop.stats.live_workflow_hits > 0  # the same workflow objects saved again
    assert seen["kept"] > 10 * seen["saves"]  # most finished tasks came from their kept form
