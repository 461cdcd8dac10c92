"""The value routing returns: outcome, reason, units, rule, basis and time limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from responsibility_catalog import TimeLimits


class Outcome(StrEnum):
    ASSIGNED = "assigned"  # a primary unit was found
    DISPATCHER = "dispatcher"  # the catalog itself sends this case to the dispatch centre
    UNRESOLVED = "unresolved"  # routing could not decide; the dispatcher must


class Reason(StrEnum):
    NO_MATTER = "no_matter"
    UNKNOWN_MATTER = "unknown_matter"
    NO_LOCATION = "no_location"
    UNKNOWN_LOCATION = "unknown_location"
    NO_RULE = "no_rule"
    AMBIGUOUS = "ambiguous"
    INVALID_RULE = "invalid_rule"
    NO_CATALOG = "no_catalog"


@dataclass(frozen=True)
class ComplaintFacts:
    """What routing needs to know about a complaint.

    :param matter: matter id (``D04-01``) or its exact name (``占道经营``); ``None`` if the
        reporter chose none.
    :param village: village id, name, or ``乡镇/村`` (``西郭城镇/马家营村``).
    :param text: the reporter's description, used to suggest matters when none was chosen.
    """

    matter: str | None = None
    village: str | None = None
    text: str = ""


@dataclass(frozen=True)
class UnitRef:
    id: str
    name: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class MatterRef:
    id: str
    name: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class RoutingDecision:
    """The result of routing, with everything the explanation and the engine need.

    ``rule_number`` is 1-based. ``primary`` is set only when ``outcome`` is ``assigned``.
    """

    outcome: Outcome
    catalog_version: str
    catalog_hash: str
    reason: Reason | None = None
    matter_id: str | None = None
    matter_name: str | None = None
    domain: str | None = None
    village_id: str | None = None
    village_name: str | None = None
    township: UnitRef | None = None
    primary: UnitRef | None = None
    supporting: tuple[UnitRef, ...] = ()
    rule_number: int | None = None
    condition: str | None = None
    conditions_matched: tuple[str, ...] = ()
    legal_basis: str | None = None
    time_limits: TimeLimits | None = None
    note: str = ""
    candidates: tuple[UnitRef, ...] = ()
    candidate_matters: tuple[MatterRef, ...] = field(default=())
    competing_rules: tuple[int, ...] = ()

    @property
    def is_assigned(self) -> bool:
        return self.outcome is Outcome.ASSIGNED

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form, for process data and the audit log."""
        limits = self.time_limits
        return {
            "outcome": self.outcome.value,
            "reason": self.reason.value if self.reason else None,
            "catalog_version": self.catalog_version,
            "catalog_hash": self.catalog_hash,
            "matter_id": self.matter_id,
            "matter_name": self.matter_name,
            "domain": self.domain,
            "village_id": self.village_id,
            "village_name": self.village_name,
            "township": self.township.to_dict() if self.township else None,
            "primary": self.primary.to_dict() if self.primary else None,
            "supporting": [u.to_dict() for u in self.supporting],
            "rule_number": self.rule_number,
            "condition": self.condition,
            "conditions_matched": list(self.conditions_matched),
            "legal_basis": self.legal_basis,
            "time_limits": None
            if limits is None
            else {
                "sign_for": limits.sign_for.to_dict(),
                "handle": limits.handle.to_dict(),
                "extensions": limits.extensions,
            },
            "note": self.note,
            "candidates": [u.to_dict() for u in self.candidates],
            "candidate_matters": [m.to_dict() for m in self.candidate_matters],
            "competing_rules": list(self.competing_rules),
        }
