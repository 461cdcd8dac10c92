from __future__ import annotations

import pytest

from engine.core.scripting import RestrictedEnvironment, ScriptRejected, compile_script


def run(script: str, **data):
    env = RestrictedEnvironment(functions={"double": lambda x: 2 * x})
    env.execute(script, data)
    return data


def test_ordinary_scripts_work():
    data = run(
        """
        total = 0
        for n in numbers:
            total += double(n)
        items = sorted(set(numbers))
        d = {}
        d['k'] = len(items)
        """,
        numbers=[3, 1, 3],
    )
    assert (data["total"], data["items"], data["d"]) == (14, [1, 3], {"k": 2})
    assert "double" not in data, "helper functions must not leak into process data"


@pytest.mark.parametrize(
    "script",
    [
        "import os",
        "from subprocess import run",
        "x = open('/etc/passwd')",
        "x = (1).__class__",
        "x = getattr(1, 'real')",
        "x = [c for c in ().__class__.__mro__]",
        "x = eval('1')",
        "__import__('os')",
    ],
)
def test_escapes_are_rejected_before_running(script):
    with pytest.raises(ScriptRejected):
        compile_script(script)


def test_builtins_are_curated_at_run_time():
    # Names not rejected at compile time still have nothing behind them.
    with pytest.raises(NameError):
        run("x = exit")
