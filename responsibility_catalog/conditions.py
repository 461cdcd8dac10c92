"""The condition language of the 适用条件 column: tokens, a small AST, parsing and evaluation.

Syntax (see CONDITIONS.md): atoms such as ``城区建成区``, ``沿省道``, ``距县城≤5公里``,
``乡镇=巨鹿镇`` and ``其他``, combined with ``且``, ``或``, ``非`` and parentheses. Parsing never
evaluates code; it builds frozen dataclasses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

OTHERWISE = "其他"
_OPS = {"<=": "≤", ">=": "≥", "≤": "≤", "≥": "≥", "<": "<", ">": ">", "=": "="}
_TOKEN = re.compile(r"(并且|且|或者|或|非|[()（）])")
_COMPARE = re.compile(r"^(.+?)(<=|>=|≤|≥|<|>|=)(.+)$")
_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)(公里|千米|km)?$")


class ConditionSyntaxError(ValueError):
    """The text is not a condition; the message is Chinese and names the offending part."""


class Facts(Protocol):
    """What a condition can test about one location (read-only, so frozen dataclasses fit)."""

    @property
    def flags(self) -> frozenset[str]: ...
    @property
    def roads(self) -> frozenset[str]: ...
    @property
    def numbers(self) -> dict[str, float]: ...
    @property
    def values(self) -> dict[str, str]: ...


@dataclass(frozen=True)
class Otherwise:
    """``其他``: holds everywhere; used as the last, fallback rule."""

    def holds(self, facts: Facts) -> bool:
        return True

    def __str__(self) -> str:
        return OTHERWISE


@dataclass(frozen=True)
class Flag:
    """A yes/no attribute of a location, e.g. ``城区建成区``."""

    name: str

    def holds(self, facts: Facts) -> bool:
        return self.name in facts.flags

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Along:
    """``沿X``: the location lies along a road of class X (省道) or the road X (S325, 邢德线)."""

    road: str

    def holds(self, facts: Facts) -> bool:
        return self.road in facts.roads

    def __str__(self) -> str:
        return f"沿{self.road}"


@dataclass(frozen=True)
class Compare:
    """A numeric attribute compared with a number, e.g. ``距县城≤5公里``."""

    attribute: str
    op: str
    value: float
    unit: str = ""

    def holds(self, facts: Facts) -> bool:
        actual = facts.numbers.get(self.attribute)
        if actual is None:
            return False
        return {
            "≤": actual <= self.value,
            "≥": actual >= self.value,
            "<": actual < self.value,
            ">": actual > self.value,
            "=": actual == self.value,
        }[self.op]

    def __str__(self) -> str:
        return f"{self.attribute}{self.op}{self.value:g}{self.unit}"


@dataclass(frozen=True)
class Equals:
    """A named attribute equal to a value, e.g. ``乡镇=巨鹿镇``."""

    attribute: str
    value: str

    def holds(self, facts: Facts) -> bool:
        return facts.values.get(self.attribute) == self.value

    def __str__(self) -> str:
        return f"{self.attribute}={self.value}"


@dataclass(frozen=True)
class Not:
    item: Condition

    def holds(self, facts: Facts) -> bool:
        return not self.item.holds(facts)

    def __str__(self) -> str:
        inner = str(self.item)
        return f"非 {inner}" if isinstance(self.item, Atom) else f"非（{inner}）"


@dataclass(frozen=True)
class And:
    items: tuple[Condition, ...]

    def holds(self, facts: Facts) -> bool:
        return all(i.holds(facts) for i in self.items)

    def __str__(self) -> str:
        return " 且 ".join(f"（{i}）" if isinstance(i, Or) else str(i) for i in self.items)


@dataclass(frozen=True)
class Or:
    items: tuple[Condition, ...]

    def holds(self, facts: Facts) -> bool:
        return any(i.holds(facts) for i in self.items)

    def __str__(self) -> str:
        return " 或 ".join(f"（{i}）" if isinstance(i, And) else str(i) for i in self.items)


Atom = Otherwise | Flag | Along | Compare | Equals
Condition = Atom | Not | And | Or


def atoms(condition: Condition) -> list[Atom]:
    """Every atom of a condition, left to right."""
    if isinstance(condition, Not):
        return atoms(condition.item)
    if isinstance(condition, And | Or):
        return [a for i in condition.items for a in atoms(i)]
    return [condition]


def matched_atoms(condition: Condition, facts: Facts) -> list[str]:
    """The parts of a holding condition that made it hold, in Chinese, for explanations."""
    if isinstance(condition, And):
        return [m for i in condition.items for m in matched_atoms(i, facts)]
    if isinstance(condition, Or):
        for item in condition.items:
            if item.holds(facts):
                return matched_atoms(item, facts)
        return []
    if isinstance(condition, Not):
        return [f"不属于“{condition.item}”"]
    if isinstance(condition, Compare):
        actual = facts.numbers.get(condition.attribute)
        return [f"{condition}（实际 {actual:g}{condition.unit}）"]
    if isinstance(condition, Otherwise):
        return ["其他（以上规则均不适用）"]
    return [str(condition)]


@lru_cache(maxsize=4096)
def parse_condition(text: str) -> Condition:
    """Parse the text of a 适用条件 cell into an AST.

    :raises ConditionSyntaxError: when the text is empty or malformed.
    """
    tokens = _tokenize(text)
    if not tokens:
        raise ConditionSyntaxError("适用条件为空；全部适用时请写“其他”")
    parser = _Parser(tokens, text)
    result = parser.parse_or()
    if parser.pos != len(tokens):
        raise ConditionSyntaxError(f"适用条件“{text}”在“{tokens[parser.pos]}”处无法解析")
    return result


def _tokenize(text: str) -> list[str]:
    pieces = _TOKEN.split(text)
    tokens: list[str] = []
    for piece in pieces:
        piece = re.sub(r"\s+", "", piece)
        if not piece:
            continue
        tokens.append({"并且": "且", "或者": "或", "（": "(", "）": ")"}.get(piece, piece))
    return tokens


class _Parser:
    def __init__(self, tokens: list[str], text: str) -> None:
        self.tokens = tokens
        self.text = text
        self.pos = 0

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse_or(self) -> Condition:
        items = [self.parse_and()]
        while self._peek() == "或":
            self.pos += 1
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self) -> Condition:
        items = [self.parse_not()]
        while self._peek() == "且":
            self.pos += 1
            items.append(self.parse_not())
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_not(self) -> Condition:
        if self._peek() == "非":
            self.pos += 1
            return Not(self.parse_not())
        return self.parse_primary()

    def parse_primary(self) -> Condition:
        token = self._peek()
        if token is None:
            raise ConditionSyntaxError(f"适用条件“{self.text}”不完整，结尾缺少条件")
        if token == "(":
            self.pos += 1
            inner = self.parse_or()
            if self._peek() != ")":
                raise ConditionSyntaxError(f"适用条件“{self.text}”缺少右括号")
            self.pos += 1
            return inner
        if token in ("且", "或", ")"):
            raise ConditionSyntaxError(f"适用条件“{self.text}”在“{token}”前缺少条件")
        self.pos += 1
        return _parse_atom(token)


def _parse_atom(token: str) -> Atom:
    if token == OTHERWISE:
        return Otherwise()
    if token.startswith("沿"):
        if len(token) == 1:
            raise ConditionSyntaxError("“沿”后面应写道路等级或道路名称，如“沿省道”")
        return Along(token[1:])
    match = _COMPARE.match(token)
    if match:
        attribute, op, value = match.groups()
        number = _NUMBER.match(value)
        if number:
            return Compare(attribute, _OPS[op], float(number.group(1)), number.group(2) or "")
        if op == "=":
            return Equals(attribute, value)
        raise ConditionSyntaxError(f"“{token}”中“{op}”后面应为数字")
    return Flag(token)
