"""Chinese explanations of routing decisions, for the dispatcher and for returned cases."""

from __future__ import annotations

from .decision import Outcome, Reason, RoutingDecision

_REASONS = {
    Reason.NO_MATTER: "未选择事项类别，无法按清单确定责任单位",
    Reason.UNKNOWN_MATTER: "清单中没有该事项",
    Reason.NO_LOCATION: "未提供诉求发生地点（村/社区），无法判断属地和适用条件",
    Reason.UNKNOWN_LOCATION: "诉求地点不在组织架构中",
    Reason.NO_RULE: "该事项没有适用于此地点的规则",
    Reason.AMBIGUOUS: "多条规则同时适用且主体责任单位不同",
    Reason.INVALID_RULE: "该事项的规则条件无法解析，清单数据有误",
    Reason.NO_CATALOG: "诉求受理日期没有生效的清单版本",
}


def explain(decision: RoutingDecision) -> str:
    """Render ``decision`` as a few lines of Chinese for the dispatcher."""
    lines: list[str] = []
    head = f"清单版本：{decision.catalog_version}"
    lines.append(head)
    if decision.matter_id:
        matter = f"事项：{decision.matter_id}"
        if decision.matter_name:
            matter += f" {decision.matter_name}"
        if decision.domain:
            matter += f"（{decision.domain}）"
        lines.append(matter)
    if decision.village_name:
        place = decision.village_name
        if decision.township:
            place = f"{decision.township.name}{place}"
        lines.append(f"地点：{place}")
    if decision.outcome is Outcome.UNRESOLVED:
        why = _REASONS[decision.reason] if decision.reason else "原因未知"
        lines.append(f"结果：无法自动派单，转调度中心研判——{why}。")
        if decision.competing_rules:
            rules = "、".join(f"规则 {n}" for n in decision.competing_rules)
            lines.append(f"冲突规则：{rules}")
        if decision.candidates:
            lines.append("候选单位：" + "、".join(u.name for u in decision.candidates))
        if decision.candidate_matters:
            lines.append(
                "可能的事项：" + "、".join(f"{m.id} {m.name}" for m in decision.candidate_matters)
            )
        return "\n".join(lines)
    lines.append(f"适用规则：规则 {decision.rule_number}（条件：{decision.condition}）")
    if decision.conditions_matched:
        lines.append("满足条件：" + "；".join(decision.conditions_matched))
    if decision.outcome is Outcome.DISPATCHER or decision.primary is None:
        lines.append("结果：按清单规定转调度中心（县大数据发展中心）研判派单。")
    else:
        lines.append(f"主体责任单位：{decision.primary.name}")
        supporting = "、".join(u.name for u in decision.supporting) or "无"
        lines.append(f"配合责任单位：{supporting}")
    if decision.legal_basis:
        lines.append(f"法律依据：{decision.legal_basis}")
    if decision.time_limits:
        limits = decision.time_limits
        lines.append(
            f"时限：签收 {limits.sign_for}，办理 {limits.handle}，可延期 {limits.extensions} 次"
        )
    if decision.note:
        lines.append(f"备注：{decision.note}")
    return "\n".join(lines)
