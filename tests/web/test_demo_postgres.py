"""``juhaoban init-db && juhaoban demo`` on PostgreSQL (issue 18): the demo's synthetic
history used to write explicit complaint ids without moving the id sequence, so the demo
itself stopped with ``UniqueViolation pk_complaint`` and every report after it was a 500."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.complaints.models import Complaint
from engine.core.config import EngineConfig
from tests.web.test_report_helpers import post_report
from web import create_app

ROOT = Path(__file__).resolve().parents[2]
JUHAOBAN = Path(sys.executable).with_name("juhaoban")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]


def test_the_demo_builds_on_postgresql_and_reports_are_filed_after_it(database_url, tmp_path):
    env = {
        **os.environ,
        "JUHAOBAN_DATABASE_URL": database_url,
        "JUHAOBAN_INSTANCE_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    for command in ("init-db", "demo"):  # the commands as an operator types them
        done = subprocess.run(
            [str(JUHAOBAN), command],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    assert "演示数据已就绪" in done.stdout and "已生成演示历史数据" in done.stdout

    app = create_app(
        {"ENGINE_CONFIG": EngineConfig.from_env(env), "TESTING": True, "SECRET_KEY": "test"}
    )
    host = app.extensions["juhaoban.host"]
    with host.session_factory() as session:
        before = session.scalar(select(func.max(Complaint.id)))
    client = app.test_client()
    answer = client.post(
        "/api/complaints",
        json={"village_id": "xiguocheng-002", "matter_id": "D07-07", "description": "村口路面塌陷"},
    )
    assert answer.status_code == 201, answer.get_data(as_text=True)
    assert answer.get_json()["id"] > before
    assert post_report(client).status_code == 302  # the report page too
    with host.session_factory() as session:
        assert session.scalar(select(func.count(Complaint.id)).where(Complaint.id > before)) == 2
    host.session_factory.kw["bind"].dispose()
