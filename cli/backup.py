"""``juhaoban backup FILE`` / ``juhaoban backup --verify FILE`` / ``juhaoban restore FILE``.

Both read the configured database (``JUHAOBAN_DATABASE_URL``) and instance folder
(``JUHAOBAN_INSTANCE_DIR``, whose ``uploads/`` holds the photos), as the server does.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from engine import SystemClock
from engine.core import EngineConfig
from engine.core.persistence.backup import create_backup
from engine.core.persistence.backup_archive import BackupError, Manifest
from engine.core.persistence.backup_verify import verify
from engine.core.persistence.restore import restore_backup


def _uploads_dir(config: EngineConfig) -> Path:
    return config.instance_dir / "uploads"  # where web/app.py stores the photos


def _describe(manifest: Manifest) -> str:
    rows = sum(manifest.tables.values())
    return (
        f"{manifest.dialect} 数据库，结构版本 {manifest.schema_revision or '（未标记）'}，"
        f"{len(manifest.tables)} 张表共 {rows} 行，{len(manifest.upload_members)} 个上传文件，"
        f"备份于 {manifest.created_at}"
    )


def _fail(err: BackupError) -> None:
    click.echo(f"错误：{err}", err=True)
    sys.exit(1)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--verify",
    "verify_only",
    is_flag=True,
    help="Only check an existing backup FILE (checksums, readable dump); change nothing.",
)
def backup_command(file: Path, verify_only: bool) -> None:
    """Back up the database and the uploaded files into FILE (.tar, or .tar.gz compressed).

    The new archive is verified right after it is written.
    """
    try:
        if verify_only:
            manifest = verify(file)
            click.echo(f"备份 {file} 校验通过：{_describe(manifest)}")
            return
        config = EngineConfig.from_env()
        summary = create_backup(
            config.database_url, _uploads_dir(config), file, now=SystemClock().now()
        )
        verify(file)
    except BackupError as err:
        _fail(err)
        return
    size_mb = summary.size / 1024 / 1024
    click.echo(f"已备份到 {file}（{size_mb:.1f} MB，已校验）：{_describe(summary.manifest)}")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Restore backup FILE into the configured database, which must be empty.

    The archive is verified first; afterwards the row counts are compared with its manifest.
    """
    config = EngineConfig.from_env()
    try:
        summary = restore_backup(file, config.database_url, _uploads_dir(config))
    except BackupError as err:
        _fail(err)
        return
    click.echo(f"已从 {file} 恢复：{_describe(summary.manifest)}")
    click.echo("各表行数与备份清单一致：")
    for table, count in sorted(summary.tables.items()):
        if count:
            click.echo(f"  {table}：{count} 行")
    empty = sum(1 for count in summary.tables.values() if not count)
    click.echo(f"  其余 {empty} 张表为空")
    click.echo(f"  上传文件：{summary.uploads} 个")
    if summary.manifest.schema_revision:
        click.echo("如果本程序比备份时的程序新，请先运行 juhaoban db upgrade 再启动")
