"""The instance view: the diagram of the instance's version with done, active and waiting
elements marked, its waiting timers and its history."""

from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import select

from engine.complaints.models import Complaint
from engine.core.errors import InstanceNotFound
from engine.core.instance_inspection import inspect_instance
from web.auth.access import roles_required
from web.designer import READERS, bp
from web.platform import current_platform

ACTIONS = {
    "instance.started": "启动",
    "task.completed": "办理",
    "timer.fired": "定时器触发",
    "message.received": "收到消息",
    "timer.incident": "定时器故障",
    "task.reassigned": "转办",
    "instance.suspended": "运维暂停",
    "instance.resumed": "运维恢复",
    "instance.retried": "运维重试",
    "instance.moved": "迁移版本",
    "incident.resolved": "异常已处理",
}


@bp.get("/instances/<int:instance_id>")
@roles_required(*READERS)
def instance(instance_id: int) -> str:
    host = current_platform().host
    with host.session_factory() as session:
        try:
            view = inspect_instance(instance_id, host.runtime, session=session)
        except InstanceNotFound as err:
            abort(404, description=str(err))
        complaint = session.scalars(
            select(Complaint).where(Complaint.instance_id == instance_id)
        ).first()
        tracking_code = complaint.tracking_code if complaint is not None else None
        complaint_id = complaint.id if complaint is not None else None
    return render_template(
        "designer/instance.html",
        view=view,
        actions=ACTIONS,
        tracking_code=tracking_code,
        complaint_id=complaint_id,
        now=host.clock.now(),
    )
