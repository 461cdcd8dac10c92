"""`juhaoban users set-password USERNAME`: an administrator's reset, which signs the person out."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select

from cli.demo.users import DEMO_PASSWORD, create_demo_users
from cli.main import main
from engine.bootstrap import build_host
from engine.core.config import EngineConfig
from engine.people import authenticate
from engine.people.models import UserAccount


def _setup(tmp_path, monkeypatch, clock):
    monkeypatch.setenv("JUHAOBAN_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("JUHAOBAN_DATABASE_URL", raising=False)
    host = build_host(EngineConfig.from_env(), clock=clock, create_tables=True)
    create_demo_users(host)
    return host


def _version(host, username: str) -> int:
    with host.session_factory() as db:
        return db.scalar(
            select(UserAccount.session_version).where(UserAccount.username == username)
        )


def test_set_password_changes_it_and_ends_sessions(tmp_path, monkeypatch, clock):
    host = _setup(tmp_path, monkeypatch, clock)
    before = _version(host, "water")
    result = CliRunner().invoke(
        main, ["users", "set-password", "water"], input="brand-new-42\nbrand-new-42\n"
    )
    assert result.exit_code == 0, result.output
    assert "已有的登录全部失效" in result.output
    assert _version(host, "water") == before + 1
    with host.session_factory() as db:
        assert authenticate("water", "brand-new-42", session=db) is not None
        assert authenticate("water", DEMO_PASSWORD, session=db) is None


def test_set_password_refuses_unknown_users_and_short_passwords(tmp_path, monkeypatch, clock):
    _setup(tmp_path, monkeypatch, clock)
    runner = CliRunner()
    unknown = runner.invoke(
        main, ["users", "set-password", "nobody"], input="brand-new-42\nbrand-new-42\n"
    )
    assert unknown.exit_code == 1 and "用户名“nobody”不存在" in unknown.output
    short = runner.invoke(main, ["users", "set-password", "water", "--password", "short"])
    assert short.exit_code == 1 and "新密码至少 8 位" in short.output
