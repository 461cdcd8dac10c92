"""Garbage collection on the simulator's schedule instead of whenever allocations add up.

The simulator keeps thousands of live workflows (engine/core/live_workflows.py), each a few
thousand objects in reference cycles. Python's automatic full collections traverse all of
them every time enough new objects survive, which at full scale cost more than restoring the
workflows saved. Inside :func:`scheduled_collection` what exists before the loop (modules,
catalogs, parsed specs) is frozen out of collections, automatic full collections are off
(young generations still run, less often), and a full collection runs after every
:data:`EVENTS_PER_COLLECTION` events the loop reports, so the few cycles that nothing
dismantled are still freed and memory stays bounded. Counting events, not virtual days,
keeps the cost a fixed share of the work at any scale.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# Young-generation threshold: the default (700) runs a collection every few steps.
YOUNG_THRESHOLD = 10_000
# Effectively never: full collections happen only when the loop asks for them.
FULL_THRESHOLD = 1_000_000
# A full collection traverses every kept live workflow: ~4 s over 4,000 of them at full scale
# (it was a quarter of a full-scale month's time at 2,000 events). Dropped workflows are
# dismantled and freed by reference counting (engine.core.live_workflows.dismantle), so
# what is left for the collector is little: ~1,200 objects per collection at full scale,
# and the resident set stayed the same at 50,000 events (ADR 0023).
EVENTS_PER_COLLECTION = 50_000


@contextmanager
def scheduled_collection() -> Iterator[Callable[[], None]]:
    """Yield ``event()``, to be called once per event the loop plays."""
    previous = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, previous[1], FULL_THRESHOLD)
    events = 0

    def event() -> None:
        nonlocal events
        events += 1
        if events % EVENTS_PER_COLLECTION == 0:
            gc.collect()

    try:
        yield event
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()
