"""Problems found in a definition: what is wrong, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a diagram, pinned to an element so editors can show it in place.

    :param code: a stable machine-readable key (``unquoted-timer``, ``duplicate-timer-name`` ...).
    :param message: what is wrong, in Chinese, for the process designer.
    :param element_id: the visible BPMN element at fault (a task, event, gateway or sequence
        flow the editor draws), or ``None`` for document-level problems.
    :param fix: a suggested replacement value where one is obvious (e.g. the quoted timer).
    :param detail: the original English text of the parser or engine, when the message
        translates one; kept for whoever has to look deeper.
    :param path: ids of the subprocesses (and transactions) enclosing ``element_id``, from the
        top level down; empty at the top level. The editor marks the outermost collapsed one.
    """

    code: str
    message: str
    element_id: str | None = None
    line: int | None = None
    fix: str | None = None
    detail: str | None = None
    path: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "element_id": self.element_id,
            "line": self.line,
            "fix": self.fix,
            "detail": self.detail,
            "subprocess_path": list(self.path),
        }

    def __str__(self) -> str:
        where = f"[{self.element_id}] " if self.element_id else ""
        # Markup errors already begin with their line ("第 12 行，元素 …附近").
        said = self.line and self.message.startswith(f"第 {self.line} 行")
        line = f"(第 {self.line} 行) " if self.line and not said else ""
        return f"{where}{line}{self.message}"


class DefinitionInvalid(ValueError):
    """A diagram failed parsing or lint; nothing was stored."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
