from __future__ import annotations

from engine.core.config import EngineConfig
from web import create_app


def test_home_page_shows_engine_state_in_chinese(tmp_path, diagram):
    config = EngineConfig.from_env({"JUHAOBAN_INSTANCE_DIR": str(tmp_path)})
    app = create_app({"ENGINE_CONFIG": config, "TESTING": True})
    host = app.extensions["juhaoban.host"]
    host.deploy(diagram("ticket.bpmn"), actor="designer")
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    assert "县域诉求办理平台" in page
    assert "已部署流程版本" in page and "<b>1</b>" in page
    assert client.get("/healthz").get_json()["status"] == "ok"
    assert "juhaoban.scheduler" not in app.extensions, "web processes must not sweep by default"
