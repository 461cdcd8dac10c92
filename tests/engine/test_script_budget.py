"""Diagram code runs under a budget: runaway loops and huge objects stop cleanly, fast."""

from __future__ import annotations

import time

import pytest

from engine.core.evaluation_budget import (
    Budget,
    BudgetExceeded,
    budget_from_env,
    step_budget,
)
from engine.core.scripting import ScriptRejected, make_script_engine

ENV = make_script_engine().environment
# Generous: these tests catch hangs, they do not time the guard.
HANG = 5.0


def _evaluate(source: str, data: dict | None = None):
    return ENV.evaluate(source, dict(data or {"x": 1}))


def _execute(source: str, data: dict | None = None) -> dict:
    context = dict(data or {"x": 1})
    ENV.execute(source, context)
    return context


@pytest.mark.parametrize(
    ("source", "mode", "kind"),
    [
        ("while True: pass", "exec", "cpu"),
        ("while True:\n    pass", "exec", "cpu"),
        ("n = 0\nwhile n >= 0:\n    n += 1", "exec", "cpu"),
        ("def f(n):\n    return f(n - 1) + f(n - 1) if n else 1\nr = f(200)", "exec", "cpu"),
        ("f = lambda n: f(n - 1) + f(n - 1) if n else 1\nr = f(200)", "exec", "cpu"),
        ("[i * j for i in range(10**5) for j in range(10**5)]", "eval", "cpu"),
        ("sum(range(10**12)) > 0", "eval", "size"),
        ("10 ** (10 ** 8) > 0", "eval", "size"),
        ("'PT' + str(sum(range(10**12))) + 'S'", "eval", "size"),
        ("'x' * 10**10", "eval", "size"),
        ("[0] * 10**9", "eval", "size"),
        ("s = 'ab'\nwhile True:\n    s = s + s", "exec", "size"),
        ("x = 2\nx **= 10**9", "exec", "size"),
        ("1 << 10**10", "eval", "size"),
        ("'x'.ljust(10**9)", "eval", "size"),
        ("'ab'.replace('a', 'a' * 100000).replace('a', 'a' * 100000)", "eval", "size"),
        ("'-'.join(['y' * 1000] * 100000)", "eval", "size"),
        ("'%1000000000d' % 5", "eval", "size"),
        ("math.factorial(10**7)", "eval", "size"),
        ("math.prod(range(1, 10**6))", "eval", "size"),
        ("sum([[1] * 1000] * 100000, [])", "eval", "size"),
    ],
)
def test_runaway_code_stops_within_the_budget(source, mode, kind):
    started = time.monotonic()
    with pytest.raises(BudgetExceeded) as caught:
        _evaluate(source) if mode == "eval" else _execute(source)
    assert time.monotonic() - started < HANG
    assert caught.value.kind == kind
    assert "超出预算" in str(caught.value)


def test_growing_memory_in_a_loop_is_stopped_by_the_memory_budget():
    source = "keep = []\nwhile True:\n    keep.append('y' * 900000 + str(len(keep)))"
    with (
        step_budget(Budget(cpu_seconds=30, memory_bytes=32 * 1024 * 1024)),
        pytest.raises(BudgetExceeded) as caught,
    ):
        _execute(source)
    assert caught.value.kind == "memory"
    assert "32 MB" in str(caught.value)


def test_a_step_shares_one_budget_across_its_evaluations():
    """Five conditions of 60 ms each are fine alone, but one step may spend 200 ms in all."""
    busy = "n = 0\nwhile n < 10**9:\n    n += 1\n    if n % 1000 == 0 and ticks() > limit: break"
    context = {"limit": 0.06}

    def run() -> None:
        start = time.thread_time()
        _execute(busy, {**context, "ticks": lambda: time.thread_time() - start})

    run()  # outside a step each evaluation has its own budget
    with step_budget(Budget(cpu_seconds=0.2)), pytest.raises(BudgetExceeded):
        for _ in range(5):
            run()


def test_ordinary_scripts_behave_as_before():
    out = _execute(
        "total = sum([1, 2, 3])\n"
        "names = '、'.join(['甲', '乙'])\n"
        "big = 2 ** 64\n"
        "pad = '7'.zfill(3)\n"
        "n = 1\nn += 2\nn *= 3\nn -= 1\nn //= 2\n"
        "rows = [i * i for i in range(5) if i % 2]\n"
        "text = 'case %s of %d' % ('A', 3)\n"
        "f = lambda v: v + 1\n"
        "def g(v):\n    return f(v) * 2\n"
        "out = g(4)\n"
        "root = math.sqrt(16)\n"
        "parts = sum([[1], [2]], [])\n"
    )
    assert out["total"] == 6
    assert out["names"] == "甲、乙"
    assert out["big"] == 18446744073709551616
    assert out["pad"] == "007"
    assert out["n"] == 4
    assert out["rows"] == [1, 9]
    assert out["text"] == "case A of 3"
    assert out["out"] == 10
    assert out["root"] == 4.0
    assert out["parts"] == [1, 2]
    assert "_meter_" not in out


def test_a_format_width_in_an_f_string_is_refused_at_compile_time():
    with pytest.raises(ScriptRejected, match="格式宽度"):
        _evaluate("f'{x:>1000000000}'")
    with pytest.raises(ScriptRejected, match="格式说明"):
        _evaluate("f'{x:>{x}}'")
    assert _evaluate("f'{x:>5}'") == "    1"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"JUHAOBAN_SCRIPT_CPU_MS": "abc"}, "JUHAOBAN_SCRIPT_CPU_MS"),
        ({"JUHAOBAN_SCRIPT_MEMORY_MB": "0"}, "JUHAOBAN_SCRIPT_MEMORY_MB"),
        ({"JUHAOBAN_SCRIPT_CPU_MS": "-5"}, "JUHAOBAN_SCRIPT_CPU_MS"),
    ],
)
def test_a_bad_budget_setting_is_named(env, message):
    with pytest.raises(ValueError, match=message):
        budget_from_env(env)


def test_budget_settings_are_read_from_the_environment():
    budget = budget_from_env({"JUHAOBAN_SCRIPT_CPU_MS": "500", "JUHAOBAN_SCRIPT_MEMORY_MB": "16"})
    assert budget == Budget(cpu_seconds=0.5, memory_bytes=16 * 1024 * 1024)
    assert budget_from_env({}) == Budget()
