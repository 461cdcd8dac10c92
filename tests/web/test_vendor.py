"""npm assets are served from node_modules, only for the packages the pages use."""

from __future__ import annotations


def test_installed_bundle_is_served(app) -> None:
    with app.test_client().get("/vendor/bpmn-js/dist/bpmn-modeler.production.min.js") as response:
        assert response.status_code == 200
        assert b"BpmnJS" in response.data


def test_scoped_package_css_is_served(app) -> None:
    with app.test_client().get(
        "/vendor/@bpmn-io/properties-panel/dist/assets/properties-panel.css"
    ) as response:
        assert response.status_code == 200
        assert b"bio-properties-panel" in response.data


def test_other_packages_and_files_are_not_reachable(app) -> None:
    client = app.test_client()
    assert client.get("/vendor/min-dash/dist/index.js").status_code == 404
    assert client.get("/vendor/bpmn-js/package.json/../../../pyproject.toml").status_code == 404
    assert client.get("/vendor/bpmn-js/README.md").status_code == 404


def test_missing_install_names_the_fix(app, tmp_path) -> None:
    app.config["NODE_MODULES_DIR"] = str(tmp_path / "nowhere")
    response = app.test_client().get("/vendor/echarts/dist/echarts.min.js")
    assert response.status_code == 404
    assert "npm ci" in response.get_data(as_text=True)
