"""Reads for the dispatcher console: queues, boards and ledgers in a few joined queries.

Every list here costs a fixed number of queries however many rows it shows (no query per
row), so the console stays fast with tens of thousands of open tasks. Form data that units
submitted (return reasons, extension requests, listing plans, positions) is read from the
append-only audit log with one ``IN`` query per list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select, union
from sqlalchemy.orm import Session, aliased, defer

from engine.complaints.models import AmendmentProposal, Complaint
from engine.complaints.read_models.records import AmendmentRecord, ComplaintRecord
from engine.core.persistence.models import AuditEvent, HumanTask

CONSOLE_TASKS = (
    "determine",
    "adjudicate",
    "approve_extension",
    "approve_listing",
    "supervise",
    "final_supervision",
    "convene",
    "state_position",
    "decide",
)
CONSULTATION_TASKS = ("convene", "state_position", "decide")
BEFORE_SIGN_FOR = ("intake", "jurisdiction", "sign_for")


@dataclass(frozen=True)
class QueueItem:
    """A ready task with its complaint."""

    task_id: str
    task_name: str
    created_at: datetime
    candidate_groups: list[str]
    complaint: ComplaintRecord
    state: str = "ready"
    completed_by: str | None = None


@dataclass(frozen=True)
class FormRecord:
    """One completed task's submitted form, from the audit log."""

    at: datetime
    actor: str
    task_id: str | None
    task_name: str
    form: dict[str, Any]


@dataclass(frozen=True)
class Settlement:
    """An earlier case of the same matter that was returned, and how it was settled."""

    complaint: ComplaintRecord
    by: str  # "ruling", "consultation" or "pending"
    ruling: str | None
    note: str | None
    at: datetime | None


@dataclass(frozen=True)
class Party:
    unit: str
    state: str  # "answered", "waiting", "lapsed" (deadline passed) or "not_asked"
    position: str | None = None
    proposed_primary: str | None = None


@dataclass(frozen=True)
class Consultation:
    complaint: ComplaintRecord
    tasks: list[QueueItem]
    returns: list[FormRecord]
    parties: list[Party] = field(default_factory=list)

    @property
    def step(self) -> str:
        names = {t.task_name for t in self.tasks}
        for name in ("decide", "state_position", "convene"):
            if name in names:
                return name
        return "done"


def _ready(county: str) -> Any:
    return and_(HumanTask.county == county, HumanTask.state == "ready")


def queue_counts(*, county: str, session: Session) -> dict[str, int]:
    """Ready console tasks by element id (one grouped query)."""
    rows = session.execute(
        select(HumanTask.task_name, func.count())
        .where(_ready(county), HumanTask.task_name.in_(CONSOLE_TASKS))
        .group_by(HumanTask.task_name)
    ).all()
    counts = {name: 0 for name in CONSOLE_TASKS}
    counts.update({name: n for name, n in rows})
    return counts


def queue(
    task_names: Sequence[str],
    *,
    county: str,
    session: Session,
    limit: int = 50,
    offset: int = 0,
) -> list[QueueItem]:
    """Ready tasks of these kinds with their complaints, oldest first."""
    rows = session.execute(
        select(HumanTask, Complaint)
        .join(Complaint, Complaint.instance_id == HumanTask.instance_id)
        .where(_ready(county), HumanTask.task_name.in_(task_names))
        .order_by(HumanTask.created_at, HumanTask.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return [_item(t, c) for t, c in rows]


def task_item(task_id: str, *, session: Session) -> QueueItem | None:
    row = session.execute(
        select(HumanTask, Complaint)
        .join(Complaint, Complaint.instance_id == HumanTask.instance_id)
        .where(HumanTask.id == task_id)
    ).first()
    return _item(*row) if row else None


def _item(task: HumanTask, complaint: Complaint | ComplaintRecord) -> QueueItem:
    if not isinstance(complaint, ComplaintRecord):
        complaint = ComplaintRecord.of(complaint)
    return QueueItem(
        task.id,
        task.task_name,
        task.created_at,
        list(task.candidate_groups),
        complaint,
        task.state,
        task.completed_by,
    )


def forms(
    instance_ids: Iterable[int], task_names: Sequence[str], *, session: Session
) -> dict[int, list[FormRecord]]:
    """Submitted forms of these tasks per instance, oldest first (one query)."""
    ids = sorted(set(instance_ids))
    found: dict[int, list[FormRecord]] = defaultdict(list)
    if not ids:
        return found
    events = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.instance_id.in_(ids),
            AuditEvent.action == "task.completed",
            AuditEvent.task_name.in_(task_names),
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    for e in events:
        form = (e.detail or {}).get("form") or {}
        found[e.instance_id or 0].append(
            FormRecord(e.at, e.actor, e.task_id, e.task_name or "", dict(form))
        )
    return found


def returns(instance_ids: Iterable[int], *, session: Session) -> dict[int, list[FormRecord]]:
    """Every return (sign-for with decision "return") per instance, with the unit that made
    it recorded as ``form["unit"]`` (the sign-for task's group)."""
    signed = forms(instance_ids, ("sign_for",), session=session)
    task_ids = [
        r.task_id for rs in signed.values() for r in rs if r.form.get("decision") == "return"
    ]
    units = (
        dict(
            session.execute(
                select(HumanTask.id, HumanTask.candidate_groups).where(HumanTask.id.in_(task_ids))
            ).all()
        )
        if task_ids
        else {}
    )
    found: dict[int, list[FormRecord]] = defaultdict(list)
    for instance_id, records in signed.items():
        for r in records:
            if r.form.get("decision") != "return":
                continue
            groups = units.get(r.task_id) or []
            form = {**r.form, "unit": groups[0] if groups else None}
            found[instance_id].append(FormRecord(r.at, r.actor, r.task_id, r.task_name, form))
    return found


def _LIGHT(entity):  # noqa: N802
    return (defer(entity.routing), defer(entity.routing_explanation), defer(entity.photos))


def likely_duplicates(
    *, county: str, session: Session, limit: int = 50
) -> list[tuple[ComplaintRecord, ComplaintRecord | None]]:
    """Open reports flagged as likely duplicates, still before sign-for, with the original.

    One query per stage, each read in the order of the partial duplicate index, then merged:
    a single ``stage IN (...)`` query would sort every flagged report to return a page.
    """
    original = aliased(Complaint)
    rows = []
    for stage in BEFORE_SIGN_FOR:
        rows.extend(
            session.execute(
                select(Complaint, original)
                .outerjoin(original, original.id == Complaint.duplicate_of)
                # The screening cards show neither routing nor photos: skip decoding them.
                .options(*_LIGHT(Complaint), *_LIGHT(original))
                .where(
                    Complaint.county == county,
                    Complaint.status == "open",
                    Complaint.stage == stage,
                    Complaint.duplicate_of.is_not(None),
                )
                .order_by(Complaint.received_at, Complaint.id)
                .limit(limit)
            ).all()
        )
    rows.sort(key=lambda row: (row[0].received_at, row[0].id))
    return [
        (ComplaintRecord.of(c), ComplaintRecord.of(o) if o is not None else None)
        for c, o in rows[:limit]
    ]


def count_duplicates(*, county: str, session: Session) -> int:
    return (
        session.scalar(
            select(func.count(Complaint.id)).where(
                Complaint.county == county,
                Complaint.status == "open",
                Complaint.stage.in_(BEFORE_SIGN_FOR),
                Complaint.duplicate_of.is_not(None),
            )
        )
        or 0
    )


def earlier_settlements(
    complaint: Complaint | ComplaintRecord, *, session: Session, limit: int = 10
) -> list[Settlement]:
    """Other complaints of the same matter that were returned or consulted, newest first,
    with how they were settled (the last ruling or consultation decision)."""
    if not complaint.matter_id:
        return []
    others = [
        ComplaintRecord.of(c)
        for c in session.scalars(
            select(Complaint)
            .where(
                Complaint.county == complaint.county,
                Complaint.matter_id == complaint.matter_id,
                Complaint.id != complaint.id,
                Complaint.return_count > 0,
            )
            .order_by(Complaint.received_at.desc(), Complaint.id.desc())
            .limit(limit)
        )
    ]
    decisions = forms(
        (c.instance_id for c in others if c.instance_id), ("adjudicate", "decide"), session=session
    )
    settled = []
    for other in others:
        records = decisions.get(other.instance_id or 0, [])
        last = records[-1] if records else None
        if last is None:
            settled.append(Settlement(other, "pending", None, None, None))
        elif last.task_name == "decide":
            settled.append(
                Settlement(other, "consultation", None, last.form.get("decision_note"), last.at)
            )
        elif last.form.get("ruling") == "escalate":
            settled.append(
                Settlement(other, "pending", "escalate", last.form.get("ruling_note"), last.at)
            )
        else:
            settled.append(
                Settlement(
                    other, "ruling", last.form.get("ruling"), last.form.get("ruling_note"), last.at
                )
            )
    return settled


def _overdue_filter(county: str, now: datetime) -> Any:
    supervised = select(HumanTask.instance_id).where(
        _ready(county), HumanTask.task_name == "supervise"
    )
    late = or_(
        Complaint.overdue.is_(True),
        and_(Complaint.stage == "sign_for", Complaint.sign_for_due < now),
        and_(Complaint.stage == "handling", Complaint.handle_due < now),
    )
    return and_(
        Complaint.county == county,
        Complaint.status == "open",
        or_(
            and_(Complaint.stage.in_(("sign_for", "handling")), late),
            Complaint.instance_id.in_(supervised),
        ),
    )


def overdue_board(
    *, county: str, now: datetime, session: Session, limit: int = 100, offset: int = 0
) -> tuple[int, list[tuple[ComplaintRecord, list[QueueItem]]]]:
    """Open complaints past their deadline, oldest deadline first, with open supervise tasks."""
    where = _overdue_filter(county, now)
    total = session.scalar(select(func.count(Complaint.id)).where(where)) or 0
    due = case((Complaint.stage == "sign_for", Complaint.sign_for_due), else_=Complaint.handle_due)
    complaints = [
        ComplaintRecord.of(c)
        for c in session.scalars(
            select(Complaint)
            .where(where)
            .order_by(due, Complaint.received_at, Complaint.id)
            .limit(limit)
            .offset(offset)
        )
    ]
    tasks = _ready_tasks_of(complaints, ("supervise",), county=county, session=session)
    return total, [(c, tasks.get(c.instance_id or 0, [])) for c in complaints]


def count_overdue(*, county: str, now: datetime, session: Session) -> int:
    """The same set as :func:`_overdue_filter`, counted as a union of index range scans
    (an OR across columns would read every open complaint)."""
    open_ = and_(Complaint.county == county, Complaint.status == "open")
    late_sign = select(Complaint.id).where(
        open_, Complaint.stage == "sign_for", Complaint.sign_for_due < now
    )
    late_handle = select(Complaint.id).where(
        open_, Complaint.stage == "handling", Complaint.handle_due < now
    )
    flagged = select(Complaint.id).where(
        open_, Complaint.stage.in_(("sign_for", "handling")), Complaint.overdue.is_(True)
    )
    supervised = select(Complaint.id).where(
        open_,
        Complaint.instance_id.in_(
            select(HumanTask.instance_id).where(_ready(county), HumanTask.task_name == "supervise")
        ),
    )
    ids = union(late_sign, late_handle, flagged, supervised).subquery()
    return session.scalar(select(func.count()).select_from(ids)) or 0


def _ready_tasks_of(
    complaints: Sequence[ComplaintRecord], names: Sequence[str], *, county: str, session: Session
) -> dict[int, list[QueueItem]]:
    by_instance = {c.instance_id: c for c in complaints if c.instance_id}
    found: dict[int, list[QueueItem]] = defaultdict(list)
    if not by_instance:
        return found
    rows = session.scalars(
        select(HumanTask)
        .where(
            _ready(county),
            HumanTask.task_name.in_(names),
            HumanTask.instance_id.in_(list(by_instance)),
        )
        .order_by(HumanTask.created_at, HumanTask.id)
    )
    for t in rows:
        found[t.instance_id].append(_item(t, by_instance[t.instance_id]))
    return found


@dataclass(frozen=True)
class LedgerRow:
    complaint: ComplaintRecord
    plan: str | None
    approved_at: datetime | None
    checkins: list[FormRecord]
    open_checkin: QueueItem | None

    @property
    def last_checkin(self) -> FormRecord | None:
        return self.checkins[-1] if self.checkins else None


def listed_ledger(*, county: str, session: Session, limit: int = 200) -> list[LedgerRow]:
    """Complaints under listed supervision: open ones first, then by when they came in."""
    complaints = [
        ComplaintRecord.of(c)
        for c in session.scalars(
            select(Complaint)
            .where(Complaint.county == county, Complaint.listed.is_(True))
            .order_by(
                case((Complaint.status == "open", 0), else_=1), Complaint.received_at, Complaint.id
            )
            .limit(limit)
        )
    ]
    ids = [c.instance_id for c in complaints if c.instance_id]
    records = forms(ids, ("handle", "approve_listing", "listed_checkin"), session=session)
    open_tasks = _ready_tasks_of(complaints, ("listed_checkin",), county=county, session=session)
    ledger = []
    for c in complaints:
        mine = records.get(c.instance_id or 0, [])
        plans = [r for r in mine if r.task_name == "handle" and r.form.get("outcome") == "list"]
        approvals = [
            r for r in mine if r.task_name == "approve_listing" and r.form.get("listing_approved")
        ]
        checkins = [r for r in mine if r.task_name == "listed_checkin"]
        tasks = open_tasks.get(c.instance_id or 0, [])
        ledger.append(
            LedgerRow(
                c,
                plans[-1].form.get("listing_plan") if plans else None,
                approvals[-1].at if approvals else None,
                checkins,
                tasks[0] if tasks else None,
            )
        )
    return ledger


def consultations(
    *, county: str, session: Session, complaint_id: int | None = None
) -> list[Consultation]:
    """Cases in joint consultation, with the returns that led there and each party's answer."""
    stmt = (
        select(HumanTask, Complaint)
        .join(Complaint, Complaint.instance_id == HumanTask.instance_id)
        .where(_ready(county), HumanTask.task_name.in_(CONSULTATION_TASKS))
        .order_by(Complaint.received_at, Complaint.id, HumanTask.created_at)
    )
    if complaint_id is not None:
        stmt = stmt.where(Complaint.id == complaint_id)
    cases: dict[int, Consultation] = {}
    for t, c in session.execute(stmt).all():
        if c.id not in cases:
            cases[c.id] = Consultation(ComplaintRecord.of(c), [], [])
        cases[c.id].tasks.append(_item(t, cases[c.id].complaint))
    if not cases:
        return []
    ids = [c.complaint.instance_id for c in cases.values() if c.complaint.instance_id]
    returned = returns(ids, session=session)
    positions = forms(ids, ("state_position",), session=session)
    asked = session.scalars(
        select(HumanTask)
        .where(
            HumanTask.instance_id.in_(ids), HumanTask.task_name.in_(("convene", "state_position"))
        )
        .order_by(HumanTask.created_at, HumanTask.id)
    ).all()
    found = []
    for case_ in cases.values():
        iid = case_.complaint.instance_id or 0
        case_ = replace(case_, returns=returned.get(iid, []))
        parties = _parties(
            case_, [t for t in asked if t.instance_id == iid], positions.get(iid, [])
        )
        found.append(replace(case_, parties=parties))
    return found


def _parties(case_: Consultation, asked: list[HumanTask], stated: list[FormRecord]) -> list[Party]:
    """Parties as the process names them (returned units, then the current primary unit),
    with the state of each one's position in the latest round."""
    names: list[str] = []
    for r in case_.returns:
        if r.form.get("unit") and r.form["unit"] not in names:
            names.append(r.form["unit"])
    if case_.complaint.primary_unit and case_.complaint.primary_unit not in names:
        names.append(case_.complaint.primary_unit)
    convened = [t.created_at for t in asked if t.task_name == "convene"]
    since = convened[-1] if convened else None
    round_ = [
        t for t in asked if t.task_name == "state_position" and since and t.created_at >= since
    ]
    by_task = {r.task_id: r for r in stated}
    parties = {n: Party(n, "not_asked") for n in names}
    for t in round_:
        unit = t.candidate_groups[0] if t.candidate_groups else "?"
        party = parties.setdefault(unit, Party(unit, "not_asked"))
        record = by_task.get(t.id)
        if record is not None:
            parties[unit] = replace(
                party,
                state="answered",
                position=record.form.get("position"),
                proposed_primary=record.form.get("proposed_primary"),
            )
        else:
            parties[unit] = replace(party, state="waiting" if t.state == "ready" else "lapsed")
    if case_.step == "decide":  # the position deadline passed (perhaps before anyone was asked)
        for unit, party in parties.items():
            if party.state == "not_asked":
                parties[unit] = replace(party, state="lapsed")
    return list(parties.values())


def amendment_proposals(
    *, county: str, session: Session, limit: int = 100
) -> list[tuple[AmendmentRecord, ComplaintRecord]]:
    rows = session.execute(
        select(AmendmentProposal, Complaint)
        .join(Complaint, Complaint.id == AmendmentProposal.complaint_id)
        .where(AmendmentProposal.county == county)
        .order_by(AmendmentProposal.created_at.desc(), AmendmentProposal.id.desc())
        .limit(limit)
    ).all()
    return [(AmendmentRecord.of(p), ComplaintRecord.of(c)) for p, c in rows]
