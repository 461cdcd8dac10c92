"""Excel workbooks of published snapshots: one sheet per section, numbers stored as numbers.

Rates are stored as fractions with a percent number format, so a leader's own formulas and
charts in Excel work on them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analytics.agri_excel import agri_sheets
from responsibility_catalog.workbook_text import save_without_formulas
from rules.ranking import FIGURE_LABELS, FIGURES

PERCENT = "0.0%"
BOARD = {"red": "红榜", "black": "黑榜", None: ""}
_HEAD = Font(bold=True)
_FILL = {
    "red": PatternFill("solid", fgColor="FFEBEE"),
    "black": PatternFill("solid", fgColor="ECEFF1"),
}


def _sheet(
    book: Workbook,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    percent: Iterable[int] = (),
) -> Worksheet:
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = _HEAD
    for row in rows:
        sheet.append(list(row))
    for column in percent:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = PERCENT
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, 2 * len(name) + 4)
    sheet.freeze_panes = "A2"
    return sheet


def _save(book: Workbook) -> bytes:
    buffer = BytesIO()
    save_without_formulas(book, buffer)  # names and titles people typed stay text
    return buffer.getvalue()


def _unit_rows(group: Mapping[str, Any]) -> list[list[Any]]:
    rows = []
    for r in group["rows"]:
        rows.append(
            [
                r["rank"],
                r["name"],
                BOARD[r["board"]],
                r["score"],
                r["cases"],
                *(r["rates"].get(f) for f in FIGURES),
                *(x for f in FIGURES for x in (r["counts"].get(f) or [None, None])),
            ]
        )
    return rows


def _unit_header() -> list[str]:
    counts = [
        part for f in FIGURES for part in (f"{FIGURE_LABELS[f]}分子", f"{FIGURE_LABELS[f]}分母")
    ]
    return [
        "名次",
        "单位",
        "榜单",
        "综合得分",
        "受理件数",
        *(FIGURE_LABELS[f] for f in FIGURES),
        *counts,
    ]


def _unit_sheet(book: Workbook, title: str, group: Mapping[str, Any]) -> None:
    sheet = _sheet(
        book, title, _unit_header(), _unit_rows(group), percent=range(6, 6 + len(FIGURES))
    )
    for index, r in enumerate(group["rows"], start=2):
        if r["board"] in _FILL:
            for cell in sheet[index]:
                cell.fill = _FILL[r["board"]]


def ranking_workbook(data: Mapping[str, Any]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for group in data["groups"]:
        _unit_sheet(book, group["label"], group)
    policy = data["policy"]
    _sheet(
        book,
        "计分规则",
        ["项目", "值"],
        [
            *((f"权重·{FIGURE_LABELS[f]}", w) for f, w in policy["weights"].items()),
            ("每名网格员每月上报目标（件）", policy["reporting_target"]),
            ("参与排名最少件数", policy["min_cases"]),
            ("红榜名额", policy["red_size"]),
            ("黑榜名额", policy["black_size"]),
            ("红榜最低得分", policy["red_min_score"]),
            ("黑榜得分低于", policy["black_max_score"]),
            ("统计期", data["period"]["label"]),
        ],
    )
    return _save(book)


def report_workbook(data: Mapping[str, Any]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    t = data["totals"]
    _sheet(
        book,
        "总体情况",
        ["指标", "数值"],
        [
            ("受理（有效）", t["received"]),
            ("办结", t["closed"]),
            ("办结率", t["completion_rate"]),
            ("未办结", t["open"]),
            ("未办结·正常办理", t["open_on_time"]),
            ("未办结·超期", t["open_overdue"]),
            ("未办结·延期", t["open_extended"]),
            ("重复合并", t["merged"]),
            ("无效", t["invalid"]),
        ],
    )
    book["总体情况"]["B4"].number_format = PERCENT
    _sheet(
        book,
        "同比环比",
        ["指标", data["period"]["label"], data["previous"]["label"], "变化"],
        [(r["measure"], r["this"], r["previous"], r["change"]) for r in data["comparison"]],
        percent=(4,),
    )
    for cell in book["同比环比"]["B4:C4"][0]:
        cell.number_format = PERCENT
    _sheet(
        book,
        "领域占比",
        ["领域", "件数", "占比", "上期件数", "变化"],
        [
            (d["domain"], d["count"], d["share"], c["previous"], c["change"])
            for d, c in zip(data["domains"], data["domain_changes"], strict=True)
        ],
        percent=(3, 5),
    )
    _sheet(
        book,
        "事项占比",
        ["事项编号", "事项", "领域", "件数", "占比"],
        [
            (m["matter_id"], m["matter"], m["domain"], m["count"], m["share"])
            for m in data["matters"]
        ],
        percent=(5,),
    )
    _sheet(
        book,
        "乡镇高发事项",
        ["乡镇", "件数", "名次", "事项", "件数"],
        [
            (t["township"], t["count"], i, m["matter"], m["count"])
            for t in data["townships"]
            for i, m in enumerate(t["top"] or [{"matter": "", "count": None}], start=1)
        ],
    )
    _sheet(
        book,
        "超期争议热点",
        ["事项编号", "事项", "件数", "超期件数", "超期占比", "争议件数"],
        [
            (
                h["matter_id"],
                h["matter"],
                h["count"],
                h["overdue"],
                h["overdue_share"],
                h["contested"],
            )
            for h in data["hotspots"]
        ],
        percent=(5,),
    )
    _sheet(
        book,
        "月度趋势",
        ["月份", "受理", "去年同月"],
        [(m["month"], m["this"], m["last_year"]) for m in data["monthly"]],
    )
    for group in data["units"]:
        _unit_sheet(book, f"{group['label']}履职", group)
    if data.get("agri"):  # reports published before issue 11 have no agricultural figures
        agri_sheets(book, data["agri"], _sheet)
    return _save(book)
