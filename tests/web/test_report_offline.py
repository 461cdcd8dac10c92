"""The report page as an installable web app (issue 20, part 4): its service worker and
manifest are served with the types browsers require, and the page links them."""

from __future__ import annotations

import re

from web.security import content_security_policy


def test_the_service_worker_is_javascript_served_from_the_report_folder(app) -> None:
    response = app.test_client().get("/report/sw.js")
    assert response.status_code == 200
    # Browsers refuse to register a worker served as anything but JavaScript.
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert 'addEventListener("fetch"' in response.get_data(as_text=True)
    again = app.test_client().get(
        "/report/sw.js", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_the_manifest_makes_the_report_page_an_installable_app(app) -> None:
    client = app.test_client()
    response = client.get("/report/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["name"] == "巨好办·我要反映"
    assert manifest["start_url"] == "/report/new"
    assert manifest["scope"] == "/report/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"]: icon for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= set(sizes)
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200, icon["src"]
        assert image.mimetype == icon["type"]
        if icon["type"] == "image/png":
            assert len(image.get_data()) <= 10 * 1024
            assert image.get_data().startswith(b"\x89PNG")
        image.close()


def test_the_report_page_links_the_manifest_the_worker_and_the_queue(app) -> None:
    response = app.test_client().get("/report/new")
    html = response.get_data(as_text=True)
    assert 'rel="manifest"' in html and 'href="/report/manifest.webmanifest"' in html
    assert 'data-sw="/report/sw.js"' in html and 'data-scope="/report/"' in html
    assert "没有信号也能先存着，有信号后自动发送" in html
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    assert re.search(rf'src="/static/report-offline\.js\?v=[0-9a-f]+" nonce="{nonce}"', html)


def test_the_policy_lets_the_page_use_its_own_worker_and_manifest_only() -> None:
    directives = dict(
        part.strip().split(" ", 1) for part in content_security_policy("n").split(";")
    )
    assert directives["worker-src"] == "'self'"
    assert directives["manifest-src"] == "'self'"
