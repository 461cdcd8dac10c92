"""Keep the complaint row and its stage records in step with the complaint's workflow."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from SpiffWorkflow.task import Task
from sqlalchemy import bindparam, insert, select, update

from engine.catalog_store import CatalogRegistry
from engine.complaints import complaint_columns
from engine.complaints.complaint_columns import ProjectedComplaint
from engine.complaints.matter_labels import (
    CATALOGS,
    DISPATCHER,
    RETURN,
    case_catalog,
    named_matter,
    record_label,
)
from engine.complaints.models import Complaint, ComplaintStage
from engine.core.instance_state import candidate_groups, element_id, workflow_view
from engine.core.notifications import notify
from engine.core.projection import StepOutcome
from engine.core.runtime import Runtime

# Human tasks whose duration is measured: element id -> (stage, deadline variable).
# An assist stage has no variable of its own: it works to its round's handling deadline, which
# is set (or moved by an extension) when the round's handle task starts — see ``_round_due``.
MEASURED: dict[str, tuple[str, str | None]] = {
    "determine": ("jurisdiction", "jurisdiction_deadline"),
    "sign_for": ("sign_for", "sign_for_deadline"),
    "handle": ("handle", "handle_deadline"),
    "assist": ("assist", None),
    "listed_checkin": ("listed", None),
    "adjudicate": ("contested", "contested_deadline"),
    "callback": ("callback", "callback_deadline"),
    "state_position": ("consultation", "consultation_deadline"),
    "decide": ("consultation", None),
}

# How a stage ended. Only completed stages carry an on-time flag and count in on-time figures;
# a task ended unfinished is superseded when the same step opened new work on the case (a
# return, an escalation, a timeout moving it on), cancelled when nothing replaced it (closed).
COMPLETED, SUPERSEDED, CANCELLED = "completed", "superseded", "cancelled"

# Which ready task tells the complaint's current stage, most advanced first.
_STAGE_OF_TASK = (
    ("callback", "callback"),
    ("final_supervision", "callback"),
    ("decide", "consultation"),
    ("state_position", "consultation"),
    ("convene", "consultation"),
    ("adjudicate", "contested"),
    ("listed_checkin", "listed"),
    ("approve_listing", "handling"),
    ("approve_extension", "handling"),
    ("handle", "handling"),
    ("sign_for", "sign_for"),
    ("determine", "jurisdiction"),
)


_stage = ComplaintStage.__table__
_STAGE_DUE = select(_stage.c.due_at).where(_stage.c.task_id == bindparam("b_task"))
_END_STAGE = (
    update(_stage)
    .where(_stage.c.task_id == bindparam("b_task"))
    .values(
        ended_at=bindparam("b_at"),
        outcome=bindparam("b_outcome"),
        on_time=bindparam("b_on_time"),
        actor=bindparam("b_actor"),
    )
)
_INSERT_STAGES = insert(_stage)
_ROUND_DUE = (
    update(_stage)
    .where(
        _stage.c.complaint_id == bindparam("b_complaint"),
        _stage.c.stage == "assist",
        _stage.c.ended_at.is_(None),
    )
    .values(due_at=bindparam("b_due"))
)


def _ended(
    task_id: str, at: datetime, outcome: str, on_time: bool | None, actor: str | None
) -> dict[str, Any]:
    return {
        "b_task": task_id,
        "b_at": at,
        "b_outcome": outcome,
        "b_on_time": on_time,
        "b_actor": actor,
    }


def _instant(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _due(task: Task, variable: str | None) -> datetime | None:
    if variable is None:
        return None
    deadline = task.data.get(variable)
    return _instant(deadline.get("due")) if isinstance(deadline, dict) else None


def _past_due(complaint: ProjectedComplaint, now: datetime) -> bool:
    due = {"sign_for": complaint.sign_for_due, "handling": complaint.handle_due}.get(
        complaint.stage
    )
    return due is not None and due <= now


def _current_stage(outcome: StepOutcome, view: dict[str, Any]) -> str:
    if outcome.workflow.completed or outcome.errors:
        kind = view.get("closure_kind")
        return kind if kind in ("merged", "invalid") else "closed"
    ready = {element_id(t) for t in outcome.ready.values()}
    for name, stage in _STAGE_OF_TASK:
        if name in ready:
            return stage
    return "processing"


# Decisions the units concerned hear about (the new task they may get is notified anyway).
# A refused extension is told by the diagram itself (notify_ext_refused, with what to do next).
_DECISIONS: dict[str, tuple[str, str, str | None]] = {
    "approve_extension": ("extension_approved", "延期申请已批准", None),
    "approve_listing": ("listing_approved", "挂账申请已批准", "挂账申请未获批准"),
}
_RULINGS = {
    "reaffirm": "争议件裁定：维持原派单",
    "reroute": "争议件裁定：改派",
    "escalate": "争议件裁定：提请联席会商",
}


def _decision_notice(task: Task) -> str | None:
    name = element_id(task)
    if name in _DECISIONS:
        field, yes, no = _DECISIONS[name]
        return yes if task.data.get(field) else no
    if name == "adjudicate":
        return _RULINGS.get(task.data.get("ruling"))
    if name == "decide":
        return "联席会商已作出决定"
    return None


def _label_source(task: Task | None, changed: bool) -> str | None:
    """Whether the completed task settled the case's matter, and who did: the dispatcher
    deciding an unrouted case (confirming or correcting its matter), or a ruling that
    accepted a unit's return (改派). Another ruling labels only a matter it changed."""
    if task is None:
        return None
    name = element_id(task)
    if name == "determine":
        return DISPATCHER
    if name == "adjudicate":
        if task.data.get("ruling") == "reroute":
            return RETURN
        return DISPATCHER if changed else None
    return None


class ComplaintProjector:
    def __init__(self, runtime: Runtime, catalogs: CatalogRegistry = CATALOGS) -> None:
        self.runtime = runtime
        self.catalogs = catalogs

    def __call__(self, outcome: StepOutcome) -> None:
        view = workflow_view(outcome.workflow)
        complaint_id = view.get("complaint_id")
        if complaint_id is None:
            return
        session = outcome.session
        loaded = complaint_columns.load(session, complaint_id)
        if loaded is None:
            return
        before, held = loaded
        complaint = dataclasses.replace(before)
        self._stages(outcome, complaint)
        self._columns(outcome, complaint, view)
        complaint_columns.save(session, before, complaint, held)
        self._label(outcome, complaint, changed=complaint.matter_id != before.matter_id)
        self._decision(outcome, complaint)

    def _label(self, outcome: StepOutcome, complaint: ProjectedComplaint, *, changed: bool) -> None:
        source = _label_source(outcome.completed_task, changed)
        # A matter the catalog does not name (an unknown id kept from intake) teaches nothing.
        if source is None or not complaint.matter_id or complaint.matter_name is None:
            return
        # Rare (a dispatcher's decision): the whole row, with the projection already written.
        row = outcome.session.get(Complaint, complaint.id)
        if row is None:
            return
        record_label(
            row, source=source, actor=outcome.actor, now=outcome.now, session=outcome.session
        )

    def _decision(self, outcome: StepOutcome, complaint: ProjectedComplaint) -> None:
        task = outcome.completed_task
        notice = _decision_notice(task) if task is not None else None
        if notice is None:
            return
        recipients = {complaint.primary_unit, *(task.data.get("consultation_parties") or [])}
        # Named by the case, so a decision stands out among the new-task notices.
        matter = f"（{complaint.matter_name}）" if complaint.matter_name else ""
        notify(
            sorted(r for r in recipients if r),
            county=complaint.county,
            kind="decision",
            title=f"{notice}：诉求 {complaint.tracking_code}{matter}",
            body=complaint.tracking_code,
            instance_id=outcome.record.id,
            now=outcome.now,
            session=outcome.session,
        )

    def _stages(self, outcome: StepOutcome, complaint: ProjectedComplaint) -> None:
        # Statements built once (ADR 0023): no stage row enters the session on a step.
        session, now = outcome.session, outcome.now
        opened = self._opened_stages(outcome, complaint)
        ended = outcome.ended_task_ids
        if ended:
            completed_id = str(outcome.completed_task.id) if outcome.completed_task else None
            changes = []
            for task_id in sorted(ended):
                if task_id == completed_id:
                    due = session.execute(_STAGE_DUE, {"b_task": task_id}).first()
                    if due is None:
                        continue  # not a measured task
                    # Frozen here: later edits to deadlines never change a finished stage.
                    on_time = due[0] is None or now <= due[0]
                    changes.append(_ended(task_id, now, COMPLETED, on_time, outcome.actor))
                else:
                    # Nobody did this work: it counts neither as on time nor as late.
                    outcome_ = SUPERSEDED if opened else CANCELLED
                    changes.append(_ended(task_id, now, outcome_, None, None))
            if changes:
                session.execute(_END_STAGE, changes)
        if opened:
            session.execute(_INSERT_STAGES, opened)
        round_due = self._round_due(outcome)
        if round_due is not None:
            session.execute(_ROUND_DUE, {"b_complaint": complaint.id, "b_due": round_due[0]})

    def _opened_stages(
        self, outcome: StepOutcome, complaint: ProjectedComplaint
    ) -> list[dict[str, Any]]:
        rows = []
        for task in outcome.new_tasks:
            measured = MEASURED.get(element_id(task))
            if measured is None:
                continue
            stage, deadline_variable = measured
            meta = outcome.loaded.task_meta.get(element_id(task))
            groups = candidate_groups(
                meta.candidate_groups if meta else None,
                task,
                self.runtime,
                record=outcome.record,
                now=outcome.now,
            )
            rows.append(
                {
                    "county": complaint.county,
                    "complaint_id": complaint.id,
                    "stage": stage,
                    "task_id": str(task.id),
                    "unit": groups[0] if groups else None,
                    "started_at": outcome.now,
                    "due_at": _due(task, deadline_variable),
                    "ended_at": None,
                    "outcome": None,
                    "on_time": None,
                    "actor": None,
                }
            )
        return rows

    @staticmethod
    def _round_due(outcome: StepOutcome) -> tuple[datetime | None] | None:
        """The round's handling deadline when this step started a handle task (acceptance, a
        reopened round, an extension decided), else None: open assist stages take it on.

        Read from the new handle task itself, never from an assist task's copy of the data,
        which may still hold an earlier round's deadline.
        """
        for task in outcome.new_tasks:
            if element_id(task) == "handle":
                return (_due(task, "handle_deadline"),)
        return None

    def _matter(
        self,
        outcome: StepOutcome,
        complaint: ProjectedComplaint,
        routing: dict[str, Any],
        chosen: Any,
    ) -> None:
        """The routed matter, unless a dispatcher chose another (the process variable
        ``matter_id`` set by the determine or adjudicate form): then its names in the catalog
        the case was routed with. A reporter's matter is the routed one, so it never differs."""
        routed = routing.get("matter_id")
        if isinstance(chosen, str) and chosen and chosen != routed:
            if chosen == complaint.matter_id and complaint.matter_name:
                return  # named by an earlier step; no catalog lookup on every step
            catalog = case_catalog(
                county=complaint.county,
                label=routing.get("catalog_version"),
                received_at=complaint.received_at,
                session=outcome.session,
                registry=self.catalogs,
            )
            named = named_matter(catalog, chosen)
            if named is not None:
                complaint.matter_id = named.matter_id
                complaint.matter_name = named.name
                complaint.domain = named.domain
                return
        complaint.matter_name = routing.get("matter_name")
        complaint.domain = routing.get("domain")
        if routed:
            complaint.matter_id = routed

    def _columns(
        self, outcome: StepOutcome, complaint: ProjectedComplaint, view: dict[str, Any]
    ) -> None:
        routing = view.get("routing")
        if isinstance(routing, dict):
            complaint.routing = routing.get("decision")
            complaint.routing_explanation = routing.get("explanation")
            complaint.catalog_version = routing.get("catalog_version")
            self._matter(outcome, complaint, routing, view.get("matter_id"))
        complaint.primary_unit = view.get("primary_unit")
        complaint.supporting_units = list(view.get("supporting_units") or [])
        provisional = False
        for column, variable in (
            ("sign_for_due", "sign_for_deadline"),
            ("handle_due", "handle_deadline"),
        ):
            deadline = view.get(variable)
            if isinstance(deadline, dict):
                setattr(complaint, column, _instant(deadline.get("due")))
                provisional = provisional or bool(deadline.get("provisional"))
        complaint.due_provisional = provisional
        complaint.extension_count = int(view.get("extension_count") or 0)
        complaint.return_count = int(view.get("return_count") or 0)
        complaint.reopen_count = int(view.get("reopen_count") or 0)
        complaint.listed = bool(view.get("listed"))
        complaint.reply_text = view.get("reply_text") or complaint.reply_text
        complaint.satisfaction = view.get("satisfaction")
        complaint.stage = _current_stage(outcome, view)
        # The diagram's flag lives in the supervision branch and ends with it; a case still
        # in the stage whose deadline passed stays overdue until that deadline moves.
        complaint.overdue = bool(view.get("overdue")) or _past_due(complaint, outcome.now)
        if complaint.stage in ("closed", "merged", "invalid"):
            complaint.status = "closed"
            complaint.closed_at = complaint.closed_at or outcome.now
            complaint.closure_kind = view.get("closure_kind") or "done"
            complaint.closure_reason = view.get("closure_reason")
            complaint.merged_into = view.get("merged_into")
            complaint.valid = complaint.closure_kind != "invalid"
        complaint.updated_at = outcome.now
