"""The deployment files in deploy/ (README "Production") only name commands, options, app
factories and settings that exist, so they cannot rot quietly when the code changes."""

from __future__ import annotations

import importlib
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from gunicorn.config import Config as GunicornConfig

from cli.main import main as juhaoban_cli

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
VENV_BIN = "/opt/juhaoban/venv/bin/"
EXEC_KEYS = ("ExecStart", "ExecStartPre", "ExecStartPost", "ExecReload", "ExecStop")


def _unit_commands(unit: Path) -> list[str]:
    return [
        line.split("=", 1)[1].strip()
        for line in unit.read_text(encoding="utf-8").splitlines()
        if line.split("=", 1)[0].strip() in EXEC_KEYS
    ]


def _procfile_commands() -> dict[str, str]:
    entries = {}
    for line in (DEPLOY / "Procfile").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, command = line.partition(":")
            entries[name.strip()] = command.strip()
    return entries


def _programs(command: str) -> list[list[str]]:
    """The program invocations in a command line, looking inside ``sh -c '...'`` (whose
    commands the shell finds on PATH) and ``&&``."""
    words = shlex.split(command.replace("%%", "%").replace("$$", "$"))
    if words[:2] in (["/bin/sh", "-c"], ["sh", "-c"]):
        parts = [shlex.split(part) for part in re.split(r"&&|;", words[2]) if part.strip()]
        return [[words[0]]] + [part[1:] if part[0] == "exec" else part for part in parts]
    return [words]


def _check_juhaoban(args: list[str]) -> None:
    """Resolve the subcommand path and parse the options as the CLI would."""
    command: click.Command = juhaoban_cli
    path = ["juhaoban"]
    while isinstance(command, click.Group):
        assert args, f"{' '.join(path)} needs a subcommand"
        name, args = args[0], args[1:]
        found = command.get_command(click.Context(command), name)
        assert found is not None, f"{' '.join(path)} has no subcommand {name!r}"
        command, path = found, [*path, name]
    command.make_context(" ".join(path), list(args))  # unknown option -> UsageError


def _check_gunicorn(args: list[str]) -> None:
    parsed = GunicornConfig().parser().parse_args(args)
    assert parsed.config and parsed.config.startswith("python:"), "settings: web.gunicorn_conf"
    settings = importlib.import_module(parsed.config.removeprefix("python:"))
    assert callable(settings.child_exit) and settings.workers >= 1
    (app_spec,) = parsed.args
    module, _, factory = app_spec.partition(":")
    target = getattr(importlib.import_module(module), factory.removesuffix("()"))
    assert callable(target), app_spec


def _check(program: list[str]) -> str:
    executable, args = program[0], program[1:]
    name = executable.removeprefix(VENV_BIN)
    if name == "juhaoban":
        _check_juhaoban(args)
    elif name == "gunicorn":
        _check_gunicorn(args)
    else:
        if shutil.which(executable) is None:
            pytest.fail(f"{executable} does not exist")
    return name


def test_unit_files_run_commands_that_exist() -> None:
    used = set()
    for unit in UNITS:
        commands = _unit_commands(unit)
        assert commands, unit.name
        for command in commands:
            for program in _programs(command):
                if program[0].startswith(VENV_BIN) or program[0] in ("juhaoban", "gunicorn"):
                    assert program[0].startswith(VENV_BIN), f"{unit.name}: {program[0]}"
                used.add(_check(program))
    assert {"juhaoban", "gunicorn"} <= used


def test_procfile_runs_commands_that_exist() -> None:
    entries = _procfile_commands()
    assert set(entries) == {"release", "web", "worker"}
    for command in entries.values():
        for program in _programs(command.replace("${PORT:-8000}", "8000")):
            _check(program)


def test_the_web_processes_do_not_fire_timers() -> None:
    # gunicorn runs create_app() with its defaults: no scheduler (workers do that).
    web = _unit_commands(DEPLOY / "systemd" / "juhaoban-web.service")
    assert web and all("serve" not in command for command in web)
    worker = _unit_commands(DEPLOY / "systemd" / "juhaoban-worker@.service")
    assert worker == [f"{VENV_BIN}juhaoban worker --worker-id %H-%i"]


def test_settings_in_the_environment_example_are_read_by_the_code() -> None:
    names = re.findall(
        r"^#?([A-Z][A-Z0-9_]+)=",
        (DEPLOY / "juhaoban.env.example").read_text(encoding="utf-8"),
        re.M,
    )
    assert "JUHAOBAN_DATABASE_URL" in names and "JUHAOBAN_SECRET_KEY" in names
    code = "\n".join(
        path.read_text(encoding="utf-8")
        for package in ("engine", "web", "analytics")
        for path in (ROOT / package).rglob("*.py")
    )
    unread = [name for name in names if name not in code]
    assert unread == []


def test_systemd_accepts_the_units(tmp_path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    venv_bin = Path(sys.executable).parent
    if not (venv_bin / "gunicorn").exists():
        pytest.skip("gunicorn is not installed beside juhaoban")
    copies = []
    for unit in [*UNITS, *(DEPLOY / "systemd").glob("*.timer")]:
        text = unit.read_text(encoding="utf-8").replace(VENV_BIN, f"{venv_bin}/")
        text = text.replace("/etc/juhaoban/juhaoban.env", str(DEPLOY / "juhaoban.env.example"))
        name = unit.name.replace("@.service", "@1.service")
        (tmp_path / name).write_text(text, encoding="utf-8")
        copies.append(str(tmp_path / name))
    result = subprocess.run(
        [analyze, "verify", "--man=no", *copies],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


def test_nginx_accepts_the_example(tmp_path) -> None:
    nginx = shutil.which("nginx")
    openssl = shutil.which("openssl")
    if nginx is None or openssl is None:
        pytest.skip("nginx is not installed")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=t"]
        + ["-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
        capture_output=True,
        check=True,
        timeout=60,
    )
    site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    (tmp_path / "site.conf").write_text(site.replace("/etc/ssl/juhaoban", str(tmp_path)))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{ access_log off; include {tmp_path}/site.conf; }}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # nginx sends to where gunicorn listens.
    bind = re.search(r"^JUHAOBAN_BIND=(\S+)", (DEPLOY / "juhaoban.env.example").read_text(), re.M)
    assert bind and f"server {bind.group(1)};" in site
