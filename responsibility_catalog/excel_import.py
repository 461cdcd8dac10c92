"""Import the organisation department's workbook back into a draft Catalog."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from .attributes import unknown_attributes
from .conditions import ConditionSyntaxError, parse_condition
from .excel_layout import (
    DOMAIN_HEADERS,
    DOMAINS_SHEET,
    HEADERS,
    MATTERS_SHEET,
    RULES_SHEET,
    VERSION_KEYS,
    VERSION_SHEET,
    column_for_field,
    column_letter,
    split_list,
    unit_ref,
)
from .model import Catalog, Domain, Matter, Rule, Status
from .organisation import Organisation
from .problems import CatalogInvalid, Problem
from .timelimits import TimeLimit, TimeLimits
from .validator import validate
from .workbook_guard import Sheet, WorkbookRefused, read_workbook


def import_xlsx(
    source: str | Path | IO[bytes], organisation: Organisation, *, label: str | None = None
) -> Catalog:
    """Read a workbook written by ``export_xlsx`` (and edited by people) into a draft.

    Unit names are resolved against ``organisation``, which becomes the draft's tree.

    :param label: the draft's version label; defaults to 版本号 in sheet 版本信息.
    :raises CatalogInvalid: with one problem per bad cell (sheet, row, column, reason), or one
        ``unreadable_file`` problem when the file is not a readable, reasonably sized workbook
        (see ``workbook_guard``); nothing is returned when there is any problem.
    """
    try:
        book = read_workbook(source, (RULES_SHEET, DOMAINS_SHEET, MATTERS_SHEET, VERSION_SHEET))
    except WorkbookRefused as exc:
        name = os.path.basename(source) if isinstance(source, str | os.PathLike) else None
        raise CatalogInvalid([Problem("unreadable_file", exc.message, file=name)]) from exc
    reader = _Reader(organisation)
    if RULES_SHEET not in book:
        raise CatalogInvalid([Problem("missing_sheet", f"缺少工作表“{RULES_SHEET}”")])
    if DOMAINS_SHEET not in book:
        raise CatalogInvalid([Problem("missing_sheet", f"缺少工作表“{DOMAINS_SHEET}”")])
    domains = reader.read_domains(book[DOMAINS_SHEET])
    keywords = reader.read_keywords(book[MATTERS_SHEET]) if MATTERS_SHEET in book else {}
    version = reader.read_version(book[VERSION_SHEET]) if VERSION_SHEET in book else {}
    rows = reader.read_rules(book[RULES_SHEET], domains)
    label = label or version.get("版本号") or ""
    if not label:
        reader.problems.append(
            Problem(
                "missing_value", "没有版本号：请在“版本信息”中填写或导入时指定", sheet=VERSION_SHEET
            )
        )
    if reader.problems:
        raise CatalogInvalid(reader.problems)
    effective = version.get("生效日期") or ""
    catalog = Catalog(
        label=label,
        status=Status.DRAFT,
        effective=date.fromisoformat(effective) if effective else None,
        title=version.get("标题", ""),
        organisation=organisation,
        domains=_assemble(rows, domains, keywords),
        based_on=version.get("基础版本") or None,
        note=version.get("说明", ""),
    )
    problems = [_locate(p, rows) for p in validate(catalog)]
    if problems:
        raise CatalogInvalid(problems)
    return catalog


@dataclass
class _Row:
    number: int
    domain_id: str
    matter_id: str
    name: str
    rule: Rule
    limits: TimeLimits


@dataclass
class _Reader:
    organisation: Organisation
    problems: list[Problem] = field(default_factory=list)

    def bad(
        self, sheet: str, row: int, header: str | None, message: str, code: str = "bad_cell"
    ) -> None:
        column = column_letter(header) if header and sheet == RULES_SHEET else None
        self.problems.append(
            Problem(code, message, sheet=sheet, row=row, column=column, field=header)
        )

    def read_domains(self, ws: Sheet) -> dict[str, str]:
        """Domain name → id."""
        found: dict[str, str] = {}
        self._check_header(ws, DOMAIN_HEADERS)
        for r, values in _rows(ws):
            did, name = _text(values, 0), _text(values, 1)
            if not did or not name:
                self.bad(DOMAINS_SHEET, r, None, "领域编号和领域名称都必须填写", "missing_value")
            elif name in found:
                self.bad(DOMAINS_SHEET, r, None, f"领域名称“{name}”重复", "duplicate_id")
            else:
                found[name] = did
        return found

    def read_keywords(self, ws: Sheet) -> dict[str, tuple[str, ...]]:
        return {_text(v, 0): tuple(split_list(_text(v, 2))) for _, v in _rows(ws) if _text(v, 0)}

    def read_version(self, ws: Sheet) -> dict[str, str]:
        found: dict[str, str] = {}
        for _, values in _rows(ws):
            key = _text(values, 0)
            if key in VERSION_KEYS:
                value = values[1] if len(values) > 1 else None
                found[key] = (
                    value.date().isoformat() if isinstance(value, datetime) else _text(values, 1)
                )
        return found

    def read_rules(self, ws: Sheet, domains: dict[str, str]) -> list[_Row]:
        self._check_header(ws, HEADERS)
        rows: list[_Row] = []
        first_row: dict[str, _Row] = {}
        last_id: str | None = None
        for r, values in _rows(ws):
            before = len(self.problems)
            cell = dict(
                zip(
                    HEADERS,
                    [values[i] if i < len(values) else None for i in range(len(HEADERS))],
                    strict=True,
                )
            )
            text = {h: _text(values, i) for i, h in enumerate(HEADERS)}
            bad = self._bad_at(r)
            serial = cell["序号"]
            if isinstance(serial, bool) or not (isinstance(serial, int) or text["序号"].isdigit()):
                bad("序号", f"序号“{text['序号']}”应为正整数")
            domain_id = domains.get(text["领域"])
            if domain_id is None:
                bad("领域", f"领域“{text['领域']}”不在“{DOMAINS_SHEET}”工作表中")
            matter_id = text["事项编号"]
            if not matter_id or any(ch.isspace() for ch in matter_id):
                bad("事项编号", f"事项编号“{matter_id}”为空或含空格")
            elif matter_id in first_row and last_id != matter_id:
                bad(
                    "事项编号",
                    f"事项 {matter_id} 的规则行不连续"
                    f"（首次出现在第 {first_row[matter_id].number} 行）",
                )
            if not text["事项名称"]:
                bad("事项名称", "事项名称为空")
            self._check_condition(text["适用条件"], bad)
            primary = self._unit(text["主体责任单位"], "主体责任单位", bad)
            supporting = [
                self._unit(name, "配合责任单位", bad) for name in split_list(text["配合责任单位"])
            ]
            if not text["法律依据"]:
                bad("法律依据", "法律依据为空")
            limits = self._limits(cell, text, bad)
            if (
                len(self.problems) > before
                or domain_id is None
                or limits is None
                or primary is None
            ):
                last_id = matter_id
                continue
            row = _Row(
                r,
                domain_id,
                matter_id,
                text["事项名称"],
                Rule(
                    text["适用条件"],
                    primary,
                    tuple(s for s in supporting if s),
                    text["法律依据"],
                    text["备注"],
                ),
                limits,
            )
            first = first_row.setdefault(matter_id, row)
            if first is not row:
                for header, mine, theirs in (
                    ("领域", row.domain_id, first.domain_id),
                    ("事项名称", row.name, first.name),
                    ("签收时限", row.limits, first.limits),
                ):
                    if mine != theirs:
                        bad(
                            header,
                            f"与同一事项第 {first.number} 行不一致（领域、名称和时限须相同）",
                        )
            last_id = matter_id
            rows.append(row)
        if not rows and not self.problems:
            self.problems.append(
                Problem("missing_value", "工作表中没有任何规则行", sheet=RULES_SHEET)
            )
        return rows

    def _bad_at(self, r: int) -> Any:
        return lambda header, message: self.bad(RULES_SHEET, r, header, message)

    def _check_header(self, ws: Sheet, headers: tuple[str, ...]) -> None:
        first = ws.rows[0] if ws.rows else ()
        for i, expected in enumerate(headers, 1):
            actual = first[i - 1] if i <= len(first) else None
            if actual != expected:
                self.problems.append(
                    Problem(
                        "bad_header",
                        f"表头应为“{expected}”，实际为“{actual or ''}”",
                        sheet=ws.title,
                        row=1,
                        column=chr(ord("A") + i - 1),
                    )
                )

    def _check_condition(self, text: str, bad: Any) -> None:
        try:
            condition = parse_condition(text)
        except ConditionSyntaxError as exc:
            bad("适用条件", str(exc))
            return
        for message in unknown_attributes(condition, self.organisation):
            bad("适用条件", message)

    def _unit(self, name: str, header: str, bad: Any) -> str | None:
        if not name:
            if header == "主体责任单位":
                bad(header, "主体责任单位为空")
            return None
        ref = unit_ref(name, self.organisation)
        if ref is None:
            bad(header, f"单位“{name}”不在单位名录中")
        return ref

    def _limits(self, cell: dict[str, Any], text: dict[str, str], bad: Any) -> TimeLimits | None:
        parsed: list[TimeLimit] = []
        for header in ("签收时限", "办理时限"):
            try:
                parsed.append(TimeLimit.parse(text[header]))
            except ValueError as exc:
                bad(header, str(exc))
        extensions = cell["可延期次数"]
        if isinstance(extensions, str) and extensions.strip().isdigit():
            extensions = int(extensions)
        if isinstance(extensions, float) and extensions.is_integer():
            extensions = int(extensions)
        if isinstance(extensions, bool) or not isinstance(extensions, int) or extensions < 0:
            bad("可延期次数", f"可延期次数“{text['可延期次数']}”应为不小于 0 的整数")
            return None
        if len(parsed) < 2:
            return None
        limits = TimeLimits(parsed[0], parsed[1], extensions)
        for message in limits.problems():
            bad("可延期次数" if "延期" in message else "签收时限", message)
        return None if limits.problems() else limits


def _rows(ws: Sheet) -> Any:
    for r, values in enumerate(ws.rows[1:], 2):
        if any(v is not None and str(v).strip() for v in values):
            yield r, list(values)


def _text(values: list[Any], index: int) -> str:
    value = values[index] if index < len(values) else None
    return "" if value is None else str(value).strip()


def _assemble(
    rows: list[_Row], domains: dict[str, str], keywords: dict[str, tuple[str, ...]]
) -> tuple[Domain, ...]:
    names = {did: name for name, did in domains.items()}
    grouped: dict[str, dict[str, list[_Row]]] = {did: {} for did in domains.values()}
    for row in rows:
        grouped[row.domain_id].setdefault(row.matter_id, []).append(row)
    result: list[Domain] = []
    for did, matters in grouped.items():
        built = tuple(
            Matter(
                id=mid,
                name=group[0].name,
                keywords=keywords.get(mid, ()),
                time_limits=group[0].limits,
                rules=tuple(r.rule for r in group),
                source=f"{RULES_SHEET} 第 {group[0].number} 行",
            )
            for mid, group in matters.items()
        )
        result.append(Domain(did, names[did], built))
    return tuple(result)


def _locate(problem: Problem, rows: list[_Row]) -> Problem:
    """Point a validator problem at the sheet row and column it concerns."""
    if problem.matter_id is None:
        return problem
    matter_rows = [r for r in rows if r.matter_id == problem.matter_id]
    if not matter_rows:
        return problem
    number = problem.rule_number or 1
    row = matter_rows[min(number, len(matter_rows)) - 1]
    column = column_for_field(problem.field) or column_letter("适用条件")
    header = HEADERS[ord(column) - ord("A")]
    return Problem(
        problem.code,
        problem.message,
        sheet=RULES_SHEET,
        row=row.number,
        column=column,
        field=header,
        matter_id=problem.matter_id,
        rule_number=problem.rule_number,
    )
