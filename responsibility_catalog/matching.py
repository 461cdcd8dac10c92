"""Which rules of a matter apply to a location: the semantics shared by validator and routing.

Rules are read in order up to the first ``其他`` (the fallback); rules after it never apply.
Every explicit rule before the fallback is evaluated: the first that holds decides, but if
two that hold name different primary units the result is ambiguous — a valid catalog has no
such overlap, so order only matters for the fallback.
"""

from __future__ import annotations

from dataclasses import dataclass

from .conditions import Condition, ConditionSyntaxError, Facts, Otherwise, parse_condition
from .model import LOCATION, Matter
from .organisation import Village


@dataclass(frozen=True)
class RuleMatch:
    """The rules of one matter that apply at one village (indices are 0-based)."""

    decided: int | None
    holding: tuple[int, ...]
    ambiguous: bool


def resolve_unit(ref: str, village: Village) -> str:
    """Turn ``@location`` into the township id of ``village``; other refs stay as they are."""
    return village.township_id if ref == LOCATION else ref


def compile_rules(matter: Matter) -> tuple[Condition | None, ...]:
    """Parsed conditions of the matter's rules; ``None`` where a condition does not parse."""
    compiled: list[Condition | None] = []
    for rule in matter.rules:
        try:
            compiled.append(parse_condition(rule.when))
        except ConditionSyntaxError:
            compiled.append(None)
    return tuple(compiled)


def fallback_index(conditions: tuple[Condition | None, ...]) -> int | None:
    return next((i for i, c in enumerate(conditions) if isinstance(c, Otherwise)), None)


def match_rules(
    matter: Matter,
    conditions: tuple[Condition | None, ...],
    village: Village,
    facts: Facts,
) -> RuleMatch:
    """Apply the matter's rules at ``village`` whose attributes are ``facts``."""
    fallback = fallback_index(conditions)
    end = len(conditions) if fallback is None else fallback
    holding = tuple(
        i
        for i, condition in enumerate(conditions[:end])
        if condition is not None and condition.holds(facts)
    )
    if holding:
        primaries = {resolve_unit(matter.rules[i].primary, village) for i in holding}
        return RuleMatch(holding[0], holding, len(primaries) > 1)
    return RuleMatch(fallback, (), False)
