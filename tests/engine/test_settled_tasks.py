"""Reusing finished tasks' converted form writes exactly the text a fresh conversion writes,
at every save of simulated complaints (returns, assists, timers, consultations, listing)."""

from __future__ import annotations

from engine.core import settled_tasks
from engine.core.serialization import StateSerializer
from tests.engine.simulated_month import simulate_month


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
    stats = simulate_month(tmp_path, seed=4)
    assert seen["saves"] >= stats.steps
    assert stats.live_workflow_hits > 0  # the same workflow objects saved again
    assert seen["kept"] > 10 * seen["saves"]  # most finished tasks came from their kept form
