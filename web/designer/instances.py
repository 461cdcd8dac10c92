"""The instance view: the diagram of the instance's version with done, active and waiting
elements marked, its waiting timers and its history."""

from __future__ import annotations

from flask import abort, render_template

from engine.complaints import case_of_instance
from engine.core import InstanceNotFound, instance_view
from web.auth.access import roles_required
from web.designer import READERS, bp
from web.platform import current_desks

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
    "instance.migrated": "迁移到新版本",
    "incident.resolved": "异常已处理",
}


@bp.get("/instances/<int:instance_id>")
@roles_required(*READERS)
def instance(instance_id: int) -> str:
    host = current_desks().host
    try:
        view = instance_view(host, instance_id)
    except InstanceNotFound as err:
        abort(404, description=str(err))
    case = case_of_instance(host, instance_id)
    return render_template(
        "designer/instance.html",
        view=view,
        actions=ACTIONS,
        tracking_code=case.tracking_code if case is not None else None,
        complaint_id=case.complaint_id if case is not None else None,
        now=host.clock.now(),
    )
