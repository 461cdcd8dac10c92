"""The agricultural sheets of the report's Excel workbook (figures of ``analytics.agri``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from openpyxl import Workbook


def agri_sheets(book: Workbook, figures: Mapping[str, Any], sheet: Callable[..., Any]) -> None:
    """Add 农技咨询 (totals, by crop and symptom, by month) and 农技指导推送 (reach).

    :param sheet: the workbook's sheet writer (``analytics.excel._sheet``).
    """
    reach = figures["pushes"]
    sheet(
        book,
        "农技咨询",
        ["指标", "数值"],
        [
            ("农技咨询（件）", figures["questions"]),
            ("已答复", figures["answered"]),
            ("未结束", figures["open"]),
            ("逾期升级至局负责人", figures["escalated"]),
            ("平均首次答复用时（小时）", figures["avg_answer_hours"]),
            ("最长首次答复用时（小时）", figures["max_answer_hours"]),
            ("已评价", figures["rated"]),
            ("平均评价（5分制）", figures["avg_rating"]),
            ("指导推送（次）", reach["count"]),
            ("送达种植户（户次）", reach["reached"]),
            ("确认阅读（户次）", reach["read"]),
        ],
    )
    sheet(
        book,
        "农技咨询分类",
        ["作物", "症状", "件数"],
        [(r["crop"], r["symptom"], r["count"]) for r in figures["by_symptom"]],
    )
    sheet(
        book,
        "农技咨询月度",
        ["月份", "件数"],
        [(m["month"], m["count"]) for m in figures["monthly"]],
    )
    sheet(
        book,
        "农技指导推送",
        ["指导", "作物", "推送时间（北京）", "送达种植户", "确认阅读"],
        [
            (p["title"], p["crop"], p["sent_at"], p["recipients"], p["read"])
            for p in reach["latest"]
        ],
    )
