"""Command line for the responsibility catalog: validate, export, diff, and route.

``catalog_group`` and ``route_command`` are wired into the ``juhaoban`` console script in
cli/main.py. These commands work on catalog files; those that need the database (import,
publish) live there.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

import click

from responsibility_catalog import (
    Catalog,
    CatalogInvalid,
    Problem,
    diff_catalogs,
    export_xlsx,
    find_version,
    import_xlsx,
    latest_published,
    load_catalogs,
    read_catalogs,
    render_diff,
    select_in_force,
    shipped_data_path,
)
from rules import ComplaintFacts, Outcome, explain, route

EXIT_UNRESOLVED = 3

_data_option = click.option(
    "--data",
    "data",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Data root holding organisation/ and catalog/ (default: the shipped sample data).",
)


def _fail(message: str, problems: tuple[Problem, ...] | list[Problem] = ()) -> NoReturn:
    click.echo(message, err=True)
    for problem in problems:
        click.echo(f"  - {problem}  [{problem.code}]", err=True)
    sys.exit(1)


_db_option = click.option(
    "--db",
    "from_db",
    is_flag=True,
    help="Use the versions stored in the platform database (drafts included) instead of files.",
)


def _load(data: Path | None, from_db: bool = False) -> tuple[Catalog, ...]:
    if from_db:
        if data is not None:
            _fail("--db 与 --data 只能二选一")
        return _load_from_database()
    try:
        return load_catalogs(data or shipped_data_path())
    except CatalogInvalid as err:
        _fail(f"清单数据有 {len(err.problems)} 处问题，无法使用：", err.problems)


def _pick(catalogs: tuple[Catalog, ...], label: str | None) -> Catalog:
    chosen = latest_published(catalogs) if label is None else find_version(catalogs, label)
    if chosen is not None:
        return chosen
    if label is None:
        _fail("没有已公布的清单版本；请用 --version 指定")
    known = "、".join(c.label for c in catalogs)
    _fail(f"没有版本“{label}”（现有：{known}）")


def _load_from_database() -> tuple[Catalog, ...]:
    from cli.host import open_host
    from engine import DEFAULT_COUNTY
    from engine.catalog_store import CatalogVersionDesk

    catalogs = CatalogVersionDesk(open_host()).catalogs(county=DEFAULT_COUNTY)
    if not catalogs:
        _fail("数据库中还没有清单版本（先运行 juhaoban catalog seed 或 juhaoban demo）")
    return catalogs


@click.group("catalog")
def catalog_group() -> None:
    """Responsibility catalog (事项主体责任和配合责任清单): validate, export, diff."""


@catalog_group.command("validate")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def validate_command(path: Path | None) -> None:
    """Validate the catalog at PATH (a data root, or an .xlsx workbook checked against the
    shipped organisation tree); default: the shipped data. Exit 1 on any problem."""
    root = path or shipped_data_path()
    if root.is_file():
        _validate_workbook(root)
        return
    catalogs, problems = read_catalogs(root)
    if problems:
        _fail(f"{root}：发现 {len(problems)} 个问题", problems)
    for catalog in catalogs:
        click.echo(
            f"{catalog.label}（{catalog.status.label}，生效 {catalog.effective or '未定'}）："
            f"校验通过，{len(catalog.domains)} 个领域，{len(catalog.matters())} 项事项，"
            f"校验码 {catalog.content_hash[:12]}"
        )


def _validate_workbook(path: Path) -> None:
    catalogs = _load(None)
    organisation = catalogs[-1].organisation
    try:
        draft = import_xlsx(path, organisation)
    except CatalogInvalid as err:
        _fail(f"{path.name}：发现 {len(err.problems)} 个问题", err.problems)
    click.echo(f"{path.name}：校验通过，{len(draft.matters())} 项事项（版本 {draft.label}）")


@catalog_group.command("export")
@click.option("--xlsx", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--version", "label", default=None, help="Version label (default: latest published).")
@_data_option
@_db_option
def export_command(out: Path, label: str | None, data: Path | None, from_db: bool) -> None:
    """Export one version to the organisation department's Excel sheet."""
    catalog = _pick(_load(data, from_db), label)
    try:
        export_xlsx(catalog, out)
    except OSError as exc:
        _fail(f"无法写入 {out}：{exc}")
    rules = sum(len(m.rules) for m in catalog.matters())
    click.echo(
        f"已导出版本 {catalog.label}：{len(catalog.matters())} 项事项，{rules} 条规则 → {out}"
    )


@catalog_group.command("diff")
@click.argument("old")
@click.argument("new")
@_data_option
@_db_option
def diff_command(old: str, new: str, data: Path | None, from_db: bool) -> None:
    """List what changed from version OLD to version NEW, in Chinese."""
    catalogs = _load(data, from_db)
    click.echo(render_diff(diff_catalogs(_pick(catalogs, old), _pick(catalogs, new))))


@click.command("route")
@click.option("--matter", required=True, help="Matter id (D04-01) or exact name (占道经营).")
@click.option("--village", required=True, help="Village id, name, or 乡镇/村.")
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Arrival date: route by the version in force then (default: latest published).",
)
@click.option("--version", "label", default=None, help="Route by this version label instead.")
@click.option("--json", "as_json", is_flag=True, help="Print the decision as JSON.")
@_data_option
@_db_option
def route_command(
    matter: str,
    village: str,
    on: object,
    label: str | None,
    as_json: bool,
    data: Path | None,
    from_db: bool,
) -> None:
    """Route a complaint by the catalog and explain the decision.

    Exit status: 0 assigned or sent to the dispatcher by the catalog, 3 unresolved.
    """
    catalogs = _load(data, from_db)
    if on is not None and label is not None:
        _fail("--date 与 --version 只能二选一")
    if on is not None:
        day: date = on.date()  # type: ignore[attr-defined]  # click.DateTime gives a datetime
        catalog = select_in_force(catalogs, day)
        if catalog is None:
            _fail(f"{day.isoformat()} 没有生效的清单版本")
    else:
        catalog = _pick(catalogs, label)
    decision = route(ComplaintFacts(matter=matter, village=village), catalog)
    text = explain(decision)
    if as_json:
        payload = {"decision": decision.to_dict(), "explanation": text}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(text)
    if decision.outcome is Outcome.UNRESOLVED:
        sys.exit(EXIT_UNRESOLVED)
