"""Problems found in a definition: what is wrong, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a diagram, pinned to an element so editors can show it in place.

    :param code: a stable machine-readable key (``unquoted-timer``, ``duplicate-timer-name`` ...).
    :param message: what is wrong, in Chinese, for the process designer.
    :param element_id: the BPMN element at fault, or ``None`` for document-level problems.
    :param fix: a suggested replacement value where one is obvious (e.g. the quoted timer).
    """

    code: str
    message: str
    element_id: str | None = None
    line: int | None = None
    fix: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "element_id": self.element_id,
            "line": self.line,
            "fix": self.fix,
        }

    def __str__(self) -> str:
        where = f"[{self.element_id}] " if self.element_id else ""
        line = f"(第 {self.line} 行) " if self.line else ""
        return f"{where}{line}{self.message}"


class DefinitionInvalid(ValueError):
    """A diagram failed parsing or lint; nothing was stored."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
