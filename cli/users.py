"""Account commands for administrators: reset a password (which signs the person out)."""

from __future__ import annotations

import sys

import click

from cli.host import open_host
from engine.people import AccountRejected, reset_password


@click.group("users")
def users_group() -> None:
    """Staff and resident accounts."""


@users_group.command("set-password")
@click.argument("username")
@click.password_option("--password", prompt="新密码", confirmation_prompt="再次输入新密码")
def set_password_command(username: str, password: str) -> None:
    """Set USERNAME's password; every session of the account ends at once."""
    try:
        account = reset_password(open_host(), username, password)
    except AccountRejected as err:
        click.echo("；".join(err.errors.values()), err=True)
        sys.exit(1)
    click.echo(f"已为 {account.display_name}（{username}）设置新密码，其已有的登录全部失效")
