"""The register of growers: village, crops and area planted (ADR 0008 item 1)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.agri.models import Grower, GrowerCrop
from engine.agri.vocabulary import CROPS
from engine.core.errors import FieldErrors
from engine.people.models import UserAccount
from responsibility_catalog import Organisation

MAX_AREA_MU = 10_000


class GrowerRejected(FieldErrors):
    """A registration with bad fields; nothing was stored."""


def _crops(raw: Mapping[str, Any], errors: dict[str, str]) -> dict[str, float]:
    crops: dict[str, float] = {}
    for crop, area in raw.items():
        if crop not in CROPS:
            errors["crops"] = f"作物“{crop}”不在可选范围内"
            continue
        try:
            value = float(area)
        except (TypeError, ValueError):
            errors[f"area_{crop}"] = f"{CROPS[crop]}的种植面积应为数字（亩）"
            continue
        if not 0 < value <= MAX_AREA_MU:
            errors[f"area_{crop}"] = f"{CROPS[crop]}的种植面积应在 0 到 {MAX_AREA_MU} 亩之间"
            continue
        crops[crop] = value
    if not crops and "crops" not in errors and not any(k.startswith("area_") for k in errors):
        errors["crops"] = "请至少选择一种作物并填写面积"
    return crops


def register_grower(
    *,
    name: str,
    village_id: str,
    crops: Mapping[str, Any],
    phone: str = "",
    username: str | None = None,
    registered_by: str,
    organisation: Organisation,
    county: str,
    now: datetime,
    session: Session,
) -> Grower:
    """:raises GrowerRejected: naming each bad field."""
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name or len(name) > 32:
        errors["name"] = "请填写种植户姓名（不超过 32 字）"
    village = organisation.villages_by_id.get(village_id or "")
    if village is None:
        errors["village_id"] = "请选择种植户所在的村"
    phone = (phone or "").strip()
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 15):
        errors["phone"] = "电话应为 7 到 15 位数字"
    if username:
        account = session.scalars(
            select(UserAccount).where(UserAccount.username == username)
        ).first()
        if account is None:
            errors["username"] = f"账号“{username}”不存在"
        elif account.role != "grower":
            errors["username"] = f"账号“{username}”不是种植户账号"
        elif session.scalar(select(Grower.id).where(Grower.username == username)):
            errors["username"] = f"账号“{username}”已登记为种植户"
    area = _crops(crops, errors)
    if errors:
        raise GrowerRejected(errors, "未登记：")
    assert village is not None
    grower = Grower(
        county=county,
        name=name,
        username=username or None,
        phone=phone or None,
        township_id=village.township_id,
        village_id=village.id,
        registered_by=registered_by,
        created_at=now,
    )
    session.add(grower)
    session.flush()
    for crop, mu in area.items():
        session.add(GrowerCrop(county=county, grower_id=grower.id, crop=crop, area_mu=mu))
    return grower


def grower_of_account(username: str, *, session: Session) -> Grower | None:
    return session.scalars(select(Grower).where(Grower.username == username)).first()


def villages_of_grids(grids: tuple[str, ...], organisation: Organisation) -> set[str]:
    wanted = set(grids)
    return {v.id for v in organisation.villages if any(g.id in wanted for g in v.grids)}


def growers_for_grid_worker(
    username: str, grids: tuple[str, ...], organisation: Organisation, *, session: Session
) -> list[Grower]:
    """Growers a grid worker may ask for: those they registered and those of their villages."""
    villages = villages_of_grids(grids, organisation)
    stmt = select(Grower).where(
        (Grower.registered_by == username) | Grower.village_id.in_(sorted(villages))
    )
    return list(session.scalars(stmt.order_by(Grower.village_id, Grower.name)))


def crops_of(grower_ids: list[int], *, session: Session) -> dict[int, list[GrowerCrop]]:
    found: dict[int, list[GrowerCrop]] = {}
    for row in session.scalars(
        select(GrowerCrop).where(GrowerCrop.grower_id.in_(grower_ids)).order_by(GrowerCrop.id)
    ):
        found.setdefault(row.grower_id, []).append(row)
    return found
