"""Guards that keep diagram code inside its step budget.

Two kinds of work can run away in a script or expression:

* **Python-level loops** (``while True: pass``, endless recursion): the restricted compiler
  puts a call to a meter at the top of every loop body, comprehension and function body; every
  few calls the meter reads the thread's CPU time and the process's memory growth and stops the
  evaluation with :class:`BudgetExceeded`. (A ``sys.settrace`` hook cannot do this in Python
  3.11: ``while True: pass`` compiles to one jump to itself, which reports no line events.)
* **One C-level operation** that never yields to the tracer (``10 ** (10 ** 8)``,
  ``sum(range(10 ** 12))``, ``"x" * 10 ** 10``): the restricted compiler routes ``**``,
  ``*``, ``+``, ``<<`` and ``%`` through :func:`guarded_binop`, and the builtins that iterate in
  C (``range``, ``sum``, string padding/joining, ``math.factorial`` ...) are replaced by
  versions that refuse results beyond the size limits below *before* computing them.

The limits are sized so that any single operation within them finishes in a few
milliseconds and fits the default 64 MB step budget.
"""

from __future__ import annotations

import ast
import itertools
import math
import os
import re
import time
from collections.abc import Callable, Iterable
from types import CodeType, SimpleNamespace
from typing import Any, cast

from RestrictedPython.Guards import safer_getattr
from RestrictedPython.transformer import RestrictingNodeTransformer

from engine.core.evaluation_budget import Budget, BudgetExceeded, current_budget

# One operation may build at most this much (each is a few ms of C work at most).
MAX_INT_BITS = 1 << 20  # ~315,000 decimal digits
MAX_SEQUENCE_ITEMS = 1_000_000
MAX_STRING_CHARS = 1_000_000
MAX_FORMAT_WIDTH = 10_000
# Every CHECK_EVERY meter calls (loop iterations, function calls) the meter reads the
# thread's CPU clock (~1 µs) and the process's resident memory (~2 µs); code without loops
# never calls it at all.
CHECK_EVERY = 32

_MB = 1024 * 1024
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _too_big(what: str) -> BudgetExceeded:
    return BudgetExceeded("size", f"{what}超出单次运算的大小上限")


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, str | list | tuple | bytes) else None


def _check_sequence(value: Any, items: int) -> None:
    limit = MAX_STRING_CHARS if isinstance(value, str | bytes) else MAX_SEQUENCE_ITEMS
    if items > limit:
        raise _too_big(f"结果长度 {items:,}（上限 {limit:,}）")


def _check_int_bits(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise _too_big(f"整数约 {bits:,} 位二进制（上限 {MAX_INT_BITS:,}）")


def _pow(a: Any, b: Any) -> Any:
    if isinstance(a, int) and isinstance(b, int) and b > 0 and abs(a) > 1:
        _check_int_bits(a.bit_length() * b)
    return a**b


def _mul(a: Any, b: Any) -> Any:
    if isinstance(b, int) and (n := _length(a)) is not None:
        _check_sequence(a, n * b)
    elif isinstance(a, int) and (n := _length(b)) is not None:
        _check_sequence(b, n * a)
    elif isinstance(a, int) and isinstance(b, int):
        _check_int_bits(a.bit_length() + b.bit_length())
    return a * b


def _add(a: Any, b: Any) -> Any:
    if (n := _length(a)) is not None and (m := _length(b)) is not None:
        _check_sequence(a, n + m)
    return a + b


def _lshift(a: Any, b: Any) -> Any:
    if isinstance(a, int) and isinstance(b, int) and a and b > 0:
        _check_int_bits(a.bit_length() + b)
    return a << b


_PERCENT_WIDTH = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_NUMBER = re.compile(r"\d+")


def _check_percent_format(template: str) -> None:
    for width, precision in _PERCENT_WIDTH.findall(template):
        for number in (width, precision):
            if number == "*":
                raise _too_big("格式化中的 * 宽度")
            if number and int(number) > MAX_FORMAT_WIDTH:
                raise _too_big(f"格式化宽度 {int(number):,}")


def _mod(a: Any, b: Any) -> Any:
    if isinstance(a, str):
        _check_percent_format(a)
    return a % b


_BINOPS: dict[str, Callable[[Any, Any], Any]] = {
    "**": _pow,
    "*": _mul,
    "+": _add,
    "<<": _lshift,
    "%": _mod,
}
_SIMPLE_INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "-=": lambda a, b: a - b,
    "/=": lambda a, b: a / b,
    "//=": lambda a, b: a // b,
    ">>=": lambda a, b: a >> b,
    "&=": lambda a, b: a & b,
    "|=": lambda a, b: a | b,
    "^=": lambda a, b: a ^ b,
}


def guarded_binop(op: str, a: Any, b: Any) -> Any:
    """``a <op> b`` for the operators that can build huge objects in one C call."""
    return _BINOPS[op](a, b)


def guarded_inplacevar(op: str, a: Any, b: Any) -> Any:
    """``a <op>= b`` on a name (RestrictedPython rewrites ``x += 1`` into this call)."""
    base = op[:-1]
    if base in _BINOPS:
        return _BINOPS[base](a, b)
    if op in _SIMPLE_INPLACE:
        return _SIMPLE_INPLACE[op](a, b)
    raise TypeError(f"不支持的运算符 {op}")


def bounded_range(*args: int) -> range:
    r = range(*args)
    if len(r) > MAX_SEQUENCE_ITEMS:
        raise _too_big(f"range 长度 {len(r):,}（上限 {MAX_SEQUENCE_ITEMS:,}）")
    return r


def bounded_sum(iterable: Iterable[Any], /, start: Any = 0) -> Any:
    if isinstance(start, int | float):
        return sum(iterable, start)
    # sum() of lists or tuples concatenates in C, quadratically: check the total, then chain.
    parts = list(iterable)
    _check_sequence(parts, len(parts))
    if isinstance(start, list | tuple) and all(isinstance(p, type(start)) for p in parts):
        _check_sequence(start, len(start) + sum(map(len, parts)))
        return type(start)(itertools.chain(start, *parts))
    return sum(parts, start)


def _bounded_str_method(text: str, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        if name in ("ljust", "rjust", "center", "zfill") and args:
            width = args[0]
            if isinstance(width, int):
                _check_sequence(text, width)
        elif name == "expandtabs":
            tabsize = args[0] if args else kwargs.get("tabsize", 8)
            if isinstance(tabsize, int):
                _check_sequence(text, len(text) * max(tabsize, 1))
        elif name == "replace" and len(args) >= 2:
            old, new = args[0], args[1]
            if isinstance(old, str) and isinstance(new, str) and len(new) > len(old):
                count = text.count(old) if old else len(text) + 1
                if len(args) >= 3 and isinstance(args[2], int) and args[2] >= 0:
                    count = min(count, args[2])
                _check_sequence(text, len(text) + count * (len(new) - len(old)))
        elif name == "join" and args:
            parts = list(args[0])
            _check_sequence(parts, len(parts))
            if all(isinstance(p, str) for p in parts):
                _check_sequence(text, sum(map(len, parts)) + len(text) * max(len(parts) - 1, 0))
            return method(parts)
        return method(*args, **kwargs)

    return call


_GROWING_STR_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs", "replace"})


def guarded_getattr(obj: Any, name: str, default: Any = None) -> Any:
    value = safer_getattr(obj, name)
    if isinstance(obj, str) and (name in _GROWING_STR_METHODS or name == "join"):
        return _bounded_str_method(obj, name, value)
    return value


def _bounded_factorial(n: int) -> int:
    if isinstance(n, int) and n > 20_000:
        raise _too_big(f"factorial({n:,})")
    return math.factorial(n)


def _bounded_comb(n: int, k: int) -> int:
    if isinstance(n, int) and n > 100_000:
        raise _too_big(f"comb({n:,}, …)")
    return math.comb(n, k)


def _bounded_perm(n: int, k: int | None = None) -> int:
    if isinstance(n, int) and n > 100_000:
        raise _too_big(f"perm({n:,}, …)")
    return math.perm(n, k)


def _bounded_prod(iterable: Iterable[Any], /, *, start: Any = 1) -> Any:
    total = start
    for item in iterable:
        total = _mul(total, item)
    return total


_MATH_NAMES = [
    "ceil",
    "floor",
    "trunc",
    "fabs",
    "sqrt",
    "isqrt",
    "exp",
    "log",
    "log2",
    "log10",
    "pow",
    "sin",
    "cos",
    "tan",
    "atan",
    "atan2",
    "hypot",
    "radians",
    "degrees",
    "isclose",
    "isfinite",
    "isinf",
    "isnan",
    "gcd",
    "lcm",
    "fsum",
    "copysign",
    "modf",
    "fmod",
    "pi",
    "e",
    "tau",
    "inf",
    "nan",
]
# Scripts see ``math`` as this namespace: the module itself would offer factorial() and
# prod() on unbounded inputs.
BOUNDED_MATH = SimpleNamespace(
    **{name: getattr(math, name) for name in _MATH_NAMES},
    factorial=_bounded_factorial,
    comb=_bounded_comb,
    perm=_bounded_perm,
    prod=_bounded_prod,
)


class BoundedPolicy(RestrictingNodeTransformer):
    """RestrictedPython's policy plus: size-guarded operators, constant format widths."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        node = self.node_contents_visit(node)
        symbol = _OPERATOR_SYMBOLS.get(type(node.op))
        if symbol is None:
            return node
        call = ast.Call(
            func=ast.Name("_binop_", ast.Load()),
            args=[ast.Constant(symbol), node.left, node.right],
            keywords=[],
        )
        return ast.fix_missing_locations(ast.copy_location(call, node))

    def visit_While(self, node: ast.While) -> ast.AST:
        node = self.node_contents_visit(node)
        node.body.insert(0, _meter_call_statement(node))
        return node

    def visit_For(self, node: ast.For) -> ast.AST:
        # RestrictedPython's visitors return the node they were given, typed as any AST.
        node = cast(ast.For, super().visit_For(node))
        node.body.insert(0, _meter_call_statement(node))
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        node = cast(ast.FunctionDef, super().visit_FunctionDef(node))
        node.body.insert(0, _meter_call_statement(node))
        return node

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        node = cast(ast.Lambda, super().visit_Lambda(node))
        # lambda args: (_meter_() or body): the meter returns None.
        node.body = ast.fix_missing_locations(
            ast.copy_location(ast.BoolOp(ast.Or(), [_meter_call(node), node.body]), node.body)
        )
        return node

    def visit_comprehension(self, node: ast.comprehension) -> ast.AST:
        node = cast(ast.comprehension, super().visit_comprehension(node))
        # An always-true condition that counts every item: (_meter_() is None).
        node.ifs.append(
            ast.fix_missing_locations(
                ast.copy_location(
                    ast.Compare(_meter_call(node.iter), [ast.Is()], [ast.Constant(None)]),
                    node.iter,
                )
            )
        )
        return node

    def visit_FormattedValue(self, node: ast.FormattedValue) -> ast.AST:
        spec = node.format_spec
        if spec is not None:
            parts = spec.values if isinstance(spec, ast.JoinedStr) else [spec]
            for part in parts:
                if not isinstance(part, ast.Constant):
                    self.error(node, "f-string 的格式说明不能含表达式")
                else:
                    for number in _BRACE_NUMBER.findall(str(part.value)):
                        if int(number) > MAX_FORMAT_WIDTH:
                            self.error(node, f"f-string 的格式宽度 {number} 超出上限")
        return self.node_contents_visit(node)


def _meter_call(node: ast.AST) -> ast.Call:
    call = ast.Call(func=ast.Name("_meter_", ast.Load()), args=[], keywords=[])
    return ast.fix_missing_locations(ast.copy_location(call, node))


def _meter_call_statement(node: ast.AST) -> ast.Expr:
    return ast.fix_missing_locations(ast.copy_location(ast.Expr(_meter_call(node)), node))


_OPERATOR_SYMBOLS: dict[type[ast.operator], str] = {
    ast.Pow: "**",
    ast.Mult: "*",
    ast.Add: "+",
    ast.LShift: "<<",
    ast.Mod: "%",
}

GUARDED_GLOBALS: dict[str, Any] = {
    "_binop_": guarded_binop,
    "_inplacevar_": guarded_inplacevar,
    "_getattr_": guarded_getattr,
    "math": BOUNDED_MATH,
}
GUARDED_BUILTINS: dict[str, Any] = {"range": bounded_range, "sum": bounded_sum}


_statm: tuple[int, int] | None = None  # (pid, fd): /proc/self is resolved at open time


def _resident_bytes() -> int:
    global _statm
    try:
        if _statm is None or _statm[0] != os.getpid():
            _statm = (os.getpid(), os.open("/proc/self/statm", os.O_RDONLY))
        return int(os.pread(_statm[1], 64, 0).split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


class _Meter:
    """Counts one evaluation's loop iterations and calls against the step's budget."""

    __slots__ = ("baseline", "budget", "calls", "deadline")

    def __init__(self, budget: Budget, deadline: float) -> None:
        self.budget = budget
        self.deadline = deadline
        self.calls = 0
        self.baseline = 0

    def __call__(self) -> None:
        self.calls += 1
        if self.calls % CHECK_EVERY:
            return
        if time.thread_time() > self.deadline:
            raise BudgetExceeded(
                "cpu", f"运行超过 {self.budget.cpu_seconds * 1000:.0f} 毫秒 CPU 时间"
            )
        resident = _resident_bytes()
        if not self.baseline:
            self.baseline = resident
        elif resident - self.baseline > self.budget.memory_bytes:
            grown = (resident - self.baseline) // _MB
            raise BudgetExceeded(
                "memory", f"内存增长 {grown} MB，超过 {self.budget.memory_bytes // _MB} MB"
            )


def run_bounded(
    run: Callable[[CodeType, dict[str, Any]], Any], code: CodeType, namespace: dict[str, Any]
) -> Any:
    """``run(code, namespace)`` (``eval`` or ``exec``) under the current step's budget.

    :raises BudgetExceeded: the code used up the step's CPU time or grew the process's
        memory beyond the budget; it was stopped at a loop iteration or a call.
    """
    state = current_budget()
    started = time.thread_time()
    deadline = started + state.budget.cpu_seconds - state.cpu_spent
    if deadline <= started:
        raise BudgetExceeded("cpu", f"本步骤的 CPU 预算（{state.budget.describe()}）已用完")
    namespace["_meter_"] = _Meter(state.budget, deadline)
    try:
        return run(code, namespace)
    finally:
        namespace.pop("_meter_", None)
        state.cpu_spent += time.thread_time() - started
