"""Account commands for administrators: reset a password (which signs the person out)."""

from __future__ import annotations

import sys

import click

from engine.bootstrap import build_host
from engine.core.config import EngineConfig
from engine.people import AccountRejected, set_password


@click.group("users")
def users_group() -> None:
    """Staff and resident accounts."""


@users_group.command("set-password")
@click.argument("username")
@click.password_option("--password", prompt="新密码", confirmation_prompt="再次输入新密码")
def set_password_command(username: str, password: str) -> None:
    """Set USERNAME's password; every session of the account ends at once."""
    host = build_host(EngineConfig.from_env(), create_tables=True)
    try:
        with host.session_factory.begin() as session:
            account = set_password(username, password, session=session)
    except AccountRejected as err:
        click.echo("；".join(err.errors.values()), err=True)
        sys.exit(1)
    click.echo(f"已为 {account.display_name}（{username}）设置新密码，其已有的登录全部失效")
