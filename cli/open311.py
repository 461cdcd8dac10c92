"""Open311 key commands for administrators (the same as the /admin/open311-keys page)."""

from __future__ import annotations

import sys

import click

from engine.bootstrap import build_host
from engine.core.config import EngineConfig
from engine.open311.keys import ClientRejected, clients, issue_key, revoke
from web.open311.checks import COUNTY


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
    host = build_host(EngineConfig.from_env(), create_tables=True)
    try:
        with host.session_factory.begin() as session:
            client, key = issue_key(
                name,
                contact=contact,
                requests_per_minute=per_minute,
                county=COUNTY,
                actor=actor,
                now=host.clock.now(),
                session=session,
            )
            client_id = client.id
    except ClientRejected as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    click.echo(f"已为“{name}”签发密钥（编号 {client_id}，只显示这一次）：")
    click.echo(key)


@open311_group.command("keys")
def list_command() -> None:
    """List client applications and their key prefixes."""
    host = build_host(EngineConfig.from_env(), create_tables=True)
    with host.session_factory() as session:
        rows = clients(county=COUNTY, session=session)
        if not rows:
            click.echo("还没有签发任何密钥")
        for c in rows:
            state = f"已吊销 {c.revoked_at:%Y-%m-%d}" if c.revoked_at else "有效"
            click.echo(
                f"{c.id}\t{c.name}\t{c.key_prefix}…\t每分钟 {c.requests_per_minute}\t{state}"
            )


@open311_group.command("revoke-key")
@click.argument("client_id", type=int)
@click.option("--actor", default="admin", show_default=True)
def revoke_command(client_id: int, actor: str) -> None:
    """Revoke a client's key at once."""
    host = build_host(EngineConfig.from_env(), create_tables=True)
    try:
        with host.session_factory.begin() as session:
            revoke(client_id, county=COUNTY, actor=actor, now=host.clock.now(), session=session)
    except ClientRejected as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    click.echo(f"已吊销应用 {client_id} 的密钥")
