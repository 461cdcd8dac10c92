"""A what-if report (simulation/whatif.py) as an Excel workbook: 总览, 按单位, 按乡镇, with the
version in force, the draft and the difference of every measure as numbers (rates as
percentages by cell format, so they still sum and sort in Excel)."""

from __future__ import annotations

from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from simulation.whatif import MEASURES, Measure, difference, verdict

_FORMATS = {"count": "0", "days": "0.00", "rate": "0.0%"}
_FILLS = {
    "better": PatternFill("solid", fgColor="D9F2D9"),
    "worse": PatternFill("solid", fgColor="F8D7D7"),
    "changed": PatternFill("solid", fgColor="FFF2CC"),
}
_BOLD = Font(bold=True)


def _sides(report: dict[str, Any]) -> tuple[str, str]:
    return f"现行清单 {report['base']['label']}", f"草稿 {report['draft']['label']}"


def _put(sheet: Worksheet, row: int, column: int, value: Any, measure: Measure) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    cell.number_format = _FORMATS[measure.kind]


def _overview(sheet: Worksheet, report: dict[str, Any]) -> None:
    base, draft = _sides(report)
    info = (
        ("回放时段", f"{report['period'][0]} 至 {report['period'][1]}"),
        ("规模", report["scale"]),
        ("回放诉求数", report["requests"]),
        ("时段内诉求总数", report["recorded"]),
    )
    for row, (label, value) in enumerate(info, 1):
        sheet.cell(row=row, column=1, value=label).font = _BOLD
        sheet.cell(row=row, column=2, value=value)
    header = len(info) + 2
    for column, title in enumerate(("指标", base, draft, "差值（草稿－现行）"), 1):
        sheet.cell(row=header, column=column, value=title).font = _BOLD
    totals = report["total"]
    for row, measure in enumerate(MEASURES, header + 1):
        a, b = totals["base"][measure.key], totals["draft"][measure.key]
        sheet.cell(row=row, column=1, value=measure.label)
        _put(sheet, row, 2, a, measure)
        _put(sheet, row, 3, b, measure)
        _put(sheet, row, 4, difference(a, b), measure)
        if fill := _FILLS.get(verdict(measure, a, b)):
            sheet.cell(row=row, column=4).fill = fill
    sheet.column_dimensions["A"].width = 22
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 20


def _breakdown(sheet: Worksheet, rows: list[dict[str, Any]], first: str, report: dict) -> None:
    base, draft = _sides(report)
    sheet.cell(row=1, column=1, value=first).font = _BOLD
    sheet.cell(row=1, column=2, value="编号").font = _BOLD
    column = 3
    for measure in MEASURES:
        for side in (base, draft, "差值"):
            sheet.cell(row=1, column=column, value=f"{measure.label}·{side}").font = _BOLD
            column += 1
    for r, item in enumerate(rows, 2):
        sheet.cell(row=r, column=1, value=item["name"])
        sheet.cell(row=r, column=2, value=item["id"])
        column = 3
        for measure in MEASURES:
            a, b = item["base"][measure.key], item["draft"][measure.key]
            _put(sheet, r, column, a, measure)
            _put(sheet, r, column + 1, b, measure)
            _put(sheet, r, column + 2, difference(a, b), measure)
            if fill := _FILLS.get(verdict(measure, a, b)):
                sheet.cell(row=r, column=column + 2).fill = fill
            column += 3
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 18


def write_xlsx(report: dict[str, Any], stream: IO[bytes]) -> None:
    book = Workbook()
    overview = book.active
    assert overview is not None  # a new workbook has its first sheet
    overview.title = "总览"
    _overview(overview, report)
    _breakdown(book.create_sheet("按单位"), report["unit"], "责任单位", report)
    _breakdown(book.create_sheet("按乡镇"), report["township"], "乡镇", report)
    book.save(stream)
