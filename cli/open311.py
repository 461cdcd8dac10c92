"""Open311 key commands for administrators (the same as the /admin/open311-keys page)."""

from __future__ import annotations

import sys

import click

from cli.host import open_host
from engine import DEFAULT_COUNTY
from engine.open311 import ClientRejected, Open311Desk


def _desk() -> Open311Desk:
    return Open311Desk(open_host())


@click.group("open311")
def open311_group() -> None:
    """Open311 GeoReport v2: API keys of client applications."""


@open311_group.command("issue-key")
@click.argument("name")
@click.option("--contact", default="", help="联系人与电话")
@click.option("--per-minute", default=30, show_default=True, help="每分钟最多提交次数")
@click.option("--actor", default="admin", show_default=True)
def issue_command(name: str, contact: str, per_minute: int, actor: str) -> None:
    """Issue a key for a client application; the key is printed once."""
    try:
        client, key = _desk().issue_client_key(
            name,
            contact=contact,
            requests_per_minute=per_minute,
            county=DEFAULT_COUNTY,
            actor=actor,
        )
    except ClientRejected as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    click.echo(f"已为“{name}”签发密钥（编号 {client.id}，只显示这一次）：")
    click.echo(key)


@open311_group.command("keys")
def list_command() -> None:
    """List client applications and their key prefixes."""
    rows = _desk().clients(county=DEFAULT_COUNTY)
    if not rows:
        click.echo("还没有签发任何密钥")
    for c in rows:
        state = f"已吊销 {c.revoked_at:%Y-%m-%d}" if c.revoked_at else "有效"
        click.echo(f"{c.id}\t{c.name}\t{c.key_prefix}…\t每分钟 {c.requests_per_minute}\t{state}")


@open311_group.command("revoke-key")
@click.argument("client_id", type=int)
@click.option("--actor", default="admin", show_default=True)
def revoke_command(client_id: int, actor: str) -> None:
    """Revoke a client's key at once."""
    try:
        _desk().revoke(client_id, county=DEFAULT_COUNTY, actor=actor)
    except ClientRejected as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    click.echo(f"已吊销应用 {client_id} 的密钥")
