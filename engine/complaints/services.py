"""Service operations the complaint diagrams call (ADR 0004 item 5).

Each runs inside an engine step (``engine.core.runtime.current_step``): it reads the step's
instant and transaction, calls pure ``rules/`` functions and returns plain data that lands in
the process variables named by the diagram.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert

from engine.catalog_store import CatalogRegistry
from engine.complaints.models import AmendmentProposal
from engine.core.errors import FormRejected
from engine.core.notifications import notify
from engine.core.runtime import current_step
from engine.core.scripting import ServiceOperation
from engine.working_calendar.store import CalendarProvider
from rules import (
    CHINA_TZ,
    ComplaintFacts,
    Outcome,
    explain,
    extension_due,
    extension_problems,
    route_on,
    schedule_until,
)
from rules.complaint_stages import DEFAULT_LIMITS, jurisdiction_deadline, stage_deadline

_INSERT_PROPOSAL = insert(AmendmentProposal.__table__)


def _instant(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def received_date(data: Mapping[str, Any]) -> date:
    return datetime.fromisoformat(data["received_at"]).astimezone(CHINA_TZ).date()


class ComplaintServices:
    """The operations, bound to the catalog registry and the calendar provider."""

    def __init__(self, catalogs: CatalogRegistry, calendars: CalendarProvider) -> None:
        self.catalogs = catalogs
        self.calendars = calendars

    def operations(self) -> dict[str, ServiceOperation]:
        return {
            "route_complaint": self.route_complaint,
            "schedule_deadline": self.schedule_deadline,
            "extend_deadline": self.extend_deadline,
            "check_extension": self.check_extension,
            "hold_deadline": self.hold_deadline,
            "notify": self.notify,
            "file_amendment": self.file_amendment,
        }

    # -- routing -------------------------------------------------------------------------
    def route_complaint(self, params: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        step = current_step()
        catalogs = self.catalogs.in_force(county=step.county, session=step.session)
        facts = ComplaintFacts(
            matter=data.get("matter_id"), village=data.get("village_id"), text=data.get("text", "")
        )
        decision = route_on(facts, catalogs, received_date(data))
        limits = decision.time_limits
        return {
            "resolved": decision.outcome is Outcome.ASSIGNED,
            "outcome": decision.outcome.value,
            "reason": decision.reason.value if decision.reason else None,
            "primary": decision.primary.id if decision.primary else None,
            "supporting": [u.id for u in decision.supporting],
            "candidates": [u.id for u in decision.candidates],
            "extensions": limits.extensions if limits else 1,
            "sign_for_limit": str(limits.sign_for) if limits else DEFAULT_LIMITS["sign_for"],
            "handle_limit": str(limits.handle) if limits else DEFAULT_LIMITS["handle"],
            "catalog_version": decision.catalog_version,
            "matter_id": decision.matter_id,
            "matter_name": decision.matter_name,
            "domain": decision.domain,
            "rule_number": decision.rule_number,
            "legal_basis": decision.legal_basis,
            "explanation": explain(decision),
            "decision": decision.to_dict(),
        }

    # -- deadlines -----------------------------------------------------------------------
    def schedule_deadline(self, params: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        step = current_step()
        stage = params["stage"]
        if stage == "jurisdiction":
            # Clock time only: no need to read the county's calendar.
            return jurisdiction_deadline(step.now).to_dict()
        calendar = self.calendars.calendar(county=step.county, session=step.session)
        routing = data.get("routing") or {}
        return stage_deadline(stage, step.now, routing, calendar).to_dict()

    def check_extension(self, params: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        """Refuse, before anything changes, an extension the dispatcher could not approve:
        a day that is not a working day after today and after the current deadline, or a
        matter whose allowance is used up.

        :raises FormRejected: naming the field of the handling form that is wrong.
        """
        step = current_step()
        calendar = self.calendars.calendar(county=step.county, session=step.session)
        deadline = params.get("deadline") or {}
        problems = extension_problems(
            _day(params.get("until")),
            current_due=_instant(deadline.get("due")),
            now=step.now,
            calendar=calendar,
            allowed=int(params.get("allowed") or 0),
            used=int(params.get("used") or 0),
        )
        if problems:
            raise FormRejected("办理", problems)
        return {"until": str(params.get("until"))}

    def hold_deadline(self, params: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        """The handling deadline as the unit leaves the handling task, with the instants that
        are already behind us marked: those timers fired while the task was open, and a
        return to the same task (a refused extension or listing) must not fire them again."""
        deadline = dict(params.get("deadline") or {})
        now = current_step().now
        for key, flag in (("remind_at", "remind_passed"), ("due", "due_passed")):
            at = _instant(deadline.get(key))
            deadline[flag] = bool(deadline.get(flag)) or (at is not None and at < now)
        return deadline

    def extend_deadline(self, params: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        """New handling deadline: close of business on the approved day, exactly, with a
        fresh 80 % reminder.

        :raises FormRejected: the day has passed by the time the dispatcher approves.
        """
        step = current_step()
        calendar = self.calendars.calendar(county=step.county, session=step.session)
        until = date.fromisoformat(str(params["until"]))
        due = extension_due(until)
        if due <= step.now:
            raise FormRejected(
                "审批延期",
                {
                    "extension_approved": (
                        f"申请延至 {until.isoformat()} 18:00 已过，不能批准；"
                        "请不同意，由单位重新申请"
                    )
                },
            )
        return schedule_until(
            step.now,
            due,
            calendar,
            provisional=calendar.is_provisional(until),
            explanation=f"延期至 {until.isoformat()} 18:00",
        ).to_dict()

    # -- notifications and proposals -----------------------------------------------------
    def notify(self, params: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        step = current_step()
        to = params.get("to")
        recipients = [to] if isinstance(to, str) else list(to or [])
        count = notify(
            recipients,
            county=step.county,
            kind=str(params.get("kind") or "info"),
            title=str(params.get("text") or ""),
            body=data.get("tracking_code"),
            instance_id=step.instance_id,
            now=step.now,
            session=step.session,
        )
        return {"sent": count, "kind": params.get("kind")}

    def file_amendment(self, params: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        step = current_step()
        routing = data.get("routing") or {}
        result = step.session.connection().execute(
            _INSERT_PROPOSAL,
            {
                "county": step.county,
                "complaint_id": data["complaint_id"],
                "matter_id": routing.get("matter_id") or data.get("matter_id"),
                "catalog_version": routing.get("catalog_version"),
                "text": str(params.get("text") or ""),
                "decided_primary": data.get("decided_primary"),
                "decided_supporting": list(data.get("decided_supporting") or []),
                "decision_note": data.get("decision_note"),
                "status": "open",
                "created_at": step.now,
                "created_by": "consultation",
            },
        )
        return {"proposal_id": result.inserted_primary_key[0]}
