"""Catalog commands that work on the platform database: seed, versions, import, publish."""

from __future__ import annotations

from pathlib import Path

import click

from cli.catalog import _fail, catalog_group
from cli.host import open_host
from engine import DEFAULT_COUNTY, WorkflowHost
from engine.catalog_revision import NothingPublished, import_workbook
from engine.catalog_store import (
    CatalogLifecycleError,
    CatalogVersionDesk,
    CatalogVersionNotFound,
)
from responsibility_catalog import CatalogInvalid, load_catalogs, shipped_data_path


def seed_shipped_catalog(
    host: WorkflowHost, *, actor: str = "demo", county: str = DEFAULT_COUNTY
) -> list[str]:
    return CatalogVersionDesk(host).seed(
        load_catalogs(shipped_data_path()), county=county, actor=actor
    )


@catalog_group.command("seed")
def seed_command() -> None:
    """Store the shipped catalog versions (2020-05, 2022-06) in the database if missing."""
    added = seed_shipped_catalog(open_host(), actor="cli")
    click.echo(f"已载入清单版本：{'、'.join(added)}" if added else "清单版本均已在库中")


@catalog_group.command("versions")
def versions_command() -> None:
    """List the catalog versions stored in the database."""
    infos = CatalogVersionDesk(open_host()).versions(county=DEFAULT_COUNTY)
    if not infos:
        click.echo("数据库中还没有清单版本（先运行 juhaoban catalog seed 或 juhaoban demo）")
    for info in infos:
        effective = info.effective.isoformat() if info.effective else "未定"
        click.echo(
            f"{info.label}\t{info.status.label}\t生效 {effective}\t由 {info.created_by} 创建"
        )


@catalog_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--label", default=None, help="Label of the new draft (default: from the sheet).")
@click.option("--actor", default="cli", show_default=True)
def import_command(file: Path, label: str | None, actor: str) -> None:
    """Import an Excel sheet (the organisation department's format) as a new draft version,
    exactly as the catalog editor's upload does."""
    try:
        draft = import_workbook(open_host(), file, label=label, actor=actor, county=DEFAULT_COUNTY)
    except CatalogInvalid as err:
        _fail(f"{file.name} 有 {len(err.problems)} 处问题，未导入任何内容：", err.problems)
    except NothingPublished as err:
        _fail(f"{err}（先运行 juhaoban catalog seed）")
    except CatalogLifecycleError as err:
        _fail(str(err))
    click.echo(f"已导入为草稿版本 {draft.label}（{len(draft.matters())} 项事项）")


@catalog_group.command("publish")
@click.argument("label")
@click.option("--effective", required=True, type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--actor", default="cli", show_default=True)
def publish_command(label: str, effective: object, actor: str) -> None:
    """Publish a draft version from the effective date on (it can never change afterwards)."""
    day = effective.date()  # type: ignore[attr-defined]  # click.DateTime gives a datetime
    try:
        superseded = CatalogVersionDesk(open_host()).publish(
            label, day, county=DEFAULT_COUNTY, actor=actor
        )
    except CatalogInvalid as err:
        _fail(f"版本 {label} 有 {len(err.problems)} 处问题，不能公布：", err.problems)
    except (CatalogLifecycleError, CatalogVersionNotFound) as err:
        _fail(str(err))
    extra = f"；{'、'.join(superseded)} 自该日起废止" if superseded else ""
    click.echo(f"版本 {label} 已公布，{day.isoformat()} 起生效{extra}")
