"""Callback (回访): find a case's open callback task and complete it with the rating."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.core import FormRejected
from web.platform import current_platform

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from engine.complaints import ComplaintRecord
    from engine.core import TaskView

CALLBACK_TASK = "callback"
RATINGS = (("satisfied", "满意"), ("basic", "基本满意"), ("unsatisfied", "不满意"))
MAX_COMMENT = 500


@dataclass
class Rating:
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)


def open_callback(complaint: ComplaintRecord) -> TaskView | None:
    if complaint.instance_id is None or complaint.status != "open":
        return None
    tasks = current_platform().host.ready_tasks(
        instance_id=complaint.instance_id, county=complaint.county
    )
    return next((t for t in tasks if t.task_name == CALLBACK_TASK), None)


def read_rating(form: MultiDict[str, str]) -> Rating:
    rating = Rating(
        {
            "satisfaction": (form.get("satisfaction") or "").strip(),
            "callback_comment": (form.get("callback_comment") or "").strip(),
        }
    )
    if rating.values["satisfaction"] not in dict(RATINGS):
        rating.errors["satisfaction"] = "请选择：满意、基本满意或不满意"
    if len(rating.values["callback_comment"]) > MAX_COMMENT:
        rating.errors["callback_comment"] = f"评价意见不能超过 {MAX_COMMENT} 字"
    return rating


def submit_rating(task: TaskView, rating: Rating, *, actor: str, groups: frozenset[str]) -> bool:
    """Complete the callback task; ``False`` (with ``rating.errors``) when the form is refused.

    :raises NotPermitted: the groups do not include the task's candidate group.
    :raises TaskAlreadyCompleted: someone (or the timeout) finished it first.
    """
    if rating.errors:
        return False
    form = {"satisfaction": rating.values["satisfaction"]}
    if rating.values["callback_comment"]:
        form["callback_comment"] = rating.values["callback_comment"]
    try:
        current_platform().host.complete_task(task.id, form, actor=actor, groups=groups)
    except FormRejected as err:
        rating.errors.update(err.errors)
        return False
    return True
