"""The complaint desk: the complaint domain wired onto a workflow host.

Web pages, the API, the simulator and tests call these methods; each is one step (one
transaction, retried on lost races) of the complaint's workflow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.catalog_store import CatalogRegistry
from engine.complaints import phone_checks
from engine.complaints.assignment import assign_new_tasks
from engine.complaints.idempotency import Intent, claim, settle
from engine.complaints.intake import ComplaintReport, submit_report
from engine.complaints.models import Complaint, ComplaintStage
from engine.complaints.phone_checks import PhoneCheck
from engine.complaints.projection import ComplaintProjector
from engine.complaints.services import ComplaintServices
from engine.complaints.sign_for_supervision import (
    SUPERVISE_SIGN_FOR_MESSAGE,
    sign_for_supervisions,
)
from engine.core.errors import EngineError, NotWaitingForMessage
from engine.core.host import WorkflowHost
from engine.core.instances import send_message
from engine.core.row_processes import run_step_then_notify
from engine.core.tenancy import DEFAULT_COUNTY
from engine.core.transactions import run_step
from engine.working_calendar.store import CalendarProvider, enter_schedule
from rules import CHINA_TZ

CLOSE_MESSAGE = "关闭诉求"
SUPERVISION_NOTE_LIMIT = 500


@dataclass(frozen=True)
class Submitted:
    complaint_id: int
    tracking_code: str
    instance_id: int
    duplicate_of: int | None
    replayed: bool = False  # a retry under an idempotency key: the first request's complaint


class ComplaintDesk:
    def __init__(self, host: WorkflowHost) -> None:
        self.host = host
        self.catalogs = CatalogRegistry()
        self.calendars = CalendarProvider()
        self.services = ComplaintServices(self.catalogs, self.calendars)
        host.runtime.register_services(self.services.operations())
        host.runtime.register_projector("complaint", ComplaintProjector(host.runtime))
        # A unit's own table of who handles what assigns its arriving tasks.
        host.runtime.register_projector("complaint", assign_new_tasks)

    def submit(
        self,
        report: ComplaintReport,
        *,
        actor: str,
        county: str = DEFAULT_COUNTY,
        also: Callable[[Session, Complaint], None] | None = None,
        idempotency: Intent | None = None,
    ) -> Submitted:
        """Take a report; :raises ReportRejected: naming each bad field.

        :param also: writes of the caller's own (an Open311 submission row) that must commit
            or fail together with the report.
        :param idempotency: the client's key; a retry gets the first request's complaint
            (``replayed``) and nothing is stored. :raises KeyReused: a different request.
        """

        def step(session):
            now = self.host.clock.now()
            if idempotency is not None:
                earlier = claim(idempotency, county=county, now=now, session=session)
                if earlier is not None:
                    first = session.get_one(Complaint, earlier)
                    return Submitted(
                        first.id, first.tracking_code, first.instance_id, first.duplicate_of, True
                    )
            complaint = submit_report(
                report,
                runtime=self.host.runtime,
                registry=self.catalogs,
                county=county,
                actor=actor,
                now=now,
                session=session,
            )
            if also is not None:
                also(session, complaint)
            if idempotency is not None:
                settle(idempotency, complaint.id, county=county, session=session)
            return Submitted(
                complaint.id, complaint.tracking_code, complaint.instance_id, complaint.duplicate_of
            )

        # A replayed request starts nothing, so nothing new is announced to the scheduler.
        return run_step_then_notify(self.host, step)

    def close_report(
        self,
        complaint_id: int,
        *,
        kind: str,
        reason: str,
        actor: str,
        merged_into: int | None = None,
    ) -> None:
        """Merge a report into an existing case or close it as invalid (before sign-for).

        :raises NotWaitingForMessage: the unit has already signed for it.
        """
        if kind not in ("merged", "invalid"):
            raise EngineError(f"未知的关闭方式：{kind}")
        if not reason.strip():
            raise EngineError("请填写合并或作废的理由")
        if kind == "merged" and merged_into is None:
            raise EngineError("合并须指明并入的事项")

        def step(session):
            complaint = session.get(Complaint, complaint_id)
            if complaint is None or complaint.instance_id is None:
                raise EngineError(f"事项 {complaint_id} 不存在")
            if kind == "merged":
                target = session.get(Complaint, merged_into)
                if target is None or target.id == complaint_id:
                    raise EngineError("并入的事项不存在")
            send_message(
                complaint.instance_id,
                CLOSE_MESSAGE,
                {
                    "closure_kind": kind,
                    "closure_reason": reason.strip(),
                    "merged_into": merged_into,
                },
                runtime=self.host.runtime,
                now=self.host.clock.now(),
                actor=actor,
                session=session,
            )

        run_step(self.host.session_factory, step)

    def supervise_sign_for(self, complaint_id: int, *, note: str, actor: str) -> str | None:
        """The dispatcher presses a unit that let the sign-for deadline pass: the diagram's
        督办签收 message notifies the unit (with the note) and the audit log keeps who and when.
        Once per sign-for task, like the handling supervision once per overdue handle task.

        :return: the unit that was notified.
        :raises EngineError: the case is not waiting past its sign-for deadline, or runs on a
            diagram version without this supervision; nothing changed.
        """
        note = note.strip()
        if len(note) > SUPERVISION_NOTE_LIMIT:
            raise EngineError(f"督办意见不能超过 {SUPERVISION_NOTE_LIMIT} 字")

        def step(session):
            complaint = session.get(Complaint, complaint_id)
            if complaint is None or complaint.instance_id is None:
                raise EngineError(f"事项 {complaint_id} 不存在")
            now = self.host.clock.now()
            if complaint.status != "open" or complaint.stage != "sign_for":
                raise EngineError("该事项已不在待签收环节，无需督办签收")
            if complaint.sign_for_due is None or now < complaint.sign_for_due:
                raise EngineError("该事项尚未超过签收时限")
            try:
                send_message(
                    complaint.instance_id,
                    SUPERVISE_SIGN_FOR_MESSAGE,
                    {"supervision_note": note},
                    runtime=self.host.runtime,
                    now=now,
                    actor=actor,
                    session=session,
                )
            except NotWaitingForMessage:
                done = sign_for_supervisions([complaint], session=session).get(complaint.id)
                if done is not None:
                    raise EngineError("已督办过该事项的签收，请等待单位签收") from None
                raise EngineError("该事项运行的流程版本不支持督办签收，请电话督办") from None
            return complaint.primary_unit

        return run_step(self.host.session_factory, step)

    def enter_holiday_schedule(
        self, data: dict[str, Any], *, actor: str, county: str = DEFAULT_COUNTY
    ) -> int:
        """:raises ScheduleInvalid: naming each bad field; nothing is stored."""
        schedule = run_step(
            self.host.session_factory,
            lambda s: enter_schedule(
                data, county=county, actor=actor, now=self.host.clock.now(), session=s
            ),
        )
        return schedule.year

    def calendar_warnings(self, *, county: str = DEFAULT_COUNTY, years: int = 1) -> tuple[str, ...]:
        """Warnings for administrators about years whose deadlines are provisional."""
        today = self.host.clock.now().astimezone(CHINA_TZ).date()
        with self.host.session_factory() as session:
            calendar = self.calendars.calendar(county=county, session=session)
        return calendar.warnings(today.year, today.year + years)

    def check_reporter_phone(self, complaint_id: int, phone: str | None) -> PhoneCheck:
        """An anonymous reporter proves the phone number left with the report (one
        step: a wrong number is recorded towards the lock across all sessions)."""

        def step(session: Session) -> PhoneCheck:
            complaint = session.get(Complaint, complaint_id)
            if complaint is None:
                raise EngineError(f"事项 {complaint_id} 不存在")
            return phone_checks.check_phone(
                complaint, phone, now=self.host.clock.now(), session=session
            )

        return run_step(self.host.session_factory, step)

    # -- reads (for pages, reports and tests) --------------------------------------------
    def complaint(self, complaint_id: int) -> Complaint:
        with self.host.session_factory() as session:
            complaint = session.get(Complaint, complaint_id)
            if complaint is None:
                raise EngineError(f"事项 {complaint_id} 不存在")
            return complaint

    def stages(self, complaint_id: int) -> list[ComplaintStage]:
        with self.host.session_factory() as session:
            return list(
                session.scalars(
                    select(ComplaintStage)
                    .where(ComplaintStage.complaint_id == complaint_id)
                    .order_by(ComplaintStage.started_at, ComplaintStage.id)
                )
            )

    def today(self) -> date:
        return self.host.clock.now().astimezone(CHINA_TZ).date()
