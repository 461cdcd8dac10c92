"""Keep the consultation row and its conversation in step with its workflow."""

from __future__ import annotations

from datetime import date

from engine.agri.models import Consultation, ConsultationMessage, GuidancePush
from engine.agri.vocabulary import crop_label
from engine.core.instance_state import element_id, workflow_view
from engine.core.notifications import notify
from engine.core.projection import StepOutcome

# Which ready task tells the consultation's stage.
_STAGE_OF_TASK = (
    ("rate_help", "rating"),
    ("field_visit", "visit"),
    ("grower_reply", "grower"),
    ("expert_reply", "expert"),
)


def _photos(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return [p for p in str(value or "").split(",") if p]


def project_consultation(outcome: StepOutcome) -> None:
    view = workflow_view(outcome.workflow)
    consultation_id = view.get("consultation_id")
    session = outcome.session
    consultation = session.get(Consultation, int(consultation_id)) if consultation_id else None
    if consultation is None:
        return
    if consultation.instance_id is None and outcome.record.id is not None:
        consultation.instance_id = outcome.record.id
    task = outcome.completed_task
    if task is not None:
        _record_turn(consultation, element_id(task), task.data, outcome)
    ready = {element_id(t) for t in outcome.ready.values()}
    stage = next((s for name, s in _STAGE_OF_TASK if name in ready), None)
    if outcome.workflow.completed:
        stage = "closed"
    if stage is not None:
        consultation.stage = stage


def _record_turn(consultation: Consultation, name: str, data: dict, outcome: StepOutcome) -> None:
    now, actor = outcome.now, outcome.actor

    def say(side: str, body: str, photos: list[str] | None = None) -> None:
        outcome.session.add(
            ConsultationMessage(
                county=consultation.county,
                consultation_id=consultation.id,
                side=side,
                author=actor,
                body=body,
                photos=photos or [],
                at=now,
            )
        )

    if name == "expert_reply":
        # The lead answers in the expert's place once the question was escalated.
        side = "expert" if actor == consultation.expert else "lead"
        if consultation.first_answer_at is None:
            consultation.first_answer_at = now
        say(side, str(data.get("message") or ""))
        if data.get("reply_kind") == "conclude":
            consultation.diagnosis = str(data.get("diagnosis") or "")
            consultation.guidance = str(data.get("guidance") or "")
            consultation.concluded_at = now
            consultation.concluded_by = actor
            consultation.widespread = bool(data.get("widespread"))
            if consultation.widespread and consultation.unit:
                # The bureau's lead decides with the expert how far the guidance should go.
                notify(
                    [f"lead:{consultation.unit}"],
                    county=consultation.county,
                    kind="agri_widespread",
                    title=(
                        f"农技咨询 #{consultation.id}（{crop_label(consultation.crop)}）"
                        f"判定为普遍性问题：{consultation.diagnosis}，建议推送指导"
                    ),
                    instance_id=outcome.record.id,
                    now=now,
                    session=outcome.session,
                )
            visit = data.get("visit_date")
            consultation.visit_date = date.fromisoformat(visit) if visit else None
    elif name == "grower_reply":
        say("grower", str(data.get("message") or ""), _photos(data.get("photos")))
    elif name == "field_visit":
        consultation.visit_findings = str(data.get("visit_findings") or "")
        say("expert", "现场查看：" + consultation.visit_findings)
    elif name == "rate_help":
        consultation.rating = int(data["rating"])
        consultation.rating_comment = (data.get("rating_comment") or "").strip() or None


def project_push(outcome: StepOutcome) -> None:
    view = workflow_view(outcome.workflow)
    push_id = view.get("push_id")
    push = outcome.session.get(GuidancePush, int(push_id)) if push_id else None
    if push is not None and push.instance_id is None and outcome.record.id is not None:
        push.instance_id = outcome.record.id
