"""Service operations of ``bpmn/agri_consultation.bpmn`` and ``bpmn/agri_push.bpmn`` (ADR 0008).

Each runs inside an engine step: it reads the step's instant and transaction, calls pure
``rules/`` functions and writes the consultation's or push's projection rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, insert, select

from engine.agri.audience import audience_rows
from engine.agri.models import (
    Consultation,
    ConsultationMessage,
    ExpertSpecialty,
    GuidancePush,
    PushReceipt,
)
from engine.agri.vocabulary import DEFAULT_MATTER, MATTER_OF_CROP, crop_label
from engine.catalog_store import CatalogRegistry
from engine.core.notifications import notify
from engine.core.runtime import current_step
from engine.core.scripting import ServiceOperation
from engine.working_calendar.store import CalendarProvider
from rules import CHINA_TZ, ComplaintFacts, Outcome, explain, route_on, schedule_working_days
from rules.agri import REPLY_POLICY, pick_expert

SYSTEM = "system"
# The morning of a field visit: growers and experts are told before they leave home.
VISIT_REMINDER_TIME = time(7, 30)
_STAGE_OF_SIDE = {"expert": "expert", "lead": "expert", "grower": "grower", "rating": "rating"}


def expert_group(username: str) -> str:
    return f"expert:{username}"


def lead_group(unit: str) -> str:
    return f"lead:{unit}"


def _consultation(data: Mapping[str, Any]) -> Consultation:
    row = current_step().session.get(Consultation, int(data["consultation_id"]))
    if row is None:
        raise ValueError(f"咨询 {data.get('consultation_id')} 不存在")
    return row


def _say(consultation: Consultation, body: str) -> None:
    step = current_step()
    step.session.add(
        ConsultationMessage(
            county=consultation.county,
            consultation_id=consultation.id,
            side=SYSTEM,
            author=SYSTEM,
            body=body,
            photos=[],
            at=step.now,
        )
    )


def _local(instant: datetime) -> str:
    return instant.astimezone(CHINA_TZ).strftime("%m月%d日 %H:%M")


class AgriServices:
    def __init__(self, catalogs: CatalogRegistry, calendars: CalendarProvider) -> None:
        self.catalogs = catalogs
        self.calendars = calendars

    def operations(self) -> dict[str, ServiceOperation]:
        return {
            "route_agri_question": self.route_agri_question,
            "schedule_agri_reply": self.schedule_agri_reply,
            "remind_agri_reply": self.remind_agri_reply,
            "escalate_agri_question": self.escalate_agri_question,
            "note_grower_silence": self.note_grower_silence,
            "schedule_field_visit": self.schedule_field_visit,
            "remind_field_visit": self.remind_field_visit,
            "close_agri_consultation": self.close_agri_consultation,
            "send_agri_guidance": self.send_agri_guidance,
            "cancel_agri_push": self.cancel_agri_push,
        }

    # -- consultation ------------------------------------------------------------------------
    def route_agri_question(
        self, params: Mapping[str, Any], data: dict[str, Any]
    ) -> dict[str, Any]:
        """The catalog's agriculture domain names the unit; its specialty table the expert."""
        step = current_step()
        session = step.session
        consultation = _consultation(data)
        catalogs = self.catalogs.in_force(county=step.county, session=session)
        facts = ComplaintFacts(
            matter=MATTER_OF_CROP.get(consultation.crop, DEFAULT_MATTER),
            village=consultation.village_id,
        )
        decision = route_on(facts, catalogs, step.now.astimezone(CHINA_TZ).date())
        if decision.outcome is not Outcome.ASSIGNED or decision.primary is None:
            raise ValueError(f"责任清单未能确定农技咨询的承办单位：{explain(decision)}")
        unit = decision.primary.id
        table = list(
            session.execute(
                select(ExpertSpecialty.crop, ExpertSpecialty.username)
                .where(ExpertSpecialty.county == step.county)
                .order_by(ExpertSpecialty.position, ExpertSpecialty.id)
            ).all()
        )
        load = dict(
            session.execute(
                select(Consultation.expert, func.count(Consultation.id))
                .where(
                    Consultation.county == step.county,
                    Consultation.stage != "closed",
                    Consultation.expert.is_not(None),
                )
                .group_by(Consultation.expert)
            ).all()
        )
        expert = pick_expert(consultation.crop, [tuple(r) for r in table], load)
        consultation.unit = unit
        consultation.matter_id = decision.matter_id
        consultation.expert = expert
        explanation = explain(decision) + (
            f"；按{crop_label(consultation.crop)}专长分派给专家 {expert}"
            if expert
            else "；专长表中无可分派专家，由局负责人处理"
        )
        consultation.routing_explanation = explanation
        groups = [expert_group(expert)] if expert else [lead_group(unit)]
        # The conversation gets one line; the full explanation stays on the consultation.
        _say(
            consultation,
            f"已按责任清单转{decision.primary.name}（{decision.matter_id} {decision.matter_name}）"
            + (
                f"，由{crop_label(consultation.crop)}专长专家答复" if expert else "，由局负责人分派"
            ),
        )
        return {
            "unit": unit,
            "lead_group": lead_group(unit),
            "expert": expert,
            "answer_groups": groups,
            "matter_id": decision.matter_id,
            "catalog_version": decision.catalog_version,
            "explanation": explanation,
        }

    def schedule_agri_reply(
        self, params: Mapping[str, Any], data: dict[str, Any]
    ) -> dict[str, Any]:
        """Close of business after the side's working days (``rules.agri.REPLY_POLICY``)."""
        step = current_step()
        side = str(params["side"])
        calendar = self.calendars.calendar(county=step.county, session=step.session)
        deadline = schedule_working_days(
            step.now,
            REPLY_POLICY.days(side),
            calendar,
            remind_fraction=REPLY_POLICY.remind_fraction,
        )
        consultation = _consultation(data)
        consultation.due_at = deadline.due
        consultation.stage = _STAGE_OF_SIDE[side]
        return deadline.to_dict()

    def remind_agri_reply(self, params: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        step = current_step()
        side = str(params["side"])
        consultation = _consultation(data)
        groups = data["answer_groups"] if side == "expert" else data["grower_groups"]
        due = datetime.fromisoformat(data["reply_deadline"]["due"])
        title = (
            f"农技咨询 #{consultation.id}（{crop_label(consultation.crop)}）待您答复，"
            f"{_local(due)} 前未答复将升级至局负责人"
            if side == "expert"
            else f"专家在等您回复农技咨询 #{consultation.id}，请在 {_local(due)} 前回复"
        )
        sent = notify(
            groups,
            county=step.county,
            kind="agri_reminder",
            title=title,
            instance_id=step.instance_id,
            now=step.now,
            session=step.session,
        )
        return {"side": side, "sent": sent}

    def escalate_agri_question(self, params: Mapping[str, Any], data: dict[str, Any]) -> list[str]:
        """The expert missed the deadline: the bureau's lead may now answer too."""
        step = current_step()
        consultation = _consultation(data)
        consultation.escalations += 1
        lead = data["routing"]["lead_group"]
        groups = list(dict.fromkeys([*data["answer_groups"], lead]))
        _say(consultation, "专家未在期限内答复，已升级至农业农村局负责人督办")
        notify(
            [lead],
            county=step.county,
            kind="agri_escalation",
            title=(
                f"农技咨询 #{consultation.id}（{crop_label(consultation.crop)}）逾期未答复，"
                f"已升级（第 {consultation.escalations} 次）"
            ),
            instance_id=step.instance_id,
            now=step.now,
            session=step.session,
        )
        return groups

    def note_grower_silence(
        self, params: Mapping[str, Any], data: dict[str, Any]
    ) -> dict[str, Any]:
        consultation = _consultation(data)
        _say(consultation, "种植户未在期限内回复，请专家根据已有情况给出诊断和指导")
        return {"at": current_step().now.isoformat()}

    def schedule_field_visit(
        self, params: Mapping[str, Any], data: dict[str, Any]
    ) -> dict[str, Any]:
        step = current_step()
        consultation = _consultation(data)
        day = date.fromisoformat(str(data["visit_date"]))
        morning = datetime.combine(day, VISIT_REMINDER_TIME, tzinfo=CHINA_TZ)
        consultation.visit_date = day
        consultation.stage = "visit"
        notify(
            data["grower_groups"],
            county=step.county,
            kind="agri_visit",
            title=f"农技专家将于 {day.month}月{day.day}日 到田间查看（咨询 #{consultation.id}）",
            instance_id=step.instance_id,
            now=step.now,
            session=step.session,
        )
        return {"date": day.isoformat(), "remind_at": max(morning, step.now).isoformat()}

    def remind_field_visit(self, params: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        step = current_step()
        consultation = _consultation(data)
        sent = notify(
            [*data["answer_groups"], *data["grower_groups"]],
            county=step.county,
            kind="agri_visit",
            title=f"今天到田间查看：农技咨询 #{consultation.id}（{crop_label(consultation.crop)}）",
            instance_id=step.instance_id,
            now=step.now,
            session=step.session,
        )
        return {"sent": sent}

    def close_agri_consultation(
        self, params: Mapping[str, Any], data: dict[str, Any]
    ) -> dict[str, Any]:
        step = current_step()
        consultation = _consultation(data)
        consultation.stage = "closed"
        consultation.closed_at = step.now
        consultation.close_reason = str(params["reason"])
        consultation.due_at = None
        if consultation.close_reason == "unrated":
            _say(consultation, "评价期限已过，咨询结束（未评价）")
        return {"reason": consultation.close_reason}

    # -- push ----------------------------------------------------------------------------------
    def send_agri_guidance(self, params: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        """Snapshot the audience into receipts and notify each recipient, in this step."""
        step = current_step()
        session = step.session
        push = session.get(GuidancePush, int(data["push_id"]))
        if push is None:
            raise ValueError(f"推送 {data.get('push_id')} 不存在")
        if push.status == "sent":  # the engine runs this once; a repeated call changes nothing
            return {"recipients": push.recipients}
        growers = audience_rows(
            push.crop, push.townships, push.villages, county=push.county, session=session
        )
        if growers:  # one multi-row INSERT: a county-wide push reaches tens of thousands
            session.connection().execute(
                insert(PushReceipt.__table__),
                [
                    {
                        "county": push.county,
                        "push_id": push.id,
                        "grower_id": grower_id,
                        "village_id": village_id,
                        "recipient": recipient,
                        "notified_at": step.now,
                    }
                    for grower_id, village_id, recipient in growers
                ],
            )
        notify(
            [recipient for _, _, recipient in growers],
            county=push.county,
            kind="agri_guidance",
            title=f"农技指导：{push.title}",
            instance_id=step.instance_id,
            now=step.now,
            session=session,
        )
        push.status = "sent"
        push.sent_at = step.now
        push.recipients = len(growers)
        return {"recipients": len(growers)}

    def cancel_agri_push(self, params: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        """A scheduled push withdrawn before its date: nobody is notified."""
        step = current_step()
        push = step.session.get(GuidancePush, int(data["push_id"]))
        if push is None:
            raise ValueError(f"推送 {data.get('push_id')} 不存在")
        push.status = "cancelled"
        return {"by": str(data.get("cancelled_by") or ""), "at": step.now.isoformat()}
