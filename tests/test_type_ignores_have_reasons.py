"""Every ``type: ignore`` says which error it silences and why (issue 23).

A bare ``# type: ignore`` hides every error on its line, including the ones nobody has seen
yet; one with a code but no reason cannot be judged when the code around it changes. So each
must read ``# type: ignore[attr-defined]  # SpiffWorkflow's Task has no stubs`` — the reason
after it on the same line, or in a comment on the line just above when the line is full.
"""

from __future__ import annotations

import io
import os
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {
    ".venv",
    "node_modules",
    ".git",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    "build",
    "dist",
}
IGNORE = re.compile(r"#\s*type:\s*ignore\b(?P<codes>\[[^\]]*\])?(?P<rest>.*)$")
# Pragmas that may share the line but explain nothing.
PRAGMA = re.compile(r"^(noqa|pragma|type:|pyright:|pylint:|fmt:)")


def _python_files() -> Iterator[Path]:
    for folder, dirs, files in os.walk(ROOT):
        # Pruned in place so the walk never enters .venv or node_modules.
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info"))
        yield from (Path(folder, name) for name in sorted(files) if name.endswith(".py"))


def _comments(source: str) -> Iterator[tuple[int, str]]:
    """(line number, comment text) of every comment; strings that mention the pragma don't
    count. A file the tokenizer cannot read is scanned line by line."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                yield token.start[0], token.string
    except (tokenize.TokenError, SyntaxError):
        for number, line in enumerate(source.splitlines(), 1):
            if "#" in line:
                yield number, line[line.index("#") :]


def _has_reason(rest: str) -> bool:
    parts = [part.strip() for part in rest.split("#")]
    return any(len(part.split()) >= 2 and not PRAGMA.match(part) for part in parts if part)


def problems_in(source: str) -> list[tuple[int, str]]:
    """(line number, what is wrong) for each ``type: ignore`` that lacks a code or a reason."""
    lines = source.splitlines()
    found = []
    for number, comment in _comments(source):
        match = IGNORE.search(comment)
        if match is None:
            continue
        codes = (match["codes"] or "").strip("[] ")
        if not codes:
            found.append((number, "no error code: write type: ignore[<code>]"))
            continue
        above = lines[number - 2].strip() if number >= 2 else ""
        if not _has_reason(match["rest"]) and not above.startswith("#"):
            found.append((number, f"type: ignore[{codes}] without a reason"))
    return found


def test_every_type_ignore_names_its_error_and_gives_a_reason() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {problem}"
        for path in _python_files()
        for number, problem in problems_in(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize(
    "line",
    [
        "x = f()  # type: ignore\n",
        "x = f()  # type: ignore[]  # has no code\n",
        "x = f()  # type: ignore[attr-defined]\n",
        "x = f()  # type: ignore[attr-defined]  # noqa: E501\n",
        "x = f()  # type: ignore[attr-defined]  # why\n",
        "def f():  # type:ignore[no-untyped-def]\n",
    ],
)
def test_a_bare_or_unexplained_ignore_is_found(line: str) -> None:
    assert len(problems_in("import os\n" + line)) == 1


@pytest.mark.parametrize(
    "source",
    [
        "x = f()  # type: ignore[attr-defined]  # SpiffWorkflow's Task has no stubs\n",
        "x = f()  # type: ignore[misc, arg-type]  # noqa: E501  # stubs lag the library\n",
        "# The stubs say str; it returns bytes.\nx = f()  # type: ignore[assignment]\n",
        'text = "# type: ignore"  # a string that mentions it is no pragma\n',
    ],
)
def test_an_explained_ignore_passes(source: str) -> None:
    assert problems_in(source) == []
