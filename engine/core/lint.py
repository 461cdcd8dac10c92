"""Lint rules for BPMN diagrams: the traps SpiffWorkflow 3.2 does not catch at parse time.

Each rule reads the lxml tree and returns :class:`~engine.core.problems.Problem` values naming the
element at fault. See ``docs/adr/0001-durable-timers-on-one-clock.md`` for why each exists.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace

from lxml import etree

from engine.core.parser_messages import python_syntax_message, shown_expression
from engine.core.problems import Problem
from engine.core.scripting import ScriptRejected, compile_expression, compile_script
from engine.core.timer_limits import timer_value_problem

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
NS = {"bpmn": BPMN, "spiffworkflow": SPIFF, "camunda": CAMUNDA}

_ISO_LITERAL = re.compile(
    r"^(R\d*/)?(P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?"
    r"|\d{4}-\d{2}-\d{2}(T[\d:.]+)?(Z|[+-]\d{2}:?\d{2})?)(/.*)?$",
    re.IGNORECASE,
)
_TIMER_KINDS = ("timeDate", "timeDuration", "timeCycle")
# Quartz/Unix cron ("0 0 9 * * ?", "0 9 * * *"): what Camunda and Spring designers write.
_CRON_FIELD = re.compile(r"^(?:[0-9*?/,LW#-]+|[A-Za-z]{3}(?:[-,][A-Za-z]{3})*)$")
CRON_HINT = '不支持 cron 表达式，请改用 ISO 8601 循环，如 "R/P1D"'

# The assignment attributes the run time evaluates (see engine.core.instance_state).
_ASSIGNMENT_ATTRIBUTES = ("candidateGroups", "assignee")

Rule = Callable[[etree._Element], Iterable[Problem]]


def _owner_id(node: etree._Element) -> str | None:
    """The id of the flow element (event, task, flow) that carries ``node``, if any."""
    while node is not None and node.get("id") is None:
        node = node.getparent()
    return node.get("id") if node is not None else None


def _line(node: etree._Element) -> int | None:
    return getattr(node, "sourceline", None)


def _timer_definitions(root: etree._Element) -> Iterable[tuple[etree._Element, etree._Element]]:
    for timer in root.iterfind(".//bpmn:timerEventDefinition", NS):
        yield timer.getparent(), timer


def timer_expressions_are_python(root: etree._Element) -> Iterable[Problem]:
    """Timer values are Python expressions: ISO literals must be quoted (``"P5D"``), and a
    quoted literal must lie in a sane range (:mod:`engine.core.timer_limits`)."""
    for event, timer in _timer_definitions(root):
        for kind in _TIMER_KINDS:
            for node in timer.iterfind(f"bpmn:{kind}", NS):
                text = (node.text or "").strip()
                if not text:
                    yield Problem(
                        "empty-timer", "定时器没有填写时间表达式", event.get("id"), _line(node)
                    )
                elif _looks_like_cron(text):
                    yield Problem(
                        "cron-timer",
                        f"定时器的值 {text} 是 cron 写法：{CRON_HINT}（每天一次；"
                        "R5/PT1H 表示每小时一次、共 5 次）",
                        event.get("id"),
                        _line(node),
                    )
                elif _ISO_LITERAL.match(text):
                    yield Problem(
                        "unquoted-timer",
                        f"定时器表达式 {text} 未加引号：引擎把它当作 Python 表达式求值，"
                        f'应写成 "{text}"',
                        event.get("id"),
                        _line(node),
                        fix=f'"{text}"',
                    )
                else:
                    compiled = list(
                        _expression_problems(text, event.get("id"), _line(node), "定时器")
                    )
                    yield from compiled
                    literal = _literal(text) if not compiled else None
                    if literal is not None:
                        yield from _timer_value_problems(
                            kind, literal[0], event.get("id"), _line(node)
                        )


def _looks_like_cron(text: str) -> bool:
    """Five to seven space-separated cron fields, at least one of them a wildcard."""
    fields = text.strip("\"'").split()
    return (
        5 <= len(fields) <= 7
        and all(_CRON_FIELD.match(f) for f in fields)
        and any("*" in f or "?" in f for f in fields)
    )


def _literal(text: str) -> tuple[object] | None:
    """The value of a literal timer expression (``"P5D"``); None for one computed at run time
    (``handle_deadline["due"]``), which only the run time can check."""
    try:
        return (ast.literal_eval(text),)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def _timer_value_problems(
    kind: str, value: object, element_id: str | None, line: int | None
) -> Iterable[Problem]:
    reason = timer_value_problem(kind, value)
    if reason is not None:
        yield Problem("timer-value", reason, element_id, line)


def timer_names_are_unique(root: etree._Element) -> Iterable[Problem]:
    """SpiffWorkflow matches timers by name: every timer needs its own."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for event, _timer in _timer_definitions(root):
        name = (event.get("name") or "").strip()
        if not name:
            yield Problem(
                "unnamed-timer", "定时器事件必须有唯一的名称", event.get("id"), _line(event)
            )
        else:
            by_name[name].append(event.get("id"))
    for name, ids in by_name.items():
        if len(ids) > 1:
            for element_id in ids:
                yield Problem(
                    "duplicate-timer-name",
                    f"定时器名称“{name}”重复（{'、'.join(ids)}）：定时器按名称匹配，名称必须唯一",
                    element_id,
                )


def event_gateway_has_at_most_one_timer(root: etree._Element) -> Iterable[Problem]:
    """Event-based gateways with two or more timers share one due time in SpiffWorkflow 3.2."""
    for process in root.iterfind(".//bpmn:process", NS):
        targets: dict[str, list[str]] = defaultdict(list)
        for flow in process.iter(f"{{{BPMN}}}sequenceFlow"):
            targets[flow.get("sourceRef")].append(flow.get("targetRef"))
        by_id = {el.get("id"): el for el in process.iter() if el.get("id")}
        for gateway in process.iter(f"{{{BPMN}}}eventBasedGateway"):
            timers = [
                t
                for t in targets[gateway.get("id")]
                if t in by_id and by_id[t].find("bpmn:timerEventDefinition", NS) is not None
            ]
            if len(timers) >= 2:
                yield Problem(
                    "gateway-several-timers",
                    f"事件网关后有 {len(timers)} 个定时器（{'、'.join(timers)}）：引擎不支持，"
                    "请只保留一个定时器，或改用边界定时器",
                    gateway.get("id"),
                    _line(gateway),
                )


def no_interrupting_event_subprocess(root: etree._Element) -> Iterable[Problem]:
    """SpiffWorkflow ignores ``isInterrupting`` on event subprocesses: the main flow goes on."""
    for sub in root.iter(f"{{{BPMN}}}subProcess"):
        if sub.get("triggeredByEvent") != "true":
            continue
        for start in sub.iterfind("bpmn:startEvent", NS):
            if start.get("isInterrupting", "true") != "false":
                yield Problem(
                    "interrupting-event-subprocess",
                    "中断型事件子流程不会中止主流程（引擎限制）：请改用边界事件，"
                    "或把开始事件设为非中断",
                    sub.get("id"),
                    _line(sub),
                )


def scripts_are_restricted(root: etree._Element) -> Iterable[Problem]:
    """Scripts and conditions must compile in the restricted environment before deployment."""
    for task in root.iter(f"{{{BPMN}}}scriptTask"):
        script = task.find("bpmn:script", NS)
        if script is not None and (script.text or "").strip():
            yield from _script_problems(script.text, task.get("id"), _line(script))
    for tag in ("preScript", "postScript"):
        for node in root.iter(f"{{{SPIFF}}}{tag}"):
            if (node.text or "").strip():
                yield from _script_problems(node.text, _owner_id(node), _line(node))
    for cond in root.iter(f"{{{BPMN}}}conditionExpression"):
        text = (cond.text or "").strip()
        if text:
            yield from _expression_problems(text, _owner_id(cond), _line(cond), "条件")


def user_tasks_have_lane_or_assignment(root: etree._Element) -> Iterable[Problem]:
    """A user task nobody is responsible for would sit in no inbox."""
    laned = {ref.text.strip() for ref in root.iter(f"{{{BPMN}}}flowNodeRef") if ref.text}
    for task in root.iter(f"{{{BPMN}}}userTask"):
        assigned = task.get(f"{{{CAMUNDA}}}candidateGroups") or task.get(f"{{{CAMUNDA}}}assignee")
        if task.get("id") not in laned and not assigned:
            yield Problem(
                "unassigned-user-task",
                "人工任务既不在任何泳道中，也没有指定办理人或候选组",
                task.get("id"),
                _line(task),
            )


def assignment_expressions_are_restricted(root: etree._Element) -> Iterable[Problem]:
    """``candidateGroups``/``assignee`` values starting with ``=`` are evaluated when the task
    becomes ready: they must compile in the restricted environment at deploy, not fail then."""
    for tag in ("userTask", "manualTask"):
        for task in root.iter(f"{{{BPMN}}}{tag}"):
            for attribute in _ASSIGNMENT_ATTRIBUTES:
                value = task.get(f"{{{CAMUNDA}}}{attribute}") or ""
                if value.startswith("="):  # the same test as the run time's
                    yield from _expression_problems(
                        value[1:], task.get("id"), _line(task), f"{attribute} 的"
                    )


_PLAIN_WORDS = re.compile(r"[\w\s]+")


def service_parameters_are_expressions(root: etree._Element) -> Iterable[Problem]:
    """Every ``spiffworkflow:parameter`` value is a Python expression evaluated when the service
    task runs: an empty or broken one would fail only then, in front of a case's handler."""
    for operator in root.iter(f"{{{SPIFF}}}serviceTaskOperator"):
        task = _service_task(operator)
        if task is None:
            continue
        operation = operator.get("id") or "（未指定）"
        for parameter in operator.iterfind("spiffworkflow:parameters/spiffworkflow:parameter", NS):
            yield from _parameter_problems(operation, parameter, task.get("id"))


def _service_task(operator: etree._Element) -> etree._Element | None:
    """The task whose ``extensionElements`` hold ``operator`` (the operator's own ``id`` is
    the operation's name, so the owner cannot be found by the first id upwards)."""
    extensions = operator.getparent()
    if extensions is None or extensions.tag != f"{{{BPMN}}}extensionElements":
        return None
    return extensions.getparent()


def _parameter_problems(
    operation: str, parameter: etree._Element, task_id: str | None
) -> Iterable[Problem]:
    name = (parameter.get("id") or "").strip()
    line = _line(parameter)
    if not name:
        yield Problem(
            "service-parameter",
            f"服务操作 {operation} 有一个参数没有名称（spiffworkflow:parameter 的 id）",
            task_id,
            line,
        )
        return
    text = (parameter.get("value") or "").strip()
    if not text:
        yield Problem(
            "service-parameter",
            f"服务操作 {operation} 的参数 {name} 没有填写值：参数值是 Python 表达式，"
            '文字要加引号，如 "handle"',
            task_id,
            line,
        )
        return
    for problem in _expression_problems(
        text, task_id, line, f"服务操作 {operation} 的参数 {name} 的"
    ):
        # A refusal other than bad syntax does not show the expression: the designer needs it
        # to find which of several parameters is meant.
        shown = f"表达式“{shown_expression(text)}”"
        message = problem.message
        if shown not in message:
            message = message.replace("表达式", shown, 1)
        fix = None
        if (problem.detail or "").startswith("SyntaxError") and _PLAIN_WORDS.fullmatch(text):
            # Designers type the words they mean ("办理 提醒"); quoted, they are an expression.
            fix = f'"{text}"'
            message += f"；若要传文字，请加引号：{fix}"
        yield replace(problem, code="service-parameter", message=message, fix=fix)


def _script_problems(text: str, element_id: str | None, line: int | None) -> Iterable[Problem]:
    try:
        compile_script(text)
    except ScriptRejected as err:
        syntax = _syntax_error(textwrap.dedent(text).strip("\n"), "exec", err)
        if syntax is not None:
            yield _script_syntax_problem(text, syntax, element_id, line)
            return
        for reason in err.reasons:
            said, detail = _reason_in_chinese(reason)
            yield Problem(
                "script-rejected", f"脚本不被允许：{said}", element_id, line, detail=detail
            )
    except Exception as err:  # noqa: BLE001 - compile_script reports reasons; belt and braces
        yield _failed("脚本", err, element_id, line)


def _expression_problems(
    text: str, element_id: str | None, line: int | None, what: str
) -> Iterable[Problem]:
    try:
        compile_expression(text)
    except ScriptRejected as err:
        syntax = _syntax_error(text, "eval", err)
        if syntax is not None:
            yield _expression_syntax_problem(text, syntax, what, element_id, line)
            return
        for reason in err.reasons:
            said, detail = _reason_in_chinese(reason)
            yield Problem(
                "expression-rejected", f"{what}表达式无效：{said}", element_id, line, detail=detail
            )
    except Exception as err:  # noqa: BLE001 - compile_expression reports reasons; belt and braces
        yield _failed(f"{what}表达式", err, element_id, line)


_CJK = re.compile(r"[\u4e00-\u9fff]")
_LINE_PREFIX = re.compile(r"^(第 \d+ 行：)?(.*)$", re.DOTALL)


def _reason_in_chinese(reason: str) -> tuple[str, str | None]:
    """A compiler reason the restricted environment did not translate keeps its English as
    detail behind a Chinese lead."""
    match = _LINE_PREFIX.match(reason)
    prefix, rest = match.groups() if match else (None, reason)
    if _CJK.search(rest):
        return reason, None
    return f"{prefix or ''}使用了受限环境不允许的写法", rest


def _syntax_error(text: str, mode: str, rejected: ScriptRejected) -> SyntaxError | None:
    """Python's own SyntaxError for a text the restricted compiler refused as bad syntax, so
    the message can show where; None when the refusal had another reason."""
    if not any(reason.startswith("语法错误") for reason in rejected.reasons):
        return None
    try:
        ast.parse(text, mode=mode)
    except SyntaxError as err:
        return err
    except Exception:  # noqa: BLE001 - the reasons already say what is wrong; no position then
        return None
    return None


def _expression_syntax_problem(
    text: str, err: SyntaxError, what: str, element_id: str | None, line: int | None
) -> Problem:
    multi_line = "\n" in text.strip()
    if err.offset and err.offset > 0:
        where = (
            f"（第 {err.lineno} 行第 {err.offset} 列）"
            if multi_line
            else f"（第 {err.offset} 个字符处）"
        )
    elif err.offset == 0:  # Python's mark for "the text ended too early"
        where = "（写到末尾仍不完整）"
    else:
        where = ""
    return Problem(
        "expression-rejected",
        f"{what}表达式“{shown_expression(text)}”有"
        f"{python_syntax_message(err.msg or '', text)}{where}",
        element_id,
        line,
        detail=f"SyntaxError: {err.msg}",
    )


def _script_syntax_problem(
    text: str, err: SyntaxError, element_id: str | None, line: int | None
) -> Problem:
    lines = textwrap.dedent(text).strip("\n").splitlines()
    number = err.lineno or 0
    shown = f"“{shown_expression(lines[number - 1])}”" if 0 < number <= len(lines) else ""
    where = f"第 {number} 行{shown}" if number else ""
    column = f"（第 {err.offset} 列）" if err.offset and err.offset > 0 else ""
    return Problem(
        "script-rejected",
        f"脚本{where}有{python_syntax_message(err.msg or '')}{column}",
        element_id,
        line,
        detail=f"SyntaxError: {err.msg}",
    )


def _failed(what: str, err: BaseException, element_id: str | None, line: int | None) -> Problem:
    return Problem(
        "validation-failed",
        f"{what}无法校验（{type(err).__name__}）：请简化后再试",
        element_id,
        line,
    )


RULES: tuple[Rule, ...] = (
    timer_expressions_are_python,
    timer_names_are_unique,
    event_gateway_has_at_most_one_timer,
    no_interrupting_event_subprocess,
    scripts_are_restricted,
    user_tasks_have_lane_or_assignment,
    assignment_expressions_are_restricted,
    service_parameters_are_expressions,
)


def run_rule(rule: Callable[..., Iterable[Problem]], *args: object) -> list[Problem]:
    """Run one rule; a rule that crashes on an odd diagram is a problem, never an exception."""
    found: list[Problem] = []
    try:
        found.extend(rule(*args))
    except Exception as err:  # noqa: BLE001 - a designer's diagram must never cause a 500
        name = getattr(rule, "__name__", "?")
        found.append(
            Problem(
                "validation-failed",
                f"校验规则 {name} 无法检查此图（{type(err).__name__}），请简化图中相关部分后再试",
                detail=f"{type(err).__name__}: {_first_line(err)}",
            )
        )
    return found


def _first_line(err: BaseException) -> str:
    return str(err).split("\n")[0][:200] or "无详细信息"


def lint(root: etree._Element) -> list[Problem]:
    return [problem for rule in RULES for problem in run_rule(rule, root)]
