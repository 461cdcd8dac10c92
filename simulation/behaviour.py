"""What simulated people do with a ready task: when, and with which form.

Each decision draws from its own ``random.Random`` keyed by (seed, case, task, group, n), so
a case rolls the same dice in a what-if replay even when another catalog changes its path.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from responsibility_catalog import location_facts
from responsibility_catalog.conditions import parse_condition
from responsibility_catalog.organisation import Organisation
from rules import CHINA_TZ
from simulation.arrivals import Arrival
from simulation.parameters import BehaviourParameters, ContestedZone
from simulation.worktime import OfficeHours

FALLBACK_RULE = "其他"
WORKDAY_MINUTES = 540.0


@dataclass(frozen=True)
class CaseFacts:
    """What the acting person sees of the case on their page (the complaint projection)."""

    primary_unit: str | None
    routing: dict[str, Any] | None
    handle_due: datetime | None
    return_count: int
    consulted: bool = False


@dataclass(frozen=True)
class Decision:
    at: datetime
    form: dict[str, Any]
    actor: str


class Behaviour:
    def __init__(
        self,
        params: BehaviourParameters,
        organisation: Organisation,
        office: OfficeHours,
        *,
        seed: int,
        true_route: Any,
    ) -> None:
        """:param true_route: ``(arrival) -> (primary, supporting)``: the dispatcher's reading
        of the catalog in force for a report that came without a matter."""
        self.p = params
        self.office = office
        self.seed = seed
        self.true_route = true_route
        self.organisation = organisation
        self._zone_holds: dict[tuple[int, str], bool] = {}
        self._conditions = [parse_condition(z.where) for z in params.zones]

    # -- helpers -------------------------------------------------------------------------
    def _rng(self, arrival: Arrival, task: str, group: str, n: int) -> random.Random:
        return random.Random(f"{self.seed}:{arrival.index}:{task}:{group}:{n}")

    def _lognormal(self, rng: random.Random, median: float) -> float:
        return median * math.exp(rng.gauss(0.0, self.p.delay_sigma))

    def _office(self, rng: random.Random, now: datetime, median_minutes: float) -> datetime:
        return self.office.add(now, self._lognormal(rng, median_minutes))

    def zone_of(self, arrival: Arrival, facts: CaseFacts) -> ContestedZone | None:
        """The contested zone the case lies in, if the catalog left it to a catch-all rule."""
        routing = facts.routing or {}
        if routing.get("condition") not in (None, FALLBACK_RULE) or not routing.get("primary"):
            return None
        for i, zone in enumerate(self.p.zones):
            if arrival.matter_id not in zone.matters:
                continue
            key = (i, arrival.village_id)
            if key not in self._zone_holds:
                village = self.organisation.villages_by_id[arrival.village_id]
                self._zone_holds[key] = self._conditions[i].holds(
                    location_facts(self.organisation, village)
                )
            if self._zone_holds[key]:
                return zone
        return None

    def _party(self, ref: str, arrival: Arrival) -> str:
        return arrival.township_id if ref == "@location" else ref

    # -- decisions -----------------------------------------------------------------------
    def decide(
        self,
        arrival: Arrival,
        task: str,
        group: str,
        n: int,
        now: datetime,
        facts: CaseFacts,
    ) -> Decision | None:
        rng = self._rng(arrival, task, group, n)
        # Only methods named for a task act; a task nobody here knows waits (a person would
        # have to learn it first).
        handler = getattr(self, f"_task_{task}", None)
        if handler is None:
            return None
        return handler(rng, arrival, group, n, now, facts)

    def _task_determine(self, rng, arrival, group, n, now, facts) -> Decision:
        primary, supporting = self.true_route(arrival)
        return Decision(
            self._office(rng, now, 25),
            {
                "primary_unit": primary,
                "supporting_units_text": ",".join(supporting),
                "determine_note": "按清单定性",
            },
            "sim:dispatcher",
        )

    def _task_sign_for(self, rng, arrival, group, n, now, facts) -> Decision:
        unit = facts.primary_unit or group
        at = self._office(
            rng, now, self.p.sign_for_minutes_by_unit.get(unit, self.p.sign_for_minutes)
        )
        zone = self.zone_of(arrival, facts)
        parties = {self._party(p, arrival) for p in zone.parties} if zone else set()
        if facts.consulted:
            p_return = 0.0
        else:
            p_return = zone.probability if unit in parties else self.p.return_base
        if rng.random() < p_return:
            form = {
                "decision": "return",
                "return_reason": "不属于本单位职责",
                "return_basis": f"清单 {arrival.matter_id}",
            }
        else:
            form = {"decision": "accept"}
        return Decision(at, form, f"sim:{unit}")

    def _task_assist(self, rng, arrival, group, n, now, facts) -> Decision:
        at = self._office(rng, now, self.p.assist_days * WORKDAY_MINUTES)
        return Decision(at, {"assist_note": "已配合处置"}, f"sim:{group}")

    def _task_handle(self, rng, arrival, group, n, now, facts) -> Decision:
        unit = facts.primary_unit or group
        due = facts.handle_due or now + timedelta(days=5)
        on_time = rng.random() < self.p.on_time_by_unit.get(unit, self.p.on_time)
        if on_time and due > now:
            at = self.office.next_open(now + (due - now) * rng.uniform(*self.p.handle_window))
            if at >= due:
                at = max(now, due - timedelta(minutes=rng.randint(20, 120)))
        else:
            at = self._office(rng, max(now, due), self.p.late_days * WORKDAY_MINUTES)
        roll = rng.random()
        limits = (facts.routing or {}).get("time_limits") or {}
        form: dict[str, Any] = {"outcome": "reply", "reply_text": "已处理完毕"}
        if n == 0 and roll < self.p.extension_share:
            # Offered only while the catalog allows one (else the unit replies); units ask
            # for a working day after the deadline and after the day they ask.
            later = max(due, at) + timedelta(days=rng.randint(*self.p.extension_days))
            if int(limits.get("extensions", 1)) > 0:
                form = {
                    "outcome": "extension",
                    "progress_note": "正在处置",
                    "extension_reason": "需协调材料和人员",
                    "extension_until": self.office.next_open(later)
                    .astimezone(CHINA_TZ)
                    .date()
                    .isoformat(),
                }
        elif n == 0 and roll < self.p.extension_share + self.p.listing_share:
            form = {"outcome": "list", "listing_plan": "纳入年度整改计划"}
        return Decision(at, form, f"sim:{unit}")

    def _task_approve_extension(self, rng, arrival, group, n, now, facts) -> Decision:
        approved = rng.random() < self.p.extension_approved
        return Decision(
            self._office(rng, now, 60),
            {"extension_approved": approved, "extension_note": "同意" if approved else "不同意"},
            "sim:dispatcher",
        )

    def _task_approve_listing(self, rng, arrival, group, n, now, facts) -> Decision:
        approved = rng.random() < self.p.listing_approved
        return Decision(
            self._office(rng, now, 120),
            {"listing_approved": approved, "listing_note": "同意挂账" if approved else "不同意"},
            "sim:dispatcher",
        )

    def _task_listed_checkin(self, rng, arrival, group, n, now, facts) -> Decision:
        at = self.office.next_open(now + timedelta(days=rng.uniform(20, 35)))
        if rng.random() < self.p.listed_solved_per_month:
            form = {"progress_note": "整改完成", "solved": True, "reply_text": "已整改完毕"}
        else:
            form = {"progress_note": "整改推进中", "solved": False}
        return Decision(at, form, f"sim:{facts.primary_unit or group}")

    def _task_supervise(self, rng, arrival, group, n, now, facts) -> Decision:
        return Decision(
            self._office(rng, now, 60), {"supervision_note": "请尽快办理"}, "sim:dispatcher"
        )

    def _task_final_supervision(self, rng, arrival, group, n, now, facts) -> Decision:
        return Decision(self._office(rng, now, 120), {"final_note": "已督促整改"}, "sim:dispatcher")

    def _task_adjudicate(self, rng, arrival, group, n, now, facts) -> Decision:
        at = self._office(rng, now, self.p.adjudicate_hours * 60)
        zone = self.zone_of(arrival, facts)
        current = facts.primary_unit
        if zone is not None:
            others = [self._party(p, arrival) for p in zone.parties]
            target = next((u for u in others if u != current), None)
        else:
            target = arrival.township_id if current != arrival.township_id else None
        if target and rng.random() < self.p.reroute_share:
            form = {
                "ruling": "reroute",
                "new_primary_unit": target,
                "new_supporting_units_text": current or "",
                "ruling_note": "改派",
            }
        else:
            form = {"ruling": "reaffirm", "ruling_note": "维持原派"}
        return Decision(at, form, "sim:dispatcher")

    def _task_convene(self, rng, arrival, group, n, now, facts) -> Decision:
        return Decision(
            self._office(rng, now, WORKDAY_MINUTES),
            {"meeting_note": "组织部召集会商"},
            "sim:orgdept",
        )

    def _task_state_position(self, rng, arrival, group, n, now, facts) -> Decision:
        return Decision(
            self._office(rng, now, WORKDAY_MINUTES * 0.6),
            {"position": "本单位意见已陈述"},
            f"sim:{group}",
        )

    def _task_decide(self, rng, arrival, group, n, now, facts) -> Decision:
        zone = self.zone_of(arrival, facts)
        if zone is not None:
            primary = self._party(zone.settle_with, arrival)
            others = [self._party(p, arrival) for p in zone.parties if p != zone.settle_with]
            form = {
                "decided_primary": primary,
                "decided_supporting_text": ",".join(others),
                "decision_note": "会商明确主体责任",
                "propose_amendment": True,
                "amendment_text": f"明确{arrival.matter_id}在争议区域的主体责任",
            }
        else:
            form = {
                "decided_primary": facts.primary_unit or arrival.township_id,
                "decided_supporting_text": "",
                "decision_note": "会商维持原派",
                "propose_amendment": False,
            }
        return Decision(self._office(rng, now, WORKDAY_MINUTES), form, "sim:orgdept")

    def _task_callback(self, rng, arrival, group, n, now, facts) -> Decision | None:
        if rng.random() >= self.p.callback_answered:
            return None  # the callback timer closes it as "no response"
        at = now + timedelta(hours=rng.uniform(0.5, 40))
        roll = rng.random()
        if roll < self.p.satisfied:
            satisfaction = "satisfied"
        elif roll < self.p.satisfied + self.p.basic:
            satisfaction = "basic"
        else:
            satisfaction = "unsatisfied"
        return Decision(at, {"satisfaction": satisfaction}, f"sim:reporter:{arrival.index}")
