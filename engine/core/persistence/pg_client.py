"""PostgreSQL's own client programs (``pg_dump``, ``pg_restore``), run with a database URL.

The password travels in the environment (``PGPASSWORD``), never on the command line where
``ps`` would show it. Failures become :class:`BackupError` with a Chinese message; the
program's own last lines are kept because they name what went wrong.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from engine.core.persistence.backup_archive import BackupError

# libpq keywords a SQLAlchemy URL may carry in its query string.
_LIBPQ_QUERY_KEYS = ("options", "sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout")


def find_program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"找不到 PostgreSQL 客户端程序 {name}：请安装与服务器主版本相同的 "
            "postgresql-client（Debian/Ubuntu：apt-get install postgresql-client），"
            "并确认它在 PATH 中"
        )
    return path


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def conninfo(database_url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment that carries it."""
    url = make_url(database_url)
    parts = {
        "host": url.host,
        "port": str(url.port) if url.port else None,
        "user": url.username,
        "dbname": url.database,
    }
    for key in _LIBPQ_QUERY_KEYS:
        value = url.query.get(key)
        if value is not None:
            parts[key] = value if isinstance(value, str) else value[-1]
    text = " ".join(f"{k}={_quote(v)}" for k, v in parts.items() if v)
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return text, env


def run(program: str, args: list[str], database_url: str | None = None) -> str:
    """Run ``program`` with ``args`` (plus ``--dbname`` when a URL is given); return stdout."""
    command = [find_program(program), *args]
    env = dict(os.environ)
    if database_url is not None:
        info, env = conninfo(database_url)
        command.append(f"--dbname={info}")
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as err:
        raise BackupError(f"无法运行 {program}：{err}") from err
    if done.returncode != 0:
        raise BackupError(_explain(program, done.stderr))
    return done.stdout


def _explain(program: str, stderr: str) -> str:
    tail = " / ".join(line.strip() for line in stderr.strip().splitlines()[-3:])
    if "version mismatch" in stderr or "unsupported version" in stderr:
        return (
            f"{program} 的版本与数据库服务器不一致，请安装与服务器主版本相同的 postgresql-client"
            f"（{tail}）"
        )
    return f"{program} 执行失败：{tail}"


def dump(database_url: str, *, schema: str, snapshot: str | None, target: Path) -> None:
    """``pg_dump --format=custom`` of one schema, reading the exported ``snapshot`` if given."""
    args = ["--format=custom", "--no-owner", "--no-privileges", f"--file={target}"]
    args.append(f'--schema="{schema}"')  # quoted: the name literally, not a pattern
    if snapshot:
        args.append(f"--snapshot={snapshot}")
    run("pg_dump", args, database_url)


def toc(dump_file: Path) -> list[str]:
    """The archive's table of contents (``pg_restore --list``): proves the dump is readable."""
    return run("pg_restore", ["--list", str(dump_file)]).splitlines()


def restore(database_url: str, dump_file: Path, *, skip_schema: str | None) -> None:
    """``pg_restore`` in one transaction (all or nothing), without owners or grants.

    ``skip_schema``: leave out the ``CREATE SCHEMA`` of that name (it exists already in the
    target, for example ``public``).
    """
    args = ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    if skip_schema is not None:
        pattern = re.compile(rf"^\d+;.*\b(SCHEMA|COMMENT) - (SCHEMA )?{re.escape(skip_schema)}\b")
        kept = [line for line in toc(dump_file) if not pattern.match(line)]
        listing = dump_file.with_suffix(".list")
        listing.write_text("\n".join(kept) + "\n", encoding="utf-8")
        args.append(f"--use-list={listing}")
    run("pg_restore", [*args, str(dump_file)], database_url)
