"""Reads the agriculture pages need beyond the desk: the experts, growers' crops, and which
page an instance's notification leads to. Each opens its own read session and returns
frozen copies."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from engine.agri.experts import EXPERT_ROLE
from engine.agri.growers import crops_of
from engine.agri.models import Consultation, GuidancePush, PushReceipt
from engine.core.host import WorkflowHost
from engine.people.models import UserAccount


@dataclass(frozen=True)
class CropArea:
    """One crop a grower grows, and on how many mu."""

    grower_id: int
    crop: str
    area_mu: float


def growers_crops(host: WorkflowHost, grower_ids: list[int]) -> dict[int, list[CropArea]]:
    """Grower id → the crops they registered (in the order entered)."""
    with host.session_factory() as session:
        found = crops_of(grower_ids, session=session)
        return {
            grower: [CropArea(c.grower_id, c.crop, c.area_mu) for c in crops]
            for grower, crops in found.items()
        }


def active_experts(host: WorkflowHost) -> list[tuple[str, str]]:
    """(username, display name) of every active agricultural expert, by username."""
    with host.session_factory() as session:
        rows = session.execute(
            select(UserAccount.username, UserAccount.display_name)
            .where(UserAccount.role == EXPERT_ROLE, UserAccount.active)
            .order_by(UserAccount.username)
        ).all()
        return [(username, name) for username, name in rows]


@dataclass(frozen=True)
class InstancePage:
    """What an agriculture instance is: a consultation, or a guidance push (with the
    receipt addressed to the reader, if any)."""

    consultation_id: int | None = None
    push_id: int | None = None
    receipt_id: int | None = None


def instance_page(
    host: WorkflowHost, instance_id: int, *, recipients: list[str]
) -> InstancePage | None:
    """``None`` when the instance is neither a consultation nor a push.

    :param recipients: the reader's notification keys (their receipt of a push is looked
        up among them).
    """
    with host.session_factory() as session:
        consultation_id = session.scalar(
            select(Consultation.id).where(Consultation.instance_id == instance_id)
        )
        if consultation_id is not None:
            return InstancePage(consultation_id=consultation_id)
        push_id = session.scalar(
            select(GuidancePush.id).where(GuidancePush.instance_id == instance_id)
        )
        if push_id is None:
            return None
        receipt_id = (
            session.scalar(
                select(PushReceipt.id).where(
                    PushReceipt.push_id == push_id, PushReceipt.recipient.in_(recipients)
                )
            )
            if recipients
            else None
        )
    return InstancePage(push_id=push_id, receipt_id=receipt_id)
