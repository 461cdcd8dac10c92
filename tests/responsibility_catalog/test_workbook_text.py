"""Text that looks like a formula is exported as text and reads back unchanged."""

from __future__ import annotations

import dataclasses
import io

from openpyxl import Workbook, load_workbook

from responsibility_catalog import Catalog, import_xlsx
from responsibility_catalog.workbook_text import save_without_formulas

from .hostile_workbooks import FORMULA, exported_bytes, formulas_and_text_cells


def renamed(catalog: Catalog, matter_id: str, name: str) -> Catalog:
    domains = tuple(
        dataclasses.replace(
            d,
            matters=tuple(
                dataclasses.replace(m, name=name) if m.id == matter_id else m for m in d.matters
            ),
        )
        for d in catalog.domains
    )
    return dataclasses.replace(catalog, domains=domains)


def test_a_matter_named_like_a_formula_is_exported_as_text(published: Catalog) -> None:
    catalog = renamed(published, "D04-01", FORMULA)
    data = exported_bytes(catalog)
    formulas, cells = formulas_and_text_cells(data, FORMULA)
    assert formulas == []
    # One cell per rule of D04-01 in 责任清单, one in 事项补充信息: all text, quote-prefixed.
    assert len(cells) == len(catalog.matters_by_id["D04-01"].rules) + 1
    assert {(c["type"], c["quote_prefix"]) for c in cells} == {("inlineStr", "True")}
    assert import_xlsx(io.BytesIO(data), published.organisation).matters_by_id["D04-01"].name == (
        FORMULA
    )


def test_every_leading_formula_character_is_neutralised_and_numbers_stay_numbers() -> None:
    texts = ["=1+1", "+1+1", "-1+1", "@SUM(1)", "\t=1", "\r=1", "＝1+1", "#N/A", "普通文字"]
    book = Workbook()
    book.active.append([*texts, 42, -3.5])
    buffer = io.BytesIO()
    save_without_formulas(book, buffer)
    for text in texts:
        formulas, cells = formulas_and_text_cells(buffer.getvalue(), text)
        assert formulas == []
        assert [c["type"] for c in cells] == ["inlineStr"], text
        assert cells[0]["quote_prefix"] == str(text[0] not in "#普"), text
    values = [c.value for c in load_workbook(io.BytesIO(buffer.getvalue())).active[1]]
    assert values == [*texts, 42, -3.5]
