"""The bureau's specialty table: which expert answers questions on which crop."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from engine.agri.models import ExpertSpecialty
from engine.agri.vocabulary import CROPS
from engine.core.errors import FieldErrors
from engine.people.models import UserAccount
from rules.agri import ANY_CROP

EXPERT_ROLE = "agri_expert"


def specialty_table(*, county: str, session: Session) -> list[ExpertSpecialty]:
    return list(
        session.scalars(
            select(ExpertSpecialty)
            .where(ExpertSpecialty.county == county)
            .order_by(ExpertSpecialty.crop, ExpertSpecialty.position, ExpertSpecialty.id)
        )
    )


def add_specialty(crop: str, username: str, *, county: str, session: Session) -> ExpertSpecialty:
    """:raises FieldErrors: unknown crop, not an expert's account, or already listed."""
    errors: dict[str, str] = {}
    if crop != ANY_CROP and crop not in CROPS:
        errors["crop"] = "请选择作物"
    role = session.scalar(select(UserAccount.role).where(UserAccount.username == username))
    if role != EXPERT_ROLE:
        errors["username"] = f"“{username}”不是农技专家账号"
    if not errors and session.scalar(
        select(ExpertSpecialty.id).where(
            ExpertSpecialty.county == county,
            ExpertSpecialty.crop == crop,
            ExpertSpecialty.username == username,
        )
    ):
        errors["username"] = "该专家已在此作物的专长表中"
    if errors:
        raise FieldErrors(errors, "未添加：")
    position = (
        session.scalar(
            select(func.max(ExpertSpecialty.position)).where(
                ExpertSpecialty.county == county, ExpertSpecialty.crop == crop
            )
        )
        or 0
    ) + 1
    row = ExpertSpecialty(county=county, crop=crop, username=username, position=position)
    session.add(row)
    return row


def remove_specialty(row_id: int, *, county: str, session: Session) -> None:
    session.execute(
        delete(ExpertSpecialty).where(
            ExpertSpecialty.id == row_id, ExpertSpecialty.county == county
        )
    )
