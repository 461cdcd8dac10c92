"""Lint rules for what diagrams from other modelers (Camunda Modeler, Flowable, Activiti…)
carry but this engine cannot run: Java delegates, external tasks, JUEL expressions,
scripts in other languages, DMN references in the Camunda style.

Each problem says what the element uses and what to use here instead, so an imported
diagram becomes a to-do list rather than a parser error.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from lxml import etree

from engine.core.lint import BPMN, CAMUNDA, NS
from engine.core.problems import Problem

_JUEL = re.compile(r"[$#]\{")
_JAVA_HOOKS = {
    "class": "Java 类",
    "delegateExpression": "委托表达式",
    "expression": "JUEL 表达式",
}
_LISTENERS = ("executionListener", "taskListener")
_PYTHON_FORMATS = {"", "python", "python3", "text/x-python"}
_ACTIVITIES = ("serviceTask", "sendTask", "businessRuleTask")


def _line(node: etree._Element) -> int | None:
    return getattr(node, "sourceline", None)


def java_delegates_and_external_tasks(root: etree._Element) -> Iterable[Problem]:
    """Camunda runs Java or external workers here; this engine runs its own service operations."""
    for tag in _ACTIVITIES:
        for task in root.iter(f"{{{BPMN}}}{tag}"):
            if task.get(f"{{{CAMUNDA}}}type") == "external":
                topic = task.get(f"{{{CAMUNDA}}}topic") or ""
                yield Problem(
                    "external-task",
                    f"外部任务（topic {topic}）不受支持：请改用平台提供的服务操作"
                    "（spiffworkflow:serviceTaskOperator）",
                    task.get("id"),
                    _line(task),
                )
            for attribute, what in _JAVA_HOOKS.items():
                value = task.get(f"{{{CAMUNDA}}}{attribute}")
                if value:
                    yield Problem(
                        "java-delegate",
                        f"服务任务使用了 {what}（{value}），本引擎不运行 Java 代码："
                        "请改用平台提供的服务操作",
                        task.get("id"),
                        _line(task),
                    )
            if task.find(".//camunda:connector", NS) is not None:
                yield Problem(
                    "connector",
                    "Camunda 连接器（connector）不受支持：请改用平台提供的服务操作",
                    task.get("id"),
                    _line(task),
                )
            if task.get(f"{{{CAMUNDA}}}decisionRef"):
                yield Problem(
                    "camunda-decision",
                    f"决策引用 camunda:decisionRef={task.get(f'{{{CAMUNDA}}}decisionRef')} "
                    "不受支持：请用 spiffworkflow:calledDecisionId 引用随流程部署的 DMN 表",
                    task.get("id"),
                    _line(task),
                )


def listeners(root: etree._Element) -> Iterable[Problem]:
    """Execution and task listeners are Java or script hooks the engine never calls."""
    for name in _LISTENERS:
        for node in root.iter(f"{{{CAMUNDA}}}{name}"):
            owner = node
            while owner is not None and owner.get("id") is None:
                owner = owner.getparent()
            yield Problem(
                "listener",
                "监听器（camunda:" + name + "）不会被执行：请改用脚本任务或服务任务表达同样的步骤",
                owner.get("id") if owner is not None else None,
                _line(node),
            )


def juel_expressions(root: etree._Element) -> Iterable[Problem]:
    """``${…}`` is Camunda's expression language; conditions and timers here are Python."""
    for tag in ("conditionExpression", "timeDate", "timeDuration", "timeCycle"):
        for node in root.iter(f"{{{BPMN}}}{tag}"):
            text = (node.text or "").strip()
            if _JUEL.search(text):
                owner = node
                while owner is not None and owner.get("id") is None:
                    owner = owner.getparent()
                yield Problem(
                    "juel-expression",
                    f"表达式 {text} 是 JUEL 写法：本引擎使用 Python 表达式，"
                    f"例如 {_python_hint(text)}",
                    owner.get("id") if owner is not None else None,
                    _line(node),
                )
    for task in root.iter(f"{{{BPMN}}}userTask"):
        for attribute in ("assignee", "candidateGroups", "candidateUsers"):
            value = task.get(f"{{{CAMUNDA}}}{attribute}") or ""
            if _JUEL.search(value):
                yield Problem(
                    "juel-expression",
                    f"{attribute} 的值 {value} 是 JUEL 写法：请写成以 = 开头的 Python 表达式，"
                    f"例如 ={_python_hint(value)}",
                    task.get("id"),
                    _line(task),
                )


def _python_hint(text: str) -> str:
    inner = re.sub(r"[$#]\{\s*(.*?)\s*\}", r"\1", text)
    inner = inner.replace("&&", " and ").replace("||", " or ").replace("!=", " <> ")
    inner = inner.replace("!", "not ").replace(" <> ", " != ")
    for juel, python in (("true", "True"), ("false", "False"), ("null", "None")):
        inner = re.sub(rf"\b{juel}\b", python, inner)
    return re.sub(r"\s+", " ", inner).strip()


def script_languages(root: etree._Element) -> Iterable[Problem]:
    for task in root.iter(f"{{{BPMN}}}scriptTask"):
        language = (task.get("scriptFormat") or "").strip().lower()
        if language not in _PYTHON_FORMATS:
            yield Problem(
                "script-language",
                f"脚本语言 {task.get('scriptFormat')} 不受支持：本引擎只运行受限的 Python 脚本",
                task.get("id"),
                _line(task),
            )
        if task.get(f"{{{CAMUNDA}}}resource"):
            yield Problem(
                "script-resource",
                "外部脚本文件（camunda:resource）不受支持：请把脚本写在任务里",
                task.get("id"),
                _line(task),
            )


def service_operations_exist(root: etree._Element, known: Collection[str]) -> Iterable[Problem]:
    """A service task must call an operation the platform provides."""
    for tag in _ACTIVITIES:
        for task in root.iter(f"{{{BPMN}}}{tag}"):
            operator = task.find("bpmn:extensionElements/spiffworkflow:serviceTaskOperator", NS)
            if operator is None:
                if tag == "serviceTask" and not _has_foreign_hook(task):
                    yield Problem(
                        "no-service-operation",
                        "服务任务没有指定服务操作（spiffworkflow:serviceTaskOperator）"
                        f"：可用的操作有 {'、'.join(sorted(known)) or '（无）'}",
                        task.get("id"),
                        _line(task),
                    )
                continue
            name = operator.get("id") or ""
            if known and name not in known:
                yield Problem(
                    "unknown-service-operation",
                    f"服务操作 {name} 不存在：可用的操作有 {'、'.join(sorted(known))}",
                    task.get("id"),
                    _line(operator),
                )


def _has_foreign_hook(task: etree._Element) -> bool:
    attributes = {f"{{{CAMUNDA}}}{a}" for a in (*_JAVA_HOOKS, "type", "decisionRef")}
    return any(task.get(a) for a in attributes) or task.find(".//camunda:connector", NS) is not None


RULES = (java_delegates_and_external_tasks, listeners, juel_expressions, script_languages)
