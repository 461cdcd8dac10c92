"""Names in the leaders' workbooks that look like formulas are stored as text."""

from __future__ import annotations

from analytics import ranking_workbook
from tests.responsibility_catalog.hostile_workbooks import FORMULA, formulas_and_text_cells


def test_a_unit_named_like_a_formula_is_text_in_the_ranking_workbook() -> None:
    data = {
        "groups": [
            {
                "label": "县直部门",
                "rows": [
                    {
                        "rank": 1,
                        "name": FORMULA,
                        "board": "red",
                        "score": 91.5,
                        "cases": 12,
                        "rates": {"completion": 0.75},
                        "counts": {"completion": [9, 12]},
                    }
                ],
            }
        ],
        "policy": {
            "weights": {"completion": 1.0},
            "reporting_target": 4,
            "min_cases": 3,
            "red_size": 3,
            "black_size": 3,
            "red_min_score": 80,
            "black_max_score": 60,
        },
        "period": {"label": "2026年3月"},
    }
    formulas, cells = formulas_and_text_cells(ranking_workbook(data), FORMULA)
    assert formulas == []
    assert cells == [
        {"sheet": "xl/worksheets/sheet1.xml", "type": "inlineStr", "quote_prefix": "True"}
    ]
