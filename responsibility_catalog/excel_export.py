"""Export a catalog version to the organisation department's Excel workbook."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .excel_layout import (
    COLUMNS,
    DOMAIN_HEADERS,
    DOMAINS_SHEET,
    HEADERS,
    MATTER_HEADERS,
    MATTERS_SHEET,
    RULES_SHEET,
    SEPARATOR,
    UNITS_SHEET,
    VERSION_KEYS,
    VERSION_SHEET,
    column_letter,
    unit_label,
    unit_labels,
)
from .model import Catalog
from .workbook_text import save_without_formulas

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")


def export_xlsx(catalog: Catalog, target: str | Path | IO[bytes]) -> None:
    """Write ``catalog`` as a workbook: one row per rule in sheet 责任清单, plus the sheets
    that make the export lossless (see excel_layout)."""
    book = Workbook()
    sheet = book.create_sheet(RULES_SHEET, 0)
    book.remove(book.worksheets[1])  # the default empty sheet
    org = catalog.organisation
    _header(sheet, HEADERS, [c[1] for c in COLUMNS])
    row = 1
    for domain in catalog.domains:
        for matter in domain.matters:
            limits = matter.time_limits
            for rule in matter.rules:
                row += 1
                values = (
                    row - 1,
                    domain.name,
                    matter.id,
                    matter.name,
                    rule.when,
                    unit_label(rule.primary, org),
                    SEPARATOR.join(unit_label(s, org) for s in rule.supporting),
                    rule.basis,
                    str(limits.sign_for),
                    str(limits.handle),
                    limits.extensions,
                    rule.note,
                )
                for col, value in enumerate(values, 1):
                    cell = sheet.cell(row=row, column=col, value=value)
                    cell.alignment = _WRAP
    sheet.freeze_panes = "E2"
    sheet.auto_filter.ref = f"A1:{column_letter(HEADERS[-1])}{row}"

    units = book.create_sheet(UNITS_SHEET)
    _header(units, ("单位名称", "单位编号", "类别"), [30, 20, 12])
    labels = unit_labels(org)
    for i, label in enumerate(labels, 2):
        units.cell(row=i, column=1, value=label)
    for i, unit in enumerate(org.all_units.values(), 4):
        units.cell(row=i, column=2, value=unit.id)
        units.cell(row=i, column=3, value=unit.kind)
    unit_range = f"'{UNITS_SHEET}'!$A$2:$A${len(labels) + 1}"
    last = max(row, 2)
    primary = DataValidation(type="list", formula1=unit_range, allow_blank=False)
    primary.error = "请从单位名录中选择主体责任单位"
    primary.errorTitle = "单位不在名录中"
    primary.add(f"{column_letter('主体责任单位')}2:{column_letter('主体责任单位')}{last + 200}")
    supporting = DataValidation(type="list", formula1=unit_range, allow_blank=True)
    supporting.showErrorMessage = False  # several units joined by 、 are allowed
    supporting.prompt = "可选多个单位，用“、”分隔"
    supporting.add(f"{column_letter('配合责任单位')}2:{column_letter('配合责任单位')}{last + 200}")
    domain_list = DataValidation(
        type="list", formula1=f"'{DOMAINS_SHEET}'!$B$2:$B${len(catalog.domains) + 1}"
    )
    domain_list.add(f"{column_letter('领域')}2:{column_letter('领域')}{last + 200}")
    for validation in (primary, supporting, domain_list):
        sheet.add_data_validation(validation)

    matters = book.create_sheet(MATTERS_SHEET)
    _header(matters, MATTER_HEADERS, [10, 24, 60])
    for i, matter in enumerate(catalog.matters(), 2):
        matters.append([matter.id, matter.name, SEPARATOR.join(matter.keywords)])
        matters.cell(row=i, column=3).alignment = _WRAP
    matters.freeze_panes = "A2"

    domains = book.create_sheet(DOMAINS_SHEET)
    _header(domains, DOMAIN_HEADERS, [10, 24])
    for domain in catalog.domains:
        domains.append([domain.id, domain.name])

    version = book.create_sheet(VERSION_SHEET)
    _header(version, ("项目", "内容"), [12, 70])
    facts = (
        catalog.label,
        catalog.title,
        catalog.status.value,
        catalog.effective.isoformat() if catalog.effective else "",
        catalog.based_on or "",
        catalog.note,
        catalog.content_hash,
    )
    for key, value in zip(VERSION_KEYS, facts, strict=True):
        version.append([key, value])
    version.cell(
        row=len(VERSION_KEYS) + 3, column=1, value="示例数据：巨鹿县演示用，非正式公布文本。"
    )
    save_without_formulas(book, target)


def _header(sheet: Worksheet, headers: tuple[str, ...] | list[str], widths: list[int]) -> None:
    for col, (title, width) in enumerate(zip(headers, widths, strict=True), 1):
        cell = sheet.cell(row=1, column=col, value=title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        sheet.column_dimensions[chr(ord("A") + col - 1)].width = width
    sheet.freeze_panes = "A2"
