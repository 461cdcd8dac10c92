"""Accounts and roles: who a person is and which task groups they act for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from engine.core.errors import FieldErrors
from engine.people.models import UserAccount

ROLES: dict[str, str] = {
    "resident": "群众",
    "grid_worker": "网格员",
    "unit_staff": "单位办理人员",
    "unit_lead": "单位负责人",
    "dispatcher": "调度员",
    "dispatch_lead": "调度中心负责人",
    "orgdept": "组织部",
    "designer": "流程设计人员",
    "leader": "县领导",
    "admin": "系统管理员",
    "grower": "种植户",
    "agri_expert": "农技专家",
}
UNIT_ROLES = {"unit_staff", "unit_lead"}
MIN_PASSWORD_LENGTH = 8


class AccountRejected(FieldErrors):
    """An account with bad fields; nothing was stored."""


@dataclass(frozen=True)
class Account:
    """A signed-in person as the web layer sees them."""

    id: int
    username: str
    display_name: str
    role: str
    unit_id: str | None
    grids: tuple[str, ...]
    county: str
    session_version: int = 0

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    @property
    def groups(self) -> frozenset[str]:
        return groups_of(self.role, self.username, self.unit_id)

    @classmethod
    def of(cls, row: UserAccount) -> Account:
        return cls(
            row.id,
            row.username,
            row.display_name,
            row.role,
            row.unit_id,
            tuple(row.grids),
            row.county,
            row.session_version,
        )


def groups_of(role: str, username: str, unit_id: str | None) -> frozenset[str]:
    """The candidate groups (see ADR 0004) a person may act for."""
    groups: set[str] = set()
    if role in UNIT_ROLES and unit_id:
        groups.add(unit_id)
    if role in ("dispatcher", "dispatch_lead"):
        groups.add("dispatcher")
    if role == "dispatch_lead":
        groups.add("dispatch_lead")
    if role == "unit_lead" and unit_id:
        groups.add(f"lead:{unit_id}")  # escalations to a unit's lead (agri consultation)
    if role == "agri_expert":
        groups.add(f"expert:{username}")
    if role == "grower":
        groups.add(f"grower:{username}")
    if role == "orgdept":
        groups.add("orgdept")
    if role == "grid_worker":
        groups.add(f"grid:{username}")
    if role == "resident":
        groups.add(f"reporter:{username}")
    return frozenset(groups)


def create_account(
    *,
    username: str,
    display_name: str,
    password: str,
    role: str,
    unit_id: str | None = None,
    grids: list[str] | None = None,
    phone: str | None = None,
    county: str,
    now: datetime,
    session: Session,
    password_hash: str | None = None,
) -> UserAccount:
    """Create an account; ``password_hash`` may be given instead of hashing ``password``
    again (bulk creation of accounts that share one initial password)."""
    errors: dict[str, str] = {}
    if not username or not username.replace("_", "").replace("-", "").isalnum():
        errors["username"] = "用户名只能包含字母、数字、- 和 _"
    if len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = f"密码至少 {MIN_PASSWORD_LENGTH} 位"
    if role not in ROLES:
        errors["role"] = f"角色“{role}”不存在"
    if role in UNIT_ROLES and not unit_id:
        errors["unit_id"] = "单位人员须指定所属单位"
    if session.scalar(select(UserAccount.id).where(UserAccount.username == username)):
        errors["username"] = f"用户名“{username}”已被使用"
    if errors:
        raise AccountRejected(errors)
    row = UserAccount(
        county=county,
        username=username,
        display_name=display_name,
        password_hash=password_hash or generate_password_hash(password),
        role=role,
        unit_id=unit_id,
        grids=list(grids or []),
        phone=phone,
        active=True,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def display_names(usernames: Iterable[str], *, session: Session) -> dict[str, str]:
    """The display name of each of ``usernames`` that has an account (others are left out)."""
    wanted = sorted(set(usernames))
    if not wanted:
        return {}
    rows = session.execute(
        select(UserAccount.username, UserAccount.display_name).where(
            UserAccount.username.in_(wanted)
        )
    )
    return {username: name for username, name in rows}
