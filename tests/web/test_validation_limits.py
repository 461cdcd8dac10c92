"""A pathological diagram is a list of problems in the designer and the CLI, never a 500 or a
traceback (the engine side: tests/engine/test_validation_limits.py)."""

from __future__ import annotations

import io
import json
import re

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.conftest import DIAGRAMS
from tests.web.conftest import csrf_from

PLUS_CHAIN = "reminders = " + " + ".join(["reminders"] * 1000)
NESTED_NOT = "reminders = " + "not " * 1000 + "reminders"


def _ticket_with(script: str) -> str:
    return (
        (DIAGRAMS / "ticket.bpmn")
        .read_text(encoding="utf-8")
        .replace("reminders = reminders + 1", script)
    )


def _designer(login):
    client = login("designer")
    return client, csrf_from(client.get("/designer/").get_data(as_text=True))


@pytest.mark.parametrize("script", [PLUS_CHAIN, NESTED_NOT], ids=["plus", "not"])
def test_checking_a_pathological_diagram_lists_the_problem(app, login, script) -> None:
    client, token = _designer(login)
    response = client.post(
        "/designer/validate",
        data=_ticket_with(script).encode(),
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"] is False
    (problem,) = body["problems"]
    assert problem["element_id"] == "count_reminder" and "嵌套超过 100 层" in problem["message"]


def test_importing_a_pathological_diagram_opens_it_with_its_problem(app, login) -> None:
    client, token = _designer(login)
    response = client.post(
        "/designer/import",
        data={
            "csrf_token": token,
            "diagram": (io.BytesIO(_ticket_with(PLUS_CHAIN).encode()), "deep.bpmn"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    editor = client.get(response.headers["Location"])
    assert editor.status_code == 200
    config = re.search(
        r'<script type="application/json" id="designer-config">(.*?)</script>',
        editor.get_data(as_text=True),
        re.S,
    )
    (problem,) = json.loads(config.group(1))["problems"]
    assert problem["element_id"] == "count_reminder" and "嵌套超过 100 层" in problem["message"]


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("JUHAOBAN_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("JUHAOBAN_DATABASE_URL", raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args))


@pytest.mark.parametrize(
    ("script", "timer", "element", "expected"),
    [
        (PLUS_CHAIN, None, "count_reminder", "嵌套超过 100 层"),
        (NESTED_NOT, None, "count_reminder", "嵌套超过 100 层"),
        ("x = 1\n" * 20_000, None, "count_reminder", "超过 100,000 个字符的上限"),
        (None, '"2101-01-01T00:00:00+08:00"', "sign_deadline", "不在 2000–2100 年之间"),
    ],
    ids=["plus", "not", "huge-script", "timer"],
)
def test_cli_validate_prints_the_problem_without_a_traceback(
    run, tmp_path, script, timer, element, expected
) -> None:
    xml = _ticket_with(script) if script else _ticket_with("reminders = reminders + 1")
    if timer:
        xml = xml.replace("<bpmn:timeDate>sign_due", f"<bpmn:timeDate>{timer}")
    path = tmp_path / "bad.bpmn"
    path.write_text(xml, encoding="utf-8")
    result = run("bpmn", "validate", str(path))
    assert isinstance(result.exception, SystemExit), result.exception  # sys.exit(1), no crash
    assert result.exit_code == 1
    assert f"[{element}]" in result.output and expected in result.output
    assert "Traceback" not in result.output


def test_cli_validate_of_a_file_that_is_not_utf8_explains(run, tmp_path) -> None:
    path = tmp_path / "photo.bpmn"
    path.write_bytes(b"\xff\xd8\xff\xe0 not a diagram")
    result = run("bpmn", "validate", str(path))
    assert isinstance(result.exception, SystemExit), result.exception  # sys.exit(1), no crash
    assert result.exit_code == 1
    assert "UTF-8" in result.output and "Traceback" not in result.output
