"""Garbage collection at virtual midnights instead of whenever allocations add up.

The simulator keeps thousands of live workflows (engine/live_workflows.py), each a few
thousand objects in reference cycles. Python's automatic full collections traverse all of
them every time enough new objects survive, which at full scale cost more than restoring the
workflows saved. Inside :func:`daily_collection` automatic full collections are off (young
generations still run, less often) and the loop collects fully once per virtual day, so
evicted workflows are still freed every day and memory stays bounded.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Young-generation threshold: the default (700) runs a collection every few steps.
YOUNG_THRESHOLD = 10_000
# Effectively never: full collections happen only when the loop asks for them.
FULL_THRESHOLD = 1_000_000


@contextmanager
def daily_collection() -> Iterator[None]:
    previous = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, previous[1], FULL_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def collect_fully() -> None:
    gc.collect()
