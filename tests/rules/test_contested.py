"""Ranking contested matters: later settlement weighs more."""

from __future__ import annotations

from rules import MatterDisputes, rank_contested


def test_consultations_outweigh_returns_and_quiet_matters_drop_out():
    rows = [
        MatterDisputes("D01-01", returns=4),
        MatterDisputes("D04-01", returns=2, contested=1, consultations=1),
        MatterDisputes("D07-07", complaints=40),
        MatterDisputes("D09-02", returns=1, contested=1),
    ]
    ranked = rank_contested(rows)
    assert [r.matter_id for r in ranked] == ["D04-01", "D01-01", "D09-02"]
    assert ranked[0].score == 2 + 2 + 4
    assert rank_contested(rows, limit=1) == [ranked[0]]


def test_ties_go_to_the_matter_settled_later():
    rows = [MatterDisputes("A", returns=4), MatterDisputes("B", consultations=1)]
    assert [r.matter_id for r in rank_contested(rows)] == ["B", "A"]
