"""Who may see a complaint: unit scoping, grid scoping, reporters, and the county roles."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, true

from engine.complaints.models import Complaint
from engine.people import Account
from engine.people.actors import actor_of

COUNTY_WIDE = {"dispatcher", "dispatch_lead", "orgdept", "leader", "admin", "designer"}

# Whoever files a report is named in the one actor format of every step.
reporter_actor = actor_of


def _grid_actors(account: Account) -> tuple[str, str]:
    """``grid:<name>``, and ``grid_worker:<name>`` written by the JSON API before 2026-12."""
    return f"grid:{account.username}", f"grid_worker:{account.username}"


def can_view(
    account: Account, complaint: Complaint, involved_units: set[str] | None = None
) -> bool:
    """Whether ``account`` may open the staff view of ``complaint``.

    :param involved_units: units that ever held a stage of the case (a unit that returned a
        case keeps seeing it).
    """
    if account.county != complaint.county:
        return False
    if account.role in COUNTY_WIDE:
        return True
    if account.role in ("unit_staff", "unit_lead") and account.unit_id:
        units = {complaint.primary_unit, *complaint.supporting_units, *(involved_units or set())}
        return account.unit_id in units
    if account.role == "grid_worker":
        return (
            complaint.grid_id in account.grids
            or complaint.reported_by in _grid_actors(account)
            or complaint.reporter_group == f"grid:{account.username}"
        )
    if account.role == "resident":
        return complaint.reporter_group == f"reporter:{account.username}"
    return False


def visible_filter(account: Account) -> ColumnElement[bool]:
    """The same rule as a SQL condition for lists (stage history aside)."""
    if account.role in COUNTY_WIDE:
        return Complaint.county == account.county
    if account.role in ("unit_staff", "unit_lead") and account.unit_id:
        return (Complaint.county == account.county) & (Complaint.primary_unit == account.unit_id)
    if account.role == "grid_worker":
        grids = list(account.grids)
        return (Complaint.county == account.county) & or_(
            Complaint.grid_id.in_(grids) if grids else false(),
            Complaint.reported_by.in_(_grid_actors(account)),
            Complaint.reporter_group == f"grid:{account.username}",
        )
    if account.role == "resident":
        return Complaint.reporter_group == f"reporter:{account.username}"
    return false() if account else true()
