"""Excel export and import for the organisation department's sheet."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from openpyxl import Workbook, load_workbook

from responsibility_catalog import Catalog, CatalogInvalid, Status, export_xlsx, import_xlsx
from responsibility_catalog.excel_layout import HEADERS, RULES_SHEET


def exported(catalog: Catalog) -> Workbook:
    buffer = io.BytesIO()
    export_xlsx(catalog, buffer)
    buffer.seek(0)
    return load_workbook(buffer)


def reimport(book: Workbook, catalog: Catalog) -> Catalog:
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return import_xlsx(buffer, catalog.organisation)


def problems_after(catalog: Catalog, change: Callable[[Workbook], None]) -> list[tuple]:
    book = exported(catalog)
    change(book)
    with pytest.raises(CatalogInvalid) as caught:
        reimport(book, catalog)
    return [(p.sheet, p.row, p.column, p.code) for p in caught.value.problems]


@pytest.mark.parametrize("label", ["2020-05", "2022-06"])
def test_export_then_import_is_lossless(catalogs: tuple[Catalog, ...], label: str) -> None:
    catalog = next(c for c in catalogs if c.label == label)
    draft = reimport(exported(catalog), catalog)
    assert draft.domains == catalog.domains
    assert draft.content_hash == catalog.content_hash
    assert (draft.label, draft.title, draft.effective, draft.based_on, draft.note) == (
        catalog.label,
        catalog.title,
        catalog.effective,
        catalog.based_on,
        catalog.note,
    )
    assert draft.status is Status.DRAFT


def test_sheet_has_one_row_per_rule_and_the_departments_layout(published: Catalog) -> None:
    book = exported(published)
    sheet = book[RULES_SHEET]
    assert [c.value for c in sheet[1]] == list(HEADERS)
    assert sheet.max_row - 1 == sum(len(m.rules) for m in published.matters())
    assert sheet.freeze_panes == "E2"
    assert sheet.column_dimensions["E"].width == 30
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    zhandao = [r for r in rows if r[2] == "D04-01"]
    assert [r[4:7] for r in zhandao] == [
        ["城区建成区", "县城市管理综合行政执法局", "属地乡镇"],
        ["沿省道 且 距县城≤5公里", "县城市管理综合行政执法局", "属地乡镇"],
        ["其他", "属地乡镇", "县城市管理综合行政执法局"],
    ]
    assert zhandao[0][8:11] == ["2小时", "5个工作日", 1]
    validations = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert any(f.startswith("'单位名录'!$A$2") for f in validations.values())
    assert set(book.sheetnames) == {RULES_SHEET, "单位名录", "事项补充信息", "领域", "版本信息"}


def test_an_import_full_of_mistakes_reports_every_bad_cell(published: Catalog) -> None:
    def spoil(book: Workbook) -> None:
        sheet = book[RULES_SHEET]
        sheet["C1"] = "编号"
        sheet["F2"] = "县城管局"
        sheet["E3"] = "城区建成区 且"
        sheet["I4"] = "两小时"
        sheet["K5"] = "多次"
        sheet["B6"] = "不存在的领域"
        sheet["G7"] = "属地乡镇、县消防队"
        sheet["E8"] = "开发区"
        sheet["A9"] = "九"
        sheet["D10"] = None
        sheet["H11"] = ""

    assert problems_after(published, spoil) == [
        (RULES_SHEET, 1, "C", "bad_header"),
        (RULES_SHEET, 2, "F", "bad_cell"),
        (RULES_SHEET, 3, "E", "bad_cell"),
        (RULES_SHEET, 4, "I", "bad_cell"),
        (RULES_SHEET, 5, "K", "bad_cell"),
        (RULES_SHEET, 6, "B", "bad_cell"),
        (RULES_SHEET, 7, "G", "bad_cell"),
        (RULES_SHEET, 8, "E", "bad_cell"),
        (RULES_SHEET, 9, "A", "bad_cell"),
        (RULES_SHEET, 10, "D", "bad_cell"),
        (RULES_SHEET, 11, "H", "bad_cell"),
    ]


def test_bad_cell_messages_say_where_and_why(published: Catalog) -> None:
    book = exported(published)
    book[RULES_SHEET]["F2"] = "县城管局"
    with pytest.raises(CatalogInvalid) as caught:
        reimport(book, published)
    assert [str(p) for p in caught.value.problems] == [
        "工作表“责任清单”，第 2 行，F 列（主体责任单位）：单位“县城管局”不在单位名录中"
    ]


def find_row(book: Workbook, matter_id: str, when: str) -> int:
    for row in book[RULES_SHEET].iter_rows(min_row=2):
        if row[2].value == matter_id and row[4].value == when:
            return row[0].row
    raise AssertionError(f"{matter_id} {when} not exported")


def test_rules_that_leave_villages_uncovered_are_reported_on_the_matters_row(
    published: Catalog,
) -> None:
    book = exported(published)
    row = find_row(book, "D04-01", "其他")
    book[RULES_SHEET].delete_rows(row)
    first = find_row(book, "D04-01", "城区建成区")
    with pytest.raises(CatalogInvalid) as caught:
        reimport(book, published)
    assert [(p.row, p.column, p.code) for p in caught.value.problems] == [(first, "E", "not_total")]


def test_ambiguous_rules_are_reported_on_the_second_rules_condition(published: Catalog) -> None:
    book = exported(published)
    row = find_row(book, "D04-01", "沿省道 且 距县城≤5公里")
    book[RULES_SHEET][f"E{row}"] = "乡镇=巨鹿镇"
    book[RULES_SHEET][f"F{row}"] = "巨鹿镇"
    with pytest.raises(CatalogInvalid) as caught:
        reimport(book, published)
    problems = [(p.row, p.column, p.code) for p in caught.value.problems]
    assert (row, "E", "ambiguous") in problems


def test_rows_of_one_matter_must_agree_on_time_limits(published: Catalog) -> None:
    book = exported(published)
    row = find_row(book, "D04-01", "其他")
    book[RULES_SHEET][f"I{row}"] = "4小时"
    assert problems_after_book(book, published) == [(RULES_SHEET, row, "I", "bad_cell")]


def problems_after_book(book: Workbook, catalog: Catalog) -> list[tuple]:
    with pytest.raises(CatalogInvalid) as caught:
        reimport(book, catalog)
    return [(p.sheet, p.row, p.column, p.code) for p in caught.value.problems]


def test_a_file_that_is_not_a_workbook_is_reported(published: Catalog) -> None:
    with pytest.raises(CatalogInvalid) as caught:
        import_xlsx(io.BytesIO(b"not a workbook"), published.organisation)
    assert [p.code for p in caught.value.problems] == ["unreadable_file"]


def test_an_edited_keyword_sheet_changes_only_the_keywords(published: Catalog) -> None:
    book = exported(published)
    sheet = book["事项补充信息"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "D09-01")
    row[2].value = "路灯、灯不亮"
    draft = reimport(book, published)
    assert draft.matters_by_id["D09-01"].keywords == ("路灯", "灯不亮")
    assert draft.content_hash != published.content_hash
