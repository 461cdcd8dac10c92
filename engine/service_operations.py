"""What each registered service operation does, in words a process designer reads.

The operations themselves are plain callables registered by the domain desks
(``Runtime.register_services``); they carry no description of their parameters. The
designer's properties panel needs one to offer a picker (issue 21), so the descriptions live
here, beside no code they could drift from silently: ``tests/engine/test_service_operations.py``
fails when an operation is registered without a description, or when a shipped diagram passes
a parameter that is not described.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OperationParameter:
    """One ``spiffworkflow:parameter``: its value is a Python expression on the task's data."""

    name: str
    label: str
    example: str
    type: str = "str"

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "example": self.example, "type": self.type}


@dataclass(frozen=True)
class OperationDescription:
    name: str
    label: str
    description: str
    parameters: tuple[OperationParameter, ...] = ()
    # The process variable the shipped diagrams put the result in (the panel's default).
    result: str = ""
    # The result is a working-day deadline ({due, remind_at, explanation}) that timers can
    # reference: the panel's timer entry offers it.
    deadline: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "description": self.description,
            "parameters": [p.as_dict() for p in self.parameters],
            "result": self.result,
            "deadline": self.deadline,
        }


def _op(
    name: str, label: str, description: str, result: str, *parameters: OperationParameter
) -> OperationDescription:
    # An operation documented as returning a deadline is one a timer can reference.
    return OperationDescription(
        name, label, description, parameters, result, deadline=_DEADLINE in description
    )


_P = OperationParameter
_DEADLINE = "返回 {due, remind_at, explanation}：due 为到期时刻，remind_at 为已过 80% 的提醒时刻"

DESCRIPTIONS: dict[str, OperationDescription] = {
    d.name: d
    for d in (
        # -- complaints (bpmn/complaint.bpmn, joint_consultation.bpmn) -------------------
        _op(
            "route_complaint",
            "按责任清单派单",
            "按事项和村（社区）查责任清单，定出主办、协办单位和各环节时限",
            "routing",
        ),
        _op(
            "schedule_deadline",
            "计算环节期限（工作日）",
            "按工作日历计算一个环节的期限：sign_for/handle 取清单规定的时限，contested 1 个"
            "工作日，callback/consultation 3 个工作日，jurisdiction 30 分钟。" + _DEADLINE,
            "handle_deadline",
            _P("stage", "环节", '"handle"'),
        ),
        _op(
            "check_extension",
            "审查延期申请",
            "延期日期须是当前期限之后的工作日，且未超过该事项允许的延期次数；不符合时退回办理表单",
            "extension_check",
            _P("until", "申请延至的日期", "extension_until"),
            _P("deadline", "当前办理期限", "handle_deadline"),
            _P("allowed", "允许的延期次数", "extensions_allowed"),
            _P("used", "已延期次数", "extension_count"),
        ),
        _op(
            "extend_deadline",
            "延长办理期限",
            "把办理期限改到批准日期的下班时刻，并重新计算 80% 提醒。" + _DEADLINE,
            "handle_deadline",
            _P("until", "批准延至的日期", "extension_until"),
        ),
        _op(
            "hold_deadline",
            "记下已过的期限提醒",
            "离开办理环节时标记已经触发过的提醒和到期，回到办理环节时不再重复触发",
            "handle_deadline",
            _P("deadline", "办理期限", "handle_deadline"),
        ),
        _op(
            "notify",
            "发送通知",
            "给一个或多个候选组（岗位或单位）发送站内通知",
            "notification",
            _P("kind", "通知类型", '"handle_reminder"'),
            _P("to", "接收的候选组", '"dispatcher"'),
            _P("text", "通知内容", '"诉求 " + str(tracking_code) + " 办理时限已过 80%"'),
        ),
        _op(
            "file_amendment",
            "提交清单修订建议",
            "会商结论认为责任清单需要修改时，记一条修订建议供组织部审议",
            "amendment",
            _P("text", "建议内容", "amendment_text"),
        ),
        # -- catalog revision (bpmn/catalog_revision.bpmn) ----------------------------
        _op(
            "open_revision_round",
            "开启清单征求意见",
            "冻结清单草稿，列出改动涉及、需要反馈意见的单位",
            "revision_round",
        ),
        _op(
            "schedule_opinion_deadline",
            "计算征求意见期限（工作日）",
            "按工作日历计算 days 个工作日后的下班时刻。" + _DEADLINE,
            "opinion_deadline",
            _P("days", "工作日天数", "opinion_days", "int"),
        ),
        _op(
            "remind_pending_units",
            "提醒未反馈的单位",
            "给尚未反馈意见的单位发送提醒通知",
            "reminder",
        ),
        _op(
            "record_lapsed_opinions",
            "记录逾期未反馈",
            "到期仍未反馈的单位记为“无意见”",
            "lapsed",
        ),
        _op(
            "publish_revision",
            "发布清单新版本",
            "按生效日期发布修订后的责任清单",
            "publication",
            _P("effective", "生效日期", "effective"),
        ),
        _op(
            "set_revision_status",
            "改变清单草稿状态",
            "把清单草稿改为指定状态（如退回 draft）",
            "reopened",
            _P("status", "目标状态", '"draft"'),
        ),
        # -- agricultural consultation (bpmn/agri_consultation.bpmn, agri_push.bpmn) ----
        _op(
            "route_agri_question",
            "分派农技咨询",
            "按责任清单的农业领域定出单位，按专长表定出答复专家",
            "routing",
        ),
        _op(
            "schedule_agri_reply",
            "计算答复期限（工作日）",
            "按工作日历计算一方的答复期限：expert 1 个工作日，grower 3 个，lead 1 个，"
            "rating 3 个。" + _DEADLINE,
            "reply_deadline",
            _P("side", "答复方", '"expert"'),
        ),
        _op(
            "remind_agri_reply",
            "提醒答复",
            "提醒专家（expert）或种植户（grower）在期限前答复",
            "expert_reminder",
            _P("side", "提醒对象", '"expert"'),
        ),
        _op(
            "escalate_agri_question",
            "升级至局负责人",
            "专家逾期未答复：通知农业农村局负责人，并把负责人加入可答复的候选组",
            "answer_groups",
        ),
        _op(
            "note_grower_silence",
            "记录种植户未回复",
            "种植户逾期未回复时在咨询记录里写明，请专家据已有情况答复",
            "silence",
        ),
        _op(
            "schedule_field_visit",
            "安排田间查看",
            "按专家定的日期通知种植户，并设定查看当天早上的提醒",
            "visit",
        ),
        _op(
            "remind_field_visit",
            "提醒田间查看",
            "查看当天提醒专家和种植户",
            "visit_reminder",
        ),
        _op(
            "close_agri_consultation",
            "结束农技咨询",
            "以给定原因（rated 已评价、unrated 未评价）结束咨询",
            "closing",
            _P("reason", "结束原因", '"rated"'),
        ),
        _op(
            "send_agri_guidance",
            "推送农技指导",
            "把指导内容推送给选定的种植户，并逐人记录送达",
            "delivery",
        ),
        _op(
            "cancel_agri_push",
            "撤回推送",
            "撤回尚未发出的定时推送，不通知任何人",
            "cancellation",
        ),
    )
}


def describe_operations(registered: Iterable[str]) -> list[OperationDescription]:
    """The registered operations, described, grouped by domain as above; any operation
    registered without a description comes last, by its name, so the picker never hides
    what the validator accepts."""
    names = set(registered)
    described = [d for name, d in DESCRIPTIONS.items() if name in names]
    undescribed = [
        OperationDescription(name, name, "（此操作暂无说明，请向开发人员了解参数）")
        for name in sorted(names - DESCRIPTIONS.keys())
    ]
    return described + undescribed
