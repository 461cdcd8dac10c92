"""What the editor's properties panel offers to pick (issue 21): the service operations the
validator accepts, and the candidate groups tasks may be assigned to — the organisation's
role groups, the units of the county's catalog, and expressions on the process data."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from engine.people import ROLES, groups_of
from web.auth.access import roles_required
from web.designer import EDITORS, bp
from web.platform import current_desks
from web.reference_data import current_catalog

# ``=expr`` assignments of the shipped diagrams: the variable each one reads and who it names.
ASSIGNMENT_EXPRESSIONS = (
    ("=primary_unit", "按清单派定的主办单位（诉求办理）"),
    ("=assisting_unit", "当前协办单位（协办多实例）"),
    ("=reporter_group", "提交诉求的群众本人"),
    ("=party_unit", "当前参加会商的单位（会商多实例）"),
    ("=opinion_unit", "当前征求意见的单位（清单修订多实例）"),
    ("=answer_groups", "农技咨询的答复人（专家，升级后加局负责人）"),
    ("=grower_groups", "提出农技咨询的种植户"),
)


def _role_groups() -> list[dict[str, str]]:
    """Groups a whole role acts for. Per-person groups (``grid:<username>``…) and unit groups
    are left out here: the former name one person, the latter come from the catalog."""
    found: dict[str, str] = {}
    for role, label in ROLES.items():
        for group in sorted(groups_of(role, "", None)):
            if not group.endswith(":"):
                found.setdefault(group, label)
    return [{"value": group, "label": label, "kind": "role"} for group, label in found.items()]


def _unit_groups() -> list[dict[str, str]]:
    catalog = current_catalog()
    if catalog is None:
        return []
    groups = []
    for unit in catalog.organisation.all_units.values():
        for group in sorted(groups_of("unit_lead", "", unit.id)):
            lead = group != unit.id
            groups.append(
                {
                    "value": group,
                    "label": unit.name + ("负责人" if lead else ""),
                    "kind": "lead" if lead else "unit",
                }
            )
    return groups


@bp.get("/panel-options.json")
@roles_required(*EDITORS)
def panel_options() -> Any:
    return jsonify(
        operations=[op.as_dict() for op in current_desks().service_operations()],
        groups=_role_groups() + _unit_groups(),
        expressions=[{"value": v, "label": label} for v, label in ASSIGNMENT_EXPRESSIONS],
    )
