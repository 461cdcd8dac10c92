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
import math
import textwrap
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import CodeType
from typing import Any

from RestrictedPython import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.Guards import (
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

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


def _inplacevar(op: str, x: Any, y: Any) -> Any:
    ops: dict[str, Callable[[Any, Any], Any]] = {
        "+=": lambda a, b: a + b,
        "-=": lambda a, b: a - b,
        "*=": lambda a, b: a * b,
        "/=": lambda a, b: a / b,
        "//=": lambda a, b: a // b,
        "%=": lambda a, b: a % b,
    }
    if op not in ops:
        raise TypeError(f"不支持的运算符 {op}")
    return ops[op](x, y)


GUARDS: dict[str, Any] = {
    "__builtins__": _SAFE_BUILTINS,
    "_getattr_": safer_getattr,
    "_getitem_": lambda obj, key: obj[key],
    "_getiter_": iter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": _write_guard,
    "_inplacevar_": _inplacevar,
    "math": math,
    "date": date,
    "datetime": datetime,
    "timedelta": timedelta,
}


def _precheck(source: str, mode: str) -> list[str]:
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as err:
        return [f"语法错误（第 {err.lineno} 行）：{err.msg}"]
    reasons: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            reasons.append(f"第 {node.lineno} 行：脚本中不允许 import")
        elif isinstance(node, ast.ClassDef):
            reasons.append(f"第 {node.lineno} 行：脚本中不允许定义类")
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            reasons.append(f"第 {node.lineno} 行：不允许使用 {node.id}")
    return reasons


def _compile(source: str, mode: str) -> CodeType:
    reasons = _precheck(source, mode)
    if not reasons:
        compiler = compile_restricted_eval if mode == "eval" else compile_restricted_exec
        result = compiler(source)
        reasons = list(result.errors)
    if reasons:
        raise ScriptRejected(source, reasons)
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

    def evaluate(self, expression, context, external_context=None):  # type: ignore[no-untyped-def]
        code = compile_expression(expression)
        scope = dict(self.globals)
        scope.update(external_context or {})
        scope.update(context)
        return eval(code, scope)

    def execute(self, script, context, external_context=None):  # type: ignore[no-untyped-def]
        self.check_for_overwrite(context, external_context or {})
        code = compile_script(script)
        context.update(self.globals)
        context.update(external_context or {})
        try:
            exec(code, context)
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
        return True

    def call_service(self, context, **kwargs):  # type: ignore[no-untyped-def]
        name = kwargs.get("operation_name")
        operation = self.services.get(name)  # type: ignore[arg-type]
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
