"""What changed between two versions of a diagram, element by element.

The comparison is semantic: elements are matched by id, diagram layout (BPMN-DI) is ignored,
and namespace prefixes do not matter, so moving a shape or re-exporting from another modeler
shows no change while an edited timer expression shows exactly that edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from engine.core.definitions import parse_untrusted_xml
from engine.core.lint import BPMN, CAMUNDA, SPIFF

_CONTAINERS = {"definitions", "process", "subProcess", "transaction", "adHocSubProcess"}
_CONTAINERS |= {"laneSet", "collaboration"}
# Children told apart by their id or name (a form field), not by their position.
_KEYED = {"formField", "parameter", "property", "constraint", "value"}
_NESTING = _CONTAINERS | {"lane", "childLaneSet"}
# Derived from the sequence flows, which are compared themselves.
_DERIVED = {"incoming", "outgoing"}
_TYPE_LABELS = {
    "process": "流程",
    "participant": "参与者",
    "lane": "泳道",
    "startEvent": "开始事件",
    "endEvent": "结束事件",
    "boundaryEvent": "边界事件",
    "intermediateCatchEvent": "中间捕获事件",
    "intermediateThrowEvent": "中间抛出事件",
    "userTask": "人工任务",
    "serviceTask": "服务任务",
    "scriptTask": "脚本任务",
    "manualTask": "手工任务",
    "businessRuleTask": "业务规则任务",
    "sendTask": "发送任务",
    "receiveTask": "接收任务",
    "task": "任务",
    "callActivity": "调用活动",
    "subProcess": "子流程",
    "exclusiveGateway": "排他网关",
    "parallelGateway": "并行网关",
    "inclusiveGateway": "包容网关",
    "eventBasedGateway": "事件网关",
    "sequenceFlow": "连线",
    "message": "消息",
    "error": "错误",
    "signal": "信号",
    "escalation": "升级",
    "dataObject": "数据对象",
    "textAnnotation": "注释",
    "association": "关联",
}
_PART_LABELS = {
    "@name": "名称",
    "@default": "默认连线",
    "@cancelActivity": "是否中断",
    "@attachedToRef": "附着于",
    "@sourceRef": "起点",
    "@targetRef": "终点",
    "@calledElement": "调用流程",
    "@scriptFormat": "脚本语言",
    "@camunda:candidateGroups": "候选组",
    "@camunda:candidateUsers": "候选人",
    "@camunda:assignee": "办理人",
    "timeDate": "定时器（日期）",
    "timeDuration": "定时器（时长）",
    "timeCycle": "定时器（周期）",
    "script": "脚本",
    "conditionExpression": "条件",
    "formField": "表单字段",
    "flowNodeRef": "泳道中的元素",
    "documentation": "说明",
    "serviceTaskOperator": "服务操作",
    "parameter": "参数",
    "preScript": "前置脚本",
    "postScript": "后置脚本",
}
_PREFIXES = {BPMN: "", CAMUNDA: "camunda:", SPIFF: "spiffworkflow:"}
# BPMN schema defaults: modelers differ in whether they write them, so absence equals them.
_DEFAULTS = {
    "cancelActivity": "true",
    "isInterrupting": "true",
    "isForCompensation": "false",
    "startQuantity": "1",
    "completionQuantity": "1",
    "triggeredByEvent": "false",
    "parallelMultiple": "false",
    "instantiate": "false",
    "gatewayDirection": "Unspecified",
    "isClosed": "false",
    "isImmediate": "true",
}


@dataclass(frozen=True)
class Detail:
    """One attribute or text that differs: ``what`` in Chinese, the old and new values."""

    what: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class ElementChange:
    element_id: str
    kind: str  # added | removed | changed
    type_label: str
    name: str
    details: tuple[Detail, ...] = ()


@dataclass(frozen=True)
class DefinitionDiff:
    added: list[ElementChange] = field(default_factory=list)
    removed: list[ElementChange] = field(default_factory=list)
    changed: list[ElementChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def as_dict(self) -> dict[str, list[dict[str, object]]]:
        def plain(change: ElementChange) -> dict[str, object]:
            return {
                "element_id": change.element_id,
                "kind": change.kind,
                "type": change.type_label,
                "name": change.name,
                "details": [d.__dict__ for d in change.details],
            }

        return {
            "added": [plain(c) for c in self.added],
            "removed": [plain(c) for c in self.removed],
            "changed": [plain(c) for c in self.changed],
        }


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _qualified(name: str) -> str:
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        return _PREFIXES.get(ns, f"{{{ns}}}") + local
    return name


def _is_semantic(node: etree._Element) -> bool:
    return isinstance(node.tag, str) and etree.QName(node).namespace in (BPMN, None)


def _top_elements(root: etree._Element) -> dict[str, etree._Element]:
    """Elements that stand on their own: flow nodes, flows, lanes, messages, processes."""
    found: dict[str, etree._Element] = {}

    def visit(node: etree._Element) -> None:
        for child in node:
            if not _is_semantic(child):
                continue
            if child.get("id"):
                found[child.get("id")] = child
            if (
                _local(child.tag) in _CONTAINERS
                or _local(child.tag) == "lane"
                or _local(child.tag) == "childLaneSet"
            ):
                visit(child)

    visit(root)
    return found


def _parts(element: etree._Element, top: dict[str, etree._Element]) -> dict[str, str]:
    """Flattened attributes and texts of ``element``, excluding nested top elements."""
    parts: dict[str, str] = {}
    own_containers = _local(element.tag) in _CONTAINERS

    def walk(node: etree._Element, path: str) -> None:
        for key, value in sorted(node.attrib.items()):
            if key == "id" and node is element:
                continue
            if key == "id" and _local(node.tag) in ("timerEventDefinition", "formData"):
                continue  # generated ids of definitions inside an element carry no meaning
            if key.endswith("}type") and value.endswith("tFormalExpression"):
                continue
            if _DEFAULTS.get(key) == value:
                continue
            parts[f"{path}@{_qualified(key)}"] = value
        text = (node.text or "").strip()
        if text and len(node) == 0:
            parts[path.rstrip("/") or "#text"] = text
        counts: dict[str, int] = {}
        for child in node:
            if not isinstance(child.tag, str):
                continue
            local = _local(child.tag)
            if local in _DERIVED or (own_containers and child.get("id") in top):
                continue
            if local == "lane" or local == "childLaneSet":
                continue
            label = _qualified(child.tag)
            key = (child.get("id") or child.get("name")) if local in _KEYED else None
            if key:
                step = f"{label}[{key}]"
            else:
                counts[label] = counts.get(label, 0) + 1
                step = label if counts[label] == 1 else f"{label}#{counts[label]}"
            walk(child, f"{path}{step}/")

    walk(element, "")
    return parts


def _describe(path: str) -> str:
    pieces = [p for p in path.replace("@", "/@").split("/") if p]
    labels: list[str] = []
    for piece in pieces:
        bare = piece.split("[")[0].split("#")[0]
        local = bare.split(":")[-1]
        label = _PART_LABELS.get(bare) or _PART_LABELS.get(local)
        if label and "[" in piece:
            label = f"{label} {piece[piece.index('[') + 1 : -1]}"
        if label:
            labels.append(label)
    if not labels:
        return path
    return " · ".join(dict.fromkeys(labels))


def _change(element: etree._Element, kind: str, details: tuple[Detail, ...] = ()) -> ElementChange:
    local = _local(element.tag)
    return ElementChange(
        element_id=element.get("id"),
        kind=kind,
        type_label=_TYPE_LABELS.get(local, local),
        name=element.get("name") or "",
        details=details,
    )


def diff_definitions(old_xml: str, new_xml: str) -> DefinitionDiff:
    """Compare two diagrams; both must be well-formed BPMN (checked before deployment)."""
    old_root, old_problems = parse_untrusted_xml(old_xml, "旧版本")
    new_root, new_problems = parse_untrusted_xml(new_xml, "新版本")
    if old_root is None or new_root is None:
        raise ValueError("；".join(p.message for p in old_problems + new_problems))
    old, new = _top_elements(old_root), _top_elements(new_root)
    result = DefinitionDiff()
    for element_id, element in new.items():
        if element_id not in old:
            result.added.append(_change(element, "added"))
    for element_id, element in old.items():
        if element_id not in new:
            result.removed.append(_change(element, "removed"))
            continue
        before, after = _parts(element, old), _parts(new[element_id], new)
        if _local(element.tag) != _local(new[element_id].tag):
            before["#type"] = _local(element.tag)
            after["#type"] = _local(new[element_id].tag)
        if before != after:
            details = tuple(
                Detail(_describe(key), before.get(key), after.get(key))
                for key in sorted(before.keys() | after.keys())
                if before.get(key) != after.get(key)
            )
            result.changed.append(_change(new[element_id], "changed", details))
    return result
