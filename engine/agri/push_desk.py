"""Guidance pushes on the agriculture desk: audience preview, immediate or scheduled sending
through ``bpmn/agri_push.bpmn``, withdrawal before the date, reach and read receipts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from engine.agri.audience import audience_by_village
from engine.agri.models import Consultation, Grower, GuidancePush, PushReceipt
from engine.agri.records import GrowerRecord, PushRecord, ReceiptRecord
from engine.agri.vocabulary import CROPS
from engine.core.errors import EngineError, FieldErrors, NotWaitingForMessage
from engine.core.host import WorkflowHost
from engine.core.instances import send_message
from engine.core.row_processes import run_step_then_notify, start_for_row
from engine.core.tenancy import DEFAULT_COUNTY
from responsibility_catalog import Organisation

PUSH_PROCESS = "agri_push"
CANCEL_PUSH_MESSAGE = "取消推送"
MAX_TEXT = 2000
MAX_SCHEDULE_AHEAD = timedelta(days=366)


class PushDesk:
    """Mixed into :class:`engine.agri.desk.AgriDesk`, which provides the host and helpers."""

    host: WorkflowHost
    _step: Callable[..., Any]
    _now: Callable[[], datetime]
    organisation: Callable[..., Organisation]

    # -- guidance pushes ---------------------------------------------------------------------------
    def preview(
        self,
        crop: str,
        townships: Sequence[str],
        villages: Sequence[str],
        *,
        county: str = DEFAULT_COUNTY,
    ) -> list[tuple[str, int, float]]:
        """``(village id, growers, mu)`` the push would reach."""
        with self.host.session_factory() as session:
            return audience_by_village(crop, townships, villages, county=county, session=session)

    def create_push(
        self,
        *,
        crop: str,
        title: str,
        body: str,
        townships: Sequence[str],
        villages: Sequence[str],
        send_at: datetime | None = None,
        consultation_id: int | None = None,
        actor: str,
        county: str = DEFAULT_COUNTY,
    ) -> int:
        """Send guidance now, or schedule it (the sweep sends it on ``send_at``).

        :raises FieldErrors: naming each bad field; nothing is stored.
        """
        now = self._now()
        organisation = self.organisation(county=county)
        errors: dict[str, str] = {}
        if crop not in CROPS:
            errors["crop"] = "请选择作物"
        title, body = (title or "").strip(), (body or "").strip()
        if not title or len(title) > 60:
            errors["title"] = "请填写标题（不超过 60 字）"
        if not body or len(body) > MAX_TEXT:
            errors["body"] = f"请填写指导内容（不超过 {MAX_TEXT} 字）"
        bad = [t for t in townships if t not in organisation.townships_by_id]
        bad += [v for v in villages if v not in organisation.villages_by_id]
        if bad:
            errors["townships"] = f"未知的乡镇或村：{'、'.join(bad)}"
        elif not townships and not villages:
            errors["townships"] = "请至少选择一个乡镇或村"
        if send_at is not None:
            if send_at.tzinfo is None:
                errors["send_at"] = "发送时间缺少时区"
            elif send_at <= now:
                errors["send_at"] = "定时发送的时间应晚于现在"
            elif send_at > now + MAX_SCHEDULE_AHEAD:
                errors["send_at"] = "定时发送最多提前一年"
        if consultation_id is not None:
            with self.host.session_factory() as session:
                found = session.get(Consultation, consultation_id)
            if found is None or found.county != county:
                errors["consultation_id"] = f"关联的咨询 {consultation_id} 不存在"
        if errors:
            raise FieldErrors(errors, "未发布：")

        def step(session: Session) -> int:
            push = GuidancePush(
                county=county,
                consultation_id=consultation_id,
                crop=crop,
                title=title,
                body=body,
                townships=list(dict.fromkeys(townships)),
                villages=list(dict.fromkeys(villages)),
                send_at=send_at,
                status="scheduled",
                created_by=actor,
                created_at=now,
            )
            start_for_row(
                push,
                PUSH_PROCESS,
                lambda row: {
                    "push_id": row.id,
                    "send_at": send_at.astimezone(UTC).isoformat() if send_at else None,
                },
                runtime=self.host.runtime,
                now=now,
                actor=actor,
                county=county,
                business_key=lambda row: f"agri_push:{row.id}",
                session=session,
            )
            return push.id

        return run_step_then_notify(self.host, step)

    def cancel_push(self, push_id: int, *, actor: str) -> None:
        """Withdraw a scheduled push before its date.

        :raises EngineError: it was sent (or withdrawn) already.
        """
        push = self.push(push_id)
        if push.status != "scheduled" or push.instance_id is None:
            raise EngineError("该推送已发送或已取消，不能再取消")
        try:
            self._step(
                lambda s: send_message(
                    push.instance_id,
                    CANCEL_PUSH_MESSAGE,
                    {"cancelled_by": actor},
                    runtime=self.host.runtime,
                    now=self._now(),
                    actor=actor,
                    session=s,
                )
            )
        except NotWaitingForMessage:
            raise EngineError("该推送已发送，不能再取消") from None

    def push(self, push_id: int) -> PushRecord:
        with self.host.session_factory() as session:
            row = session.get(GuidancePush, push_id)
            if row is None:
                raise EngineError(f"推送 {push_id} 不存在")
            return PushRecord.of(row)

    def pushes(self, *, county: str = DEFAULT_COUNTY, limit: int = 100) -> list[PushRecord]:
        with self.host.session_factory() as session:
            rows = session.scalars(
                select(GuidancePush)
                .where(GuidancePush.county == county)
                .order_by(GuidancePush.id.desc())
                .limit(limit)
            )
            return [PushRecord.of(p) for p in rows]

    def read_counts(self, push_ids: Sequence[int]) -> dict[int, int]:
        """Receipts confirmed read per push, one GROUP BY."""
        with self.host.session_factory() as session:
            return {
                push_id: int(n)
                for push_id, n in session.execute(
                    select(PushReceipt.push_id, func.count(PushReceipt.id))
                    .where(
                        PushReceipt.push_id.in_(list(push_ids)), PushReceipt.read_at.is_not(None)
                    )
                    .group_by(PushReceipt.push_id)
                ).all()
            }

    def receipts(self, push_id: int) -> list[tuple[ReceiptRecord, GrowerRecord]]:
        """Who the push reached, unread first, by village."""
        with self.host.session_factory() as session:
            rows = session.execute(
                select(PushReceipt, Grower)
                .join(Grower, Grower.id == PushReceipt.grower_id)
                .where(PushReceipt.push_id == push_id)
                .order_by(PushReceipt.read_at.is_not(None), PushReceipt.village_id, Grower.name)
            ).all()
            return [(ReceiptRecord.of(r), GrowerRecord.of(g)) for r, g in rows]

    def guidance_for(
        self, recipients: Sequence[str]
    ) -> list[tuple[ReceiptRecord, PushRecord, GrowerRecord]]:
        """Guidance received by these recipient keys (a grower, or a grid worker for theirs)."""
        with self.host.session_factory() as session:
            rows = session.execute(
                select(PushReceipt, GuidancePush, Grower)
                .join(GuidancePush, GuidancePush.id == PushReceipt.push_id)
                .join(Grower, Grower.id == PushReceipt.grower_id)
                .where(PushReceipt.recipient.in_(list(recipients)))
                .order_by(PushReceipt.notified_at.desc(), PushReceipt.id.desc())
                .limit(200)
            ).all()
            return [(ReceiptRecord.of(r), PushRecord.of(p), GrowerRecord.of(g)) for r, p, g in rows]

    def confirm_read(self, receipt_id: int, *, actor: str, recipients: Sequence[str]) -> bool:
        """Mark a receipt read; ``False`` if it is not the actor's or was already read."""

        def step(session: Session) -> bool:
            result = session.execute(
                update(PushReceipt)
                .where(
                    PushReceipt.id == receipt_id,
                    PushReceipt.recipient.in_(list(recipients)),
                    PushReceipt.read_at.is_(None),
                )
                .values(read_at=self._now(), read_by=actor)
            )
            return result.rowcount == 1

        return self._step(step)
