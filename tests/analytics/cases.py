"""A March of known cases, driven through the real lifecycle on the virtual clock.

张王疃乡 (zhangwangtuan) has garbage-point reports (D05-01, primary: the township):
  Z1 signed and replied on time, rated satisfied → closed
  Z2 signed and replied on time, rated unsatisfied → reopened, replied again on time, rated
     basically satisfied → closed (reopen_count 1)
  Z3 (a pond, D05-02, 15 working days, one extension allowed) signed on time, extension
     approved until late April → open, extended
  Z4 signed for late (after its sign-for limit) → still in handling
  Z5 never signed for → open, sign-for overdue
  Z6 a duplicate of Z1, merged → not a valid report
堤村乡 (dicun) has relief requests (D11-03, primary: the township):
  D1 returned; the dispatcher reaffirms (the return is overturned); signed again on time
  D2 returned; the dispatcher reroutes it to 县民政局 (civil_affairs), which never signs
Period edges: one report at 23:30 on 31 March (in March) and one at 00:10 on 1 April (not),
both 张王疃乡 garbage points (so March has 6 valid reports there: Z1–Z5 and the late one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from engine.complaints.desk import ComplaintDesk, Submitted
from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import do, move_to, report

GARBAGE, POND, ZWT = "D05-01", "D05-02", "zhangwangtuan-004"
RELIEF, DICUN = "D11-03", "dicun-003"
ACCEPT = {"decision": "accept"}
REPLY = {"outcome": "reply", "reply_text": "垃圾已清运"}
RETURN = {"decision": "return", "return_reason": "不属于本乡职责", "return_basis": "清单 D11-03"}


@dataclass
class March:
    z: dict[int, Submitted]
    d: dict[int, Submitted]
    late_in_march: Submitted
    april: Submitted


def _assists(desk: ComplaintDesk, s: Submitted) -> None:
    for t in desk.host.ready_tasks(instance_id=s.instance_id):
        if t.task_name == "assist":
            desk.host.complete_task(t.id, {"assist_note": "已配合"}, actor="assist")


def _reply(desk: ComplaintDesk, s: Submitted) -> None:
    _assists(desk, s)
    do(desk, s, "handle", REPLY, actor="staff:zwt")


def build_march(desk: ComplaintDesk) -> March:
    clock = desk.host.clock
    move_to(desk, beijing("2026-03-03 08:00"))
    z = {n: report(desk, GARBAGE, ZWT, description=f"垃圾点满溢 Z{n}") for n in (1, 2, 4, 5)}
    z[3] = report(desk, POND, ZWT, description="坑塘垃圾 Z3")
    for n in (1, 2, 3):
        do(desk, z[n], "sign_for", ACCEPT, actor="staff:zwt")
    z[6] = report(desk, GARBAGE, ZWT, description="垃圾点满溢（重复）")
    desk.close_report(
        z[6].complaint_id, kind="merged", reason="同一处", merged_into=z[1].complaint_id, actor="d"
    )
    clock.advance(timedelta(hours=1))
    _reply(desk, z[1])
    do(desk, z[1], "callback", {"satisfaction": "satisfied"}, actor="resident:1")
    _reply(desk, z[2])
    do(desk, z[2], "callback", {"satisfaction": "unsatisfied"}, actor="resident:1")
    _reply(desk, z[2])
    do(desk, z[2], "callback", {"satisfaction": "basic"}, actor="resident:1")
    do(
        desk,
        z[3],
        "handle",
        {
            "outcome": "extension",
            "progress_note": "需协调垃圾车",
            "extension_reason": "车辆检修",
            "extension_until": "2026-04-24",
        },
        actor="staff:zwt",
    )
    do(desk, z[3], "approve_extension", {"extension_approved": True}, actor="dispatcher")
    # Z4's and Z5's sign-for limits (same day) pass; Z4 signs the next morning.
    move_to(desk, beijing("2026-03-04 09:00"))
    do(desk, z[4], "sign_for", ACCEPT, actor="staff:zwt")

    move_to(desk, beijing("2026-03-10 09:00"))
    d = {n: report(desk, RELIEF, DICUN, description=f"临时救助 D{n}") for n in (1, 2)}
    for n in (1, 2):
        do(desk, d[n], "sign_for", RETURN, actor="staff:dicun")
    clock.advance(timedelta(minutes=20))
    do(desk, d[1], "adjudicate", {"ruling": "reaffirm", "ruling_note": "属地负责"}, actor="disp")
    clock.advance(timedelta(minutes=20))
    do(desk, d[1], "sign_for", ACCEPT, actor="staff:dicun")
    do(
        desk,
        d[2],
        "adjudicate",
        {
            "ruling": "reroute",
            "new_primary_unit": "civil_affairs",
            "new_supporting_units_text": "dicun",
            "ruling_note": "改派民政局",
        },
        actor="disp",
    )
    move_to(desk, beijing("2026-03-31 23:30"))
    late = report(desk, GARBAGE, ZWT, description="月末最后一件")
    move_to(desk, beijing("2026-04-01 00:10"))
    april = report(desk, GARBAGE, ZWT, description="四月第一件")
    return March(z, d, late, april)
