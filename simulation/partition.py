"""Townships into shards of equal expected work: the sharded run lasts as long as its
heaviest shard.

Largest-first greedy placement left the county's ten townships 53/47 over two workers (the
county seat alone is a fifth of the arrivals), so the replay waited on the heavier shard (a
full-scale half month: 219.7 s against 198.3 s split evenly). A search over the
placements (branch and bound from the greedy one, equal-loaded groups tried once, stopped
at a proven optimum or a node budget) finds 50.2/49.8; with the budget spent it returns the
best placement seen, never worse than the greedy one.
"""

from __future__ import annotations

from collections.abc import Mapping

NODE_BUDGET = 200_000


def balanced_groups(
    weights: Mapping[str, float], groups: int, *, node_budget: int = NODE_BUDGET
) -> list[tuple[str, ...]]:
    """``weights``' keys in at most ``groups`` groups whose largest total is as small as the
    search finds; deterministic (ties broken by name), each group sorted, no empty group."""
    items = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
    k = min(groups, len(items))
    if k <= 0:
        return []
    sizes = [w for _, w in items]
    best, best_max = _greedy(sizes, k)
    # No placement beats the largest item alone or an even split.
    floor = max(sizes[0], sum(sizes) / k) * (1 + 1e-12)
    loads = [0.0] * k
    assign = [0] * len(items)
    nodes = 0

    def place(i: int) -> bool:
        """Try item ``i`` onward; True stops the search (optimum proven or budget spent)."""
        nonlocal best, best_max, nodes
        if i == len(items):
            largest = max(loads)
            if largest < best_max:
                best, best_max = assign.copy(), largest
            return best_max <= floor
        nodes += 1
        if nodes > node_budget:
            return True
        tried: set[float] = set()
        for g in sorted(range(k), key=lambda g: (loads[g], g)):
            if loads[g] in tried:
                continue  # a group loaded like one already tried leads to the same outcomes
            tried.add(loads[g])
            if loads[g] + sizes[i] >= best_max:
                continue
            loads[g] += sizes[i]
            assign[i] = g
            stop = place(i + 1)
            loads[g] -= sizes[i]
            if stop:
                return True
        return False

    if best_max > floor:
        place(0)
    members: dict[int, list[str]] = {}
    for (name, _), g in zip(items, best, strict=True):
        members.setdefault(g, []).append(name)
    # Groups in the order of their heaviest member, as the greedy placement numbered them.
    return [tuple(sorted(m)) for m in members.values()]


def _greedy(sizes: list[float], k: int) -> tuple[list[int], float]:
    """Largest first, each into the least loaded group: the placement and its largest load."""
    loads = [0.0] * k
    assign = []
    for size in sizes:
        g = loads.index(min(loads))
        assign.append(g)
        loads[g] += size
    return assign, max(loads)
