"""Web fixtures of the agriculture pages: both diagrams deployed and the demo registers."""

from __future__ import annotations

import pytest

from cli.demo.agri import seed_agri_registers
from tests.engine.complaints.conftest import BPMN_DIR


@pytest.fixture
def agri_app(app):
    host = app.extensions["juhaoban.host"]
    host.deploy_file(BPMN_DIR / "agri_consultation.bpmn", actor="designer")
    host.deploy_file(BPMN_DIR / "agri_push.bpmn", actor="designer")
    seed_agri_registers(app.extensions["juhaoban.agri"])
    return app
