"""Restricted evaluation of BPMN/DMN scripts, conditions and timer expressions.

SpiffWorkflow evaluates scripts with plain ``eval``/``exec`` and full builtins, so a diagram
could import ``os``. We compile every expression and script with RestrictedPython (no names
or attributes starting with ``_``, guarded item/attribute access), refuse imports, class
definitions and dangerous builtins before running anything, and hand scripts only a curated
set of builtins plus the functions the host chooses to expose.
"""

from __future__ import annotations

import ast
import builtins
import json
import re
import textwrap
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import CodeType
from typing import Any

from RestrictedPython.compile import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.Guards import (
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from engine.core.script_guards import (
    GUARDED_BUILTINS,
    GUARDED_GLOBALS,
    BoundedPolicy,
    run_bounded,
)

FORBIDDEN_NAMES = frozenset(
    {
        "open",
        "exec",
        "eval",
        "compile",
        "getattr",
        "setattr",
        "delattr",
        "globals",
        "locals",
        "vars",
        "dir",
        "type",
        "super",
        "object",
        "breakpoint",
        "input",
        "help",
        "memoryview",
        "classmethod",
        "staticmethod",
        "property",
    }
)

_SAFE_BUILTIN_NAMES = (
    "abs",
    "all",
    "any",
    "bool",
    "dict",
    "divmod",
    "enumerate",
    "filter",
    "float",
    "frozenset",
    "int",
    "isinstance",
    "len",
    "list",
    "map",
    "max",
    "min",
    "range",
    "reversed",
    "round",
    "set",
    "sorted",
    "str",
    "sum",
    "tuple",
    "zip",
    "ValueError",
    "KeyError",
    "TypeError",
    "Exception",
)
_SAFE_BUILTINS: dict[str, Any] = {name: getattr(builtins, name) for name in _SAFE_BUILTIN_NAMES}
_SAFE_BUILTINS.update({"None": None, "True": True, "False": False})
_SAFE_BUILTINS.update(GUARDED_BUILTINS)


class ScriptRejected(ValueError):
    """A script or expression uses a construct the restricted environment forbids."""

    def __init__(self, source: str, reasons: list[str]) -> None:
        self.source = source
        self.reasons = reasons
        super().__init__("; ".join(reasons))


def _write_guard(obj: Any) -> Any:
    # Scripts may mutate plain containers they built or received as data; nothing else.
    if isinstance(obj, dict | list | set):
        return obj
    raise TypeError(f"不允许修改 {type(obj).__name__} 类型的对象")


GUARDS: dict[str, Any] = {
    "__builtins__": _SAFE_BUILTINS,
    "_getattr_": safer_getattr,
    "_getitem_": lambda obj, key: obj[key],
    "_getiter_": iter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": _write_guard,
    "date": date,
    "datetime": datetime,
    "timedelta": timedelta,
    **GUARDED_GLOBALS,
}


# Limits checked before RestrictedPython sees the text: its transformer (and CPython's
# compiler) recurse once per nesting level, so 1,000 chained ``+`` or nested ``not`` would
# raise RecursionError instead of a reason the designer can act on.
MAX_EXPRESSION_CHARS = 10_000
MAX_SCRIPT_CHARS = 100_000
MAX_NESTING_DEPTH = 100

_SPLIT_HINT = "请拆成几步、用中间变量，或放到脚本任务里"


def _too_long(source: str, mode: str) -> str | None:
    what, limit = ("表达式", MAX_EXPRESSION_CHARS) if mode == "eval" else ("脚本", MAX_SCRIPT_CHARS)
    if len(source) <= limit:
        return None
    return f"{what}有 {len(source):,} 个字符，超过 {limit:,} 个字符的上限：{_SPLIT_HINT}"


def _too_deep(tree: ast.AST) -> str | None:
    """Measure nesting without recursion: the first node deeper than the limit, as a reason."""
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING_DEPTH:
            where = f"第 {node.lineno} 行：" if hasattr(node, "lineno") else ""
            return (
                f"{where}嵌套超过 {MAX_NESTING_DEPTH} 层（例如上千个连续的 + 或 not、"
                f"层层套叠的括号或列表）：{_SPLIT_HINT}"
            )
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return None


def _precheck(source: str, mode: str) -> list[str]:
    if reason := _too_long(source, mode):
        return [reason]
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as err:
        where = f"（第 {err.lineno} 行）" if err.lineno else ""
        return [f"语法错误{where}：{err.msg}"]
    except ValueError:  # a NUL character (SyntaxError from Python 3.12 on)
        return ["含有空字符（NUL）等无法解析的内容"]
    except (RecursionError, MemoryError) as err:
        return [f"过于复杂，无法解析（{type(err).__name__}）：{_SPLIT_HINT}"]
    if reason := _too_deep(tree):
        return [reason]
    reasons: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            reasons.append(f"第 {node.lineno} 行：脚本中不允许 import")
        elif isinstance(node, ast.ClassDef):
            reasons.append(f"第 {node.lineno} 行：脚本中不允许定义类")
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            reasons.append(f"第 {node.lineno} 行：不允许使用 {node.id}")
    return reasons


_RESTRICTED_MESSAGES = (
    (
        re.compile(
            r'^"([^"]+)" is an invalid (attribute|variable) name because it starts with "_"'
        ),
        "不允许使用以下划线开头的{kind} {name}",
    ),
    (
        re.compile(r'^"([^"]+)" is an invalid (attribute|variable) name because it ends with'),
        "不允许使用以 __roles__ 结尾的{kind} {name}",
    ),
    (re.compile(r'^"([^"]+)" is a (reserved|restricted) name'), "不允许使用受限名称 {name}"),
    (re.compile(r"^(\w+) statements are not allowed"), "不允许使用 {name} 语句"),
)
_KINDS = {"attribute": "属性名", "variable": "变量名"}


def _in_chinese(error: str) -> str:
    """RestrictedPython's English reason (``Line 1: "__class__" is an invalid ...``) in Chinese."""
    match = re.match(r"^Line (\d+|None): (.*)$", error, re.DOTALL)
    if match is None:
        return error
    line, info = match.groups()
    where = f"第 {line} 行：" if line != "None" else ""
    for pattern, template in _RESTRICTED_MESSAGES:
        if found := pattern.match(info):
            kind = _KINDS.get(found.group(2), "") if found.lastindex == 2 else ""
            return where + template.format(name=found.group(1), kind=kind)
    return where + info


def _compile(source: str, mode: str) -> CodeType:
    """Compile restricted bytecode; every failure, even a compiler crash, is a reason."""
    reasons = _precheck(source, mode)
    if not reasons:
        compiler = compile_restricted_eval if mode == "eval" else compile_restricted_exec
        try:
            result = compiler(source, policy=BoundedPolicy)
        except Exception as err:  # noqa: BLE001 - the designer gets a reason, never a crash
            reasons = [f"无法编译（{type(err).__name__}）：{_SPLIT_HINT}"]
        else:
            reasons = [_in_chinese(error) for error in result.errors]
    if reasons:
        raise ScriptRejected(source, reasons)
    if result.code is None:  # no error yet no code: a compiler fault, refused like one
        raise ScriptRejected(source, [f"无法编译：{_SPLIT_HINT}"])
    return result.code


@lru_cache(maxsize=4096)
def compile_expression(source: str) -> CodeType:
    """Compile an expression for the restricted environment, or raise :class:`ScriptRejected`."""
    return _compile(source, "eval")


@lru_cache(maxsize=4096)
def compile_script(source: str) -> CodeType:
    """Compile a script for the restricted environment, or raise :class:`ScriptRejected`."""
    # Scripts inside BPMN XML are usually indented with the surrounding markup.
    return _compile(textwrap.dedent(source).strip("\n"), "exec")


ServiceOperation = Callable[[Mapping[str, Any], dict[str, Any]], Any]


class RestrictedEnvironment(TaskDataEnvironment):
    """Task-data environment that runs restricted bytecode.

    :param functions: plain functions scripts may call (e.g. working-day arithmetic).
    :param services: service-task operations by name, called with (params, task data).
    """

    def __init__(
        self,
        functions: Mapping[str, Callable[..., Any]] | None = None,
        services: Mapping[str, ServiceOperation] | None = None,
    ) -> None:
        super().__init__({**GUARDS, **(functions or {})})
        self.services = dict(services or {})

    def evaluate(
        self,
        expression: str,
        context: dict[str, Any],
        external_context: dict[str, Any] | None = None,
    ) -> Any:
        code = compile_expression(expression)
        scope = dict(self.globals)
        scope.update(external_context or {})
        scope.update(context)
        return run_bounded(eval, code, scope)

    def execute(
        self,
        script: str,
        context: dict[str, Any],
        external_context: dict[str, Any] | None = None,
    ) -> bool:
        self.check_for_overwrite(context, external_context or {})
        code = compile_script(script)
        context.update(self.globals)
        context.update(external_context or {})
        try:
            run_bounded(exec, code, context)
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
        return True

    def call_service(self, context: dict[str, Any], **kwargs: Any) -> str:
        name = str(kwargs.get("operation_name"))
        operation = self.services.get(name)
        if operation is None:
            raise ValueError(f"未注册的服务操作：{name}")
        params = {
            key: value.get("value") if isinstance(value, dict) else value
            for key, value in (kwargs.get("operation_params") or {}).items()
        }
        # SpiffWorkflow json.loads() what a service returns.
        return json.dumps(operation(params, context), ensure_ascii=False, default=str)


def make_script_engine(
    functions: Mapping[str, Callable[..., Any]] | None = None,
    services: Mapping[str, ServiceOperation] | None = None,
) -> PythonScriptEngine:
    return PythonScriptEngine(environment=RestrictedEnvironment(functions, services))
