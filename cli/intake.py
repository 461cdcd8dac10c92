"""Intake learning commands: build a version of the county's suggestion model now (what the
scheduler does nightly at 02:40) and compare the shipped model with the county's."""

from __future__ import annotations

import sys
from typing import Any

import click

from cli.host import open_host
from engine import DEFAULT_COUNTY
from engine.intake import (
    RECENT,
    SHIPPED_TEST,
    NoCatalogInForce,
    evaluate_county_models,
    train_county_model,
)

SPLITS = {SHIPPED_TEST: "内置测试集", RECENT: "本县近期案例"}


def _model_name(label: str) -> str:
    return f"本县模型第 {label[7:]} 版" if label.startswith("county-") else "平台内置模型"


def _figures_line(figures: dict[str, Any]) -> str:
    if not figures.get("n"):
        return "无样本"
    return (
        f"首选命中 {figures['top1']:.1%}，前三命中 {figures['top3']:.1%}，"
        f"无推荐 {figures['no_suggestion']:.1%}，样本 {figures['n']} 条"
    )


@click.group("intake")
def intake_group() -> None:
    """The county's matter-suggestion model (learns from dispatchers' labels)."""


@intake_group.command("train")
@click.option("--county", default=DEFAULT_COUNTY, show_default=True)
def train_command(county: str) -> None:
    """Build and store a new version from the labelled cases, if any changed since the last."""
    try:
        built = train_county_model(open_host(), county=county)
    except NoCatalogInForce as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    if built.version is None:
        click.echo("还没有调度员确认或更正过事项类别的案例，未生成本县模型（继续使用平台内置模型）")
        return
    state = "已生成" if built.created else "标注没有变化，沿用"
    click.echo(
        f"{state}本县模型第 {built.version} 版：训练样本 {built.examples} 条，"
        f"清单 {built.catalog_label}"
    )
    for key, name in SPLITS.items():
        figures = built.figures.get(key) or {}
        click.echo(f"  {name}：{_figures_line(figures)}")
    if built.figures.get(RECENT, {}).get("n"):
        click.echo(
            f"  （近期案例为最近 {built.figures.get('recent_days', 30)} 天的标注，"
            "由未学过这些案例的模型评分）"
        )


@intake_group.command("evaluate")
@click.option("--county", default=DEFAULT_COUNTY, show_default=True)
def evaluate_command(county: str) -> None:
    """Top-1/top-3 of the shipped model and the county's current one, on the shipped test
    split and on the county's recent labelled cases."""
    try:
        report = evaluate_county_models(open_host(), county=county)
    except NoCatalogInForce as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    click.echo(
        f"清单 {report.catalog_label}；本县近期案例：{report.since.isoformat()} 以来标注的 "
        f"{report.recent_labels} 条"
    )
    if report.version is None:
        click.echo("本县还没有模型版本（juhaoban intake train 生成）")
    for row in report.rows:
        note = "（留出评分：模型未学过这些案例）" if row.note == "held_out" else ""
        click.echo(
            f"{_model_name(row.model)} · {SPLITS[row.split]}：{_figures_line(row.figures)}{note}"
        )
