"""Garbage collection on the simulator's schedule instead of whenever allocations add up.

The simulator keeps thousands of live workflows (engine/core/live_workflows.py), each a few
thousand objects in reference cycles. Python's automatic full collections traverse all of
them every time enough new objects survive, which at full scale cost more than restoring the
workflows saved. Inside :func:`scheduled_collection` what exists before the loop (modules,
catalogs, parsed specs) is frozen out of collections, automatic full collections are off
(young generations still run, less often), and a full collection runs after every
:data:`EVENTS_PER_COLLECTION` events the loop reports, so evicted workflows are still
freed and memory stays bounded. Counting events, not virtual days, keeps the cost a fixed
share of the work at any scale.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# Young-generation threshold: the default (700) runs a collection every few steps.
YOUNG_THRESHOLD = 10_000
# Effectively never: full collections happen only when the loop asks for them.
FULL_THRESHOLD = 1_000_000
# ~20 s of work at full scale; one full collection over 4,096 live workflows is ~0.5 s.
EVENTS_PER_COLLECTION = 2_000


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
