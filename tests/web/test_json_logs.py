"""JUHAOBAN_LOG_FORMAT=json: one JSON object per line, with the case of the step it came from."""

from __future__ import annotations

import io
import json
import logging

import pytest

from web.logging_setup import configure_logging

REPORT = {"village_id": "xiguocheng-002", "matter_id": "D07-07", "description": "路面塌陷"}


@pytest.fixture
def json_log():
    """The lines written by the process's handler, DEBUG and up, restored afterwards."""
    root = logging.getLogger()
    level = root.level
    stream = io.StringIO()
    handler = configure_logging("json", level="DEBUG", stream=stream)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_records_during_a_step_carry_its_instance_and_case(app, json_log):
    host = app.extensions["juhaoban.host"]
    inside = logging.getLogger("tests.projector")
    # Something the step runs (a projector, in the step's transaction) logs without ids.
    host.runtime.register_projector("complaint", lambda _outcome: inside.info("投影已更新"))

    response = app.test_client().post("/api/complaints", json=REPORT)
    assert response.status_code == 201
    tracking_code = response.get_json()["tracking_code"]
    lines = json_log()

    projected = [line for line in lines if line["logger"] == "tests.projector"]
    assert projected, lines
    line = projected[0]
    assert line["message"] == "投影已更新" and line["level"] == "INFO"
    assert line["case_id"] == tracking_code
    assert line["process_key"] == "complaint"
    assert isinstance(line["instance_id"], int)
    assert line["time"].endswith("+00:00")
    # The step's own line (DEBUG) names the same instance and case.
    steps = [line for line in lines if line["logger"] == "engine.steps"]
    assert steps[-1]["instance_id"] == line["instance_id"]
    assert steps[-1]["case_id"] == tracking_code
    assert "complaint ok" in steps[-1]["message"]
    # After the step, records carry no ids.
    logging.getLogger("tests.after").warning("步骤之后")
    after = json_log()[-1]
    assert after["message"] == "步骤之后"
    assert not {"case_id", "instance_id", "process_key"} & set(after)


def test_a_misspelled_format_is_refused_by_name():
    with pytest.raises(ValueError, match="JUHAOBAN_LOG_FORMAT=jsno 无效"):
        configure_logging("jsno")
