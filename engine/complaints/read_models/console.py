"""What the dispatcher console's pages show, each read in one short session of its own.

The queries are :mod:`engine.complaints.console_queries` (a fixed number per page however
many rows it shows); these functions give a page everything it lists at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from engine.complaints import console_queries as q
from engine.complaints.console_queries import (
    Consultation,
    FormRecord,
    LedgerRow,
    QueueItem,
    Settlement,
)
from engine.complaints.models import Complaint
from engine.complaints.read_models.records import AmendmentRecord, ComplaintRecord
from engine.complaints.sign_for_supervision import SignForSupervision, sign_for_supervisions
from engine.core.host import WorkflowHost

# A queue item with the unit's form that led to it (a return, a request), if any.
ItemWithForm = tuple[QueueItem, FormRecord | None]


def console_counts(host: WorkflowHost, *, county: str) -> dict[str, int]:
    """Ready console tasks by element id, with the overdue cases and likely duplicates."""
    with host.session_factory() as session:
        counts = q.queue_counts(county=county, session=session)
        counts["overdue"] = q.count_overdue(county=county, now=host.clock.now(), session=session)
        counts["duplicates"] = q.count_duplicates(county=county, session=session)
    return counts


def console_task(host: WorkflowHost, task_id: str) -> QueueItem | None:
    """One task of any console queue (ready or not) with its case."""
    with host.session_factory() as session:
        return q.task_item(task_id, session=session)


@dataclass(frozen=True)
class ConsoleHome:
    unrouted: list[QueueItem]
    duplicates: list[tuple[ComplaintRecord, ComplaintRecord | None]]


def console_home(
    host: WorkflowHost, *, county: str, limit: int, offset: int, screening_rows: int
) -> ConsoleHome:
    """A page of the unrouted queue (determine), oldest first, and the likely duplicates."""
    with host.session_factory() as session:
        unrouted = q.queue(
            ("determine",), county=county, session=session, limit=limit, offset=offset
        )
        duplicates = q.likely_duplicates(county=county, session=session, limit=screening_rows)
    return ConsoleHome(unrouted, duplicates)


def find_case(host: WorkflowHost, key: str, *, county: str) -> int | None:
    """A complaint id from its tracking code (or its number)."""
    key = key.strip()
    if not key:
        return None
    in_county = Complaint.county == county
    with host.session_factory() as session:
        found = session.scalar(
            select(Complaint.id).where(in_county, Complaint.tracking_code == key)
        )
        if found is None and key.isdigit():
            found = session.scalar(select(Complaint.id).where(in_county, Complaint.id == int(key)))
    return found


def _last(records: dict[int, list[FormRecord]], item: QueueItem) -> FormRecord | None:
    return (records.get(item.complaint.instance_id or 0) or [None])[-1]


def _latest_asking(
    handled: dict[int, list[FormRecord]], item: QueueItem, outcome: str
) -> FormRecord | None:
    """The unit's latest handling form that asked for this (extension date and reason, or
    the listing plan)."""
    asked = [
        r
        for r in handled.get(item.complaint.instance_id or 0, [])
        if r.form.get("outcome") == outcome
    ]
    return asked[-1] if asked else None


@dataclass(frozen=True)
class Approvals:
    counts: dict[str, int]
    extensions: list[ItemWithForm]  # with the handling form that asked for it
    listings: list[ItemWithForm]


def approval_requests(host: WorkflowHost, *, county: str, limit: int) -> Approvals:
    """Extension and listing requests waiting for the dispatcher."""
    with host.session_factory() as session:
        counts = q.queue_counts(county=county, session=session)
        extensions = q.queue(("approve_extension",), county=county, session=session, limit=limit)
        listings = q.queue(("approve_listing",), county=county, session=session, limit=limit)
        ids = [i.complaint.instance_id or 0 for i in extensions + listings]
        handled = q.forms(ids, ("handle",), session=session)
    return Approvals(
        counts,
        [(i, _latest_asking(handled, i, "extension")) for i in extensions],
        [(i, _latest_asking(handled, i, "list")) for i in listings],
    )


def contested_cases(
    host: WorkflowHost, *, county: str, limit: int, offset: int
) -> tuple[int, list[ItemWithForm]]:
    """How many cases wait for a ruling, and a page of them with each one's last return."""
    with host.session_factory() as session:
        total = q.queue_counts(county=county, session=session)["adjudicate"]
        items = q.queue(("adjudicate",), county=county, session=session, limit=limit, offset=offset)
        returned = q.returns((i.complaint.instance_id or 0 for i in items), session=session)
    return total, [(i, _last(returned, i)) for i in items]


@dataclass(frozen=True)
class ContestedHistory:
    returns: list[FormRecord]  # every return of the case, oldest first
    rulings: list[FormRecord]  # every earlier ruling on it
    earlier: list[Settlement]  # other cases of the same matter and how they were settled


def contested_history(host: WorkflowHost, complaint: ComplaintRecord) -> ContestedHistory:
    instance_id = complaint.instance_id or 0
    with host.session_factory() as session:
        history = q.returns([instance_id], session=session).get(instance_id, [])
        rulings = q.forms([instance_id], ("adjudicate",), session=session).get(instance_id, [])
        earlier = q.earlier_settlements(complaint, session=session)
    return ContestedHistory(history, rulings, earlier)


def consultation_cases(
    host: WorkflowHost, *, county: str, complaint_id: int | None = None
) -> tuple[list[Consultation], list[tuple[AmendmentRecord, ComplaintRecord]]]:
    """Cases in joint consultation (or the one case) and the catalog amendments proposed."""
    with host.session_factory() as session:
        cases = q.consultations(county=county, session=session, complaint_id=complaint_id)
        proposals = q.amendment_proposals(county=county, session=session)
    if complaint_id is not None:
        proposals = [(p, c) for p, c in proposals if c.id == complaint_id]
    return cases, proposals


@dataclass(frozen=True)
class OverdueBoard:
    total: int
    board: list[tuple[ComplaintRecord, list[QueueItem]]]  # with their open supervise tasks
    sign_supervised: dict[int, SignForSupervision]  # sign-for supervisions, by complaint id
    final: list[ItemWithForm]  # final supervision tasks with the last callback
    final_count: int


def overdue_board(host: WorkflowHost, *, county: str, limit: int, offset: int) -> OverdueBoard:
    now = host.clock.now()
    with host.session_factory() as session:
        total, board = q.overdue_board(
            county=county, now=now, session=session, limit=limit, offset=offset
        )
        sign_supervised = sign_for_supervisions([c for c, _ in board], session=session)
        final = q.queue(("final_supervision",), county=county, session=session, limit=limit)
        final_count = q.queue_counts(county=county, session=session)["final_supervision"]
        callbacks = q.forms(
            [i.complaint.instance_id or 0 for i in final], ("callback",), session=session
        )
    return OverdueBoard(
        total, board, sign_supervised, [(i, _last(callbacks, i)) for i in final], final_count
    )


def listed_ledger(host: WorkflowHost, *, county: str) -> list[LedgerRow]:
    """Complaints under listed supervision: open ones first."""
    with host.session_factory() as session:
        return q.listed_ledger(county=county, session=session)
