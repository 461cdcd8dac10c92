"""The diagrams render in bpmn-js (the designer's editor) without import warnings.

Serves the repository root on 127.0.0.1, loads the prebuilt bpmn-js viewer from
``node_modules`` in Debian's Chromium and imports each diagram. Screenshots go to
``/tmp/diagrams`` for a human to look at.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from tests.bpmn.test_diagrams import BPMN_DIR, DIAGRAMS, NS, flow_nodes

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
VIEWER = REPO / "node_modules" / "bpmn-js" / "dist" / "bpmn-viewer.production.min.js"
SCREENSHOTS = Path("/tmp/diagrams")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="/node_modules/bpmn-js/dist/assets/diagram-js.css">
<link rel="stylesheet" href="/node_modules/bpmn-js/dist/assets/bpmn-js.css">
<link rel="stylesheet" href="/node_modules/bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css">
<style>html, body, #canvas { margin: 0; width: 100%; height: 100%; background: white; }</style>
<script src="/node_modules/bpmn-js/dist/bpmn-viewer.production.min.js"></script>
</head><body><div id="canvas"></div>
<script>
window.renderDiagram = async function (url) {
  const xml = await (await fetch(url)).text();
  if (window.viewer) window.viewer.destroy();
  document.getElementById("canvas").innerHTML = "";
  const viewer = (window.viewer = new BpmnJS({ container: "#canvas" }));
  try {
    const result = await viewer.importXML(xml);
    const canvas = viewer.get("canvas");
    canvas.zoom("fit-viewport");
    window.actualSize = () => {
      const inner = canvas.viewbox().inner;
      canvas.viewbox({ x: inner.x - 20, y: inner.y - 20, width: window.innerWidth, height: window.innerHeight });
    };
    const registry = viewer.get("elementRegistry");
    const inner = canvas.viewbox().inner;
    return {
      size: [Math.ceil(inner.width) + 40, Math.ceil(inner.height) + 40],
      warnings: result.warnings.map((w) => String(w.message || w)),
      ids: registry.getAll().map((e) => e.id),
      shapes: registry.filter((e) => !e.waypoints && e.type !== "label").length,
    };
  } catch (err) {
    return { error: String(err.message || err), warnings: [], ids: [], shapes: 0 };
  }
};
</script></body></html>
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip("Debian Chromium (/usr/bin/chromium) is not installed")
    if not VIEWER.exists():
        pytest.skip("bpmn-js is not installed: run `npm install` at the repository root")
    # The page lives in a temporary folder served under /_render/ next to the repository.
    page_dir = tmp_path_factory.mktemp("render")
    (page_dir / "index.html").write_text(PAGE, encoding="utf-8")

    class Handler(_QuietHandler):
        def translate_path(self, path: str) -> str:
            if path.startswith("/_render/"):
                return str(page_dir / path[len("/_render/") :].split("?")[0])
            return super().translate_path(path)

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(REPO))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 2400, "height": 1400})
            page.goto(f"{server}/_render/index.html")
            page.wait_for_function("typeof window.renderDiagram === 'function'")
            yield page
        finally:
            browser.close()


@pytest.mark.slow
@pytest.mark.parametrize("filename", DIAGRAMS)
def test_diagram_imports_without_warnings_and_registers_every_flow_node(
    page, server: str, filename: str
) -> None:
    result = page.evaluate("url => window.renderDiagram(url)", f"{server}/bpmn/{filename}")
    assert "error" not in result, result.get("error")
    assert result["warnings"] == [], json.dumps(result["warnings"], ensure_ascii=False)
    root = etree.parse(str(BPMN_DIR / filename)).getroot()
    expected = {node.get("id") for node in flow_nodes(root)}
    expected |= {lane.get("id") for lane in root.iterfind(".//bpmn:lane", NS)}
    missing = expected - set(result["ids"])
    assert not missing, f"not rendered: {sorted(missing)}"
    assert result["shapes"] >= len(expected)
    # At 100 % zoom so that a human can read the labels.
    width, height = result["size"]
    page.set_viewport_size({"width": min(width, 8000), "height": min(height, 3000)})
    page.evaluate("() => window.actualSize()")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{Path(filename).stem}.png"), full_page=True)
