"""The simulator's own garbage-collection schedule must not leak into the process."""

from __future__ import annotations

import gc
import weakref

import pytest

from simulation.collection import EVENTS_PER_COLLECTION, FULL_THRESHOLD, scheduled_collection


def test_full_collections_are_left_to_the_loop_and_the_thresholds_come_back():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), scheduled_collection():
        assert gc.get_threshold()[2] == FULL_THRESHOLD
        assert gc.get_freeze_count() > 0, "what existed before the loop is left alone"
        raise RuntimeError("模拟中断")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_garbage_cycles_are_freed_every_so_many_events():
    class Node:
        pass

    with scheduled_collection() as event:
        node = Node()
        node.self = node  # a cycle, as a dropped workflow and its tasks are
        alive = weakref.ref(node)
        del node
        for _ in range(EVENTS_PER_COLLECTION - 1):
            event()
        assert alive() is not None, "no full collection before the schedule says"
        event()
        assert alive() is None
