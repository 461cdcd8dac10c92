"""Problems found in catalog data, and the exception that carries them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with catalog data, located as precisely as the source allows.

    ``code`` is a stable machine-readable key (``unknown_unit``, ``ambiguous`` …); ``message``
    is Chinese text for the organisation department. ``rule_number`` is 1-based, as people
    count rules. Excel problems carry ``sheet``, ``row`` (1-based) and ``column`` (letter).
    """

    code: str
    message: str
    version: str | None = None
    file: str | None = None
    matter_id: str | None = None
    rule_number: int | None = None
    field: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def where(self) -> str:
        """Render the location part in Chinese, e.g. ``文件 a.yaml，事项 D04-01，规则 2``."""
        parts: list[str] = []
        if self.version:
            parts.append(f"版本 {self.version}")
        if self.file:
            parts.append(f"文件 {self.file}")
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:
            header = f"（{self.field}）" if self.field else ""
            parts.append(f"{self.column} 列{header}")
        if self.matter_id:
            parts.append(f"事项 {self.matter_id}")
        if self.rule_number is not None:
            parts.append(f"规则 {self.rule_number}")
        if self.field and not self.column:
            parts.append(f"字段 {self.field}")
        return "，".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}：{self.message}" if where else self.message

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class CatalogInvalid(Exception):
    """Catalog data that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self.render())

    def render(self) -> str:
        lines = [f"清单数据有 {len(self.problems)} 处问题："]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class CatalogImmutable(Exception):
    """An attempt to change a published or superseded catalog version."""


class SchemaError(ValueError):
    """A data file does not have the expected shape; ``field`` names the offending key."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")
