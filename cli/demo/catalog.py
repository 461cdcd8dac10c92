"""Something for the demo's catalog pages: a joint consultation that proposes an amendment,
and a draft built from it out for consultation with the units it affects.

Made through the real processes on a virtual clock a few days before ``today``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from engine import DEFAULT_COUNTY, VirtualClock, WorkflowHost
from engine.complaints import ComplaintDesk, ComplaintReport
from engine.desks import wire_desks
from responsibility_catalog.editing import fields_of_matter
from rules import CHINA_TZ

VILLAGE = "xiguocheng-005"  # 龚店村, on S325 (邢德线), 6.3 km from the county seat
RETURN = {"decision": "return", "return_basis": "清单 D04-02 户外广告设置"}


def _do(
    desk: ComplaintDesk,
    instance_id: int,
    name: str,
    form: dict,
    actor: str,
    group: str | None = None,
) -> None:
    for task in desk.host.ready_tasks(instance_id=instance_id):
        if task.task_name == name and (group is None or group in task.candidate_groups):
            desk.host.complete_task(task.id, form, actor=actor)
            return
    raise RuntimeError(f"demo: no ready task {name}")


def create_demo_catalog_work(host: WorkflowHost, *, today: datetime) -> str | None:
    """Play the story once; returns the draft's label (``None`` if it was played before)."""
    clock = VirtualClock(today - timedelta(days=4))
    demo_host = host.on_clock(clock)
    desks = wire_desks(demo_host)
    complaints, catalog = desks.complaints, desks.catalog
    if catalog.proposal_ids(matter_id="D04-02", county=DEFAULT_COUNTY):
        return None
    submitted = complaints.submit(
        ComplaintReport(
            village_id=VILLAGE,
            matter_id="D04-02",
            description="邢德线路边广告牌被风刮倒，压在人行道上",
            channel="app",
            reporter_account="demo-catalog",
        ),
        actor="demo",
    )
    instance = submitted.instance_id
    _do(
        complaints,
        instance,
        "sign_for",
        {**RETURN, "return_reason": "省道沿线广告牌由城管局统一审批"},
        "demo:xgc",
    )
    _do(
        complaints,
        instance,
        "adjudicate",
        {
            "ruling": "reroute",
            "new_primary_unit": "urban_management",
            "new_supporting_units_text": "xiguocheng",
            "ruling_note": "省道沿线，改派城管局",
        },
        "demo:dispatcher",
    )
    _do(
        complaints,
        instance,
        "sign_for",
        {**RETURN, "return_reason": "距县城5公里以外，按清单属乡镇"},
        "demo:cgj",
    )
    _do(
        complaints,
        instance,
        "convene",
        {"meeting_note": "组织部召集城管局、西郭城镇会商"},
        "demo:orgdept",
    )
    for unit, position in (
        ("xiguocheng", "广告审批在城管局，乡镇无执法权"),
        ("urban_management", "5公里以外我局力量不足，可配合"),
    ):
        _do(complaints, instance, "state_position", {"position": position}, f"demo:{unit}", unit)
    _do(
        complaints,
        instance,
        "decide",
        {
            "decided_primary": "urban_management",
            "decided_supporting_text": "xiguocheng",
            "decision_note": "省道沿线广告设置由城管局牵头，属地乡镇配合巡查",
            "propose_amendment": True,
            "amendment_text": "省道沿线距县城10公里以内的户外广告设置由城管局主责，属地乡镇配合",
        },
        "demo:orgdept",
    )
    # The department takes it into a draft, writes the rule and sends it out.
    clock.advance(timedelta(days=1))
    day = clock.now().astimezone(CHINA_TZ)
    label = f"{day.year}-{day.month:02d}-修订"
    draft = catalog.create_draft(label, actor="orgdept")
    (found,) = catalog.proposal_ids(matter_id="D04-02", county=DEFAULT_COUNTY)
    catalog.accept_proposal(found, label, actor="orgdept", county=DEFAULT_COUNTY)
    fields = fields_of_matter(draft.matters_by_id["D04-02"])
    fields["rules-0-when"] = "城区建成区 或 （沿省道 且 距县城≤10公里）"
    catalog.save_matter(label, "D04-02", fields, actor="orgdept")
    catalog.send_for_consultation(
        label,
        opinion_days=5,
        note="根据联席会商建议，省道沿线10公里内户外广告由城管局主责",
        actor="orgdept",
    )
    clock.set(max(clock.now(), today))
    demo_host.sweep(clock.now())
    return label
