"""Catalog commands that work on the platform database: seed, versions, import, publish."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import click

from cli.catalog import _fail, catalog_group
from engine.bootstrap import build_host
from engine.catalog_store import (
    CatalogLifecycleError,
    CatalogVersionNotFound,
    list_versions,
    load_version,
    publish_version,
    seed_versions,
    store_version,
)
from engine.core.config import EngineConfig
from engine.core.tenancy import DEFAULT_COUNTY
from engine.core.transactions import run_step
from responsibility_catalog import CatalogInvalid, load_catalogs, shipped_data_path


def _host():  # type: ignore[no-untyped-def]
    return build_host(EngineConfig.from_env(), create_tables=True)


def seed_shipped_catalog(host, *, actor: str = "demo", county: str = DEFAULT_COUNTY) -> list[str]:  # type: ignore[no-untyped-def]
    catalogs = load_catalogs(shipped_data_path())
    return run_step(
        host.session_factory,
        lambda s: seed_versions(
            catalogs, county=county, actor=actor, now=host.clock.now(), session=s
        ),
    )


@catalog_group.command("seed")
def seed_command() -> None:
    """Store the shipped catalog versions (2020-05, 2022-06) in the database if missing."""
    added = seed_shipped_catalog(_host(), actor="cli")
    click.echo(f"已载入清单版本：{'、'.join(added)}" if added else "清单版本均已在库中")


@catalog_group.command("versions")
def versions_command() -> None:
    """List the catalog versions stored in the database."""
    host = _host()
    with host.session_factory() as session:
        infos = list_versions(county=DEFAULT_COUNTY, session=session)
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
    """Import an Excel sheet (the organisation department's format) as a new draft version."""
    from responsibility_catalog import import_xlsx

    host = _host()
    with host.session_factory() as session:
        stored = [
            v
            for v in list_versions(county=DEFAULT_COUNTY, session=session)
            if v.effective is not None
        ]
        if not stored:
            _fail("数据库中还没有清单版本，无法确定组织机构（先运行 juhaoban catalog seed）")
        latest = max(stored, key=lambda v: v.effective or date.min)
        organisation = load_version(
            latest.label, county=DEFAULT_COUNTY, session=session
        ).organisation
    try:
        draft = import_xlsx(file, organisation, label=label)
    except CatalogInvalid as err:
        _fail(f"{file.name} 有 {len(err.problems)} 处问题，未导入任何内容：", err.problems)
    # The sheet may carry the effective date of the version it was exported from; a draft
    # gets its own date only when it is published.
    draft = dataclasses.replace(draft, effective=None)
    try:
        info = run_step(
            host.session_factory,
            lambda s: store_version(
                draft, county=DEFAULT_COUNTY, actor=actor, now=host.clock.now(), session=s
            ),
        )
    except CatalogLifecycleError as err:
        _fail(str(err))
    click.echo(f"已导入为草稿版本 {info.label}（{len(draft.matters())} 项事项）")


@catalog_group.command("publish")
@click.argument("label")
@click.option("--effective", required=True, type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--actor", default="cli", show_default=True)
def publish_command(label: str, effective: object, actor: str) -> None:
    """Publish a draft version from the effective date on (it can never change afterwards)."""
    host = _host()
    day = effective.date()  # type: ignore[attr-defined]
    try:
        superseded = run_step(
            host.session_factory,
            lambda s: publish_version(
                label, day, county=DEFAULT_COUNTY, actor=actor, now=host.clock.now(), session=s
            ),
        )
    except CatalogInvalid as err:
        _fail(f"版本 {label} 有 {len(err.problems)} 处问题，不能公布：", err.problems)
    except (CatalogLifecycleError, CatalogVersionNotFound) as err:
        _fail(str(err))
    extra = f"；{'、'.join(superseded)} 自该日起废止" if superseded else ""
    click.echo(f"版本 {label} 已公布，{day.isoformat()} 起生效{extra}")
