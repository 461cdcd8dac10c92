"""Static files and npm assets go out compressed to browsers that accept it, versioned URLs are
cached for a year, the rest is revalidated by ETag (a 304 without a body), pages never cached
without asking. The transfer size of the designer in a real browser:
test_static_transfer_browser.py."""

from __future__ import annotations

import gzip
import re

from web.vendor import installed_version

PANEL = "bpmn-js-properties-panel"
PANEL_JS = "dist/bpmn-js-properties-panel.umd.js"
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def _version(app, package: str) -> str:
    with app.app_context():
        version = installed_version(package)
    assert version, f"{package} is not installed (npm ci)"
    return version


def _panel_url(app) -> str:
    return f"/vendor/{PANEL}@{_version(app, PANEL)}/{PANEL_JS}"


def _get(client, url: str, headers: dict[str, str] | None = None):
    """GET, read the body and close the file behind it (send_file streams from disk)."""
    response = client.get(url, headers=headers or {})
    response.get_data()
    response.close()
    return response


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/(?:static|vendor)/[^"]+)"', html)


def test_gzip_goes_to_browsers_that_accept_it(app) -> None:
    client = app.test_client()
    plain = _get(client, _panel_url(app))
    packed = _get(client, _panel_url(app), GZIP)

    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 4  # 2.5 MB of script -> about 500 KB
    assert packed.headers["Content-Type"].startswith("text/javascript")
    for response in (plain, packed):
        assert "Accept-Encoding" in response.headers["Vary"]
    # Different bodies, different validators: a cache never answers one with the other.
    assert plain.headers["ETag"] != packed.headers["ETag"]


def test_a_client_that_refuses_gzip_gets_the_plain_file(app) -> None:
    response = _get(app.test_client(), _panel_url(app), {"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in response.headers
    assert b"BpmnJSPropertiesPanel" in response.data


def test_app_static_files_are_compressed_too(app) -> None:
    client = app.test_client()
    url = client.get("/auth/login").get_data(as_text=True)
    app_css = next(u for u in _asset_urls(url) if u.startswith("/static/app.css"))
    response = _get(client, app_css, GZIP)
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"body" in gzip.decompress(response.data)


def test_images_and_fonts_are_not_compressed_again(app) -> None:
    response = _get(
        app.test_client(), "/vendor/bpmn-js/dist/assets/bpmn-font/font/bpmn.woff2", GZIP
    )
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers


def test_versioned_urls_are_cached_for_a_year(app) -> None:
    client = app.test_client()
    html = client.get("/auth/login").get_data(as_text=True)
    static_urls = [u for u in _asset_urls(html) if u.startswith("/static/")]
    assert static_urls and all(re.search(r"\?v=[0-9a-f]{12}$", u) for u in static_urls)
    for url in [*static_urls, _panel_url(app)]:
        response = _get(client, url, GZIP)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", url


def test_editor_page_links_versioned_npm_assets(app, login) -> None:
    client = login("designer")
    listing = client.get("/designer/").get_data(as_text=True)
    form = re.search(r'action="(/designer/versions/\d+/draft)"', listing)
    assert form
    token = re.search(r'name="csrf_token" value="([^"]+)"', listing)
    assert token
    editor = client.post(form.group(1), data={"csrf_token": token.group(1)}, follow_redirects=True)
    html = editor.get_data(as_text=True)
    assert f'{_panel_url(app)}"' in html
    assert f"/vendor/camunda-bpmn-moddle@{_version(app, 'camunda-bpmn-moddle')}/" in html
    for url in _asset_urls(html):
        assert _get(client, url).headers["Cache-Control"].endswith("immutable"), url


def test_unversioned_urls_are_revalidated_with_a_304(app) -> None:
    client = app.test_client()
    for url in (f"/vendor/{PANEL}/{PANEL_JS}", "/static/app.css"):
        first = _get(client, url, GZIP)
        assert first.headers["Cache-Control"] == "no-cache", url
        etag = first.headers["ETag"]
        again = _get(client, url, {**GZIP, "If-None-Match": etag})
        assert again.status_code == 304, url
        assert again.data == b""
        assert "Accept-Encoding" in again.headers["Vary"]
        # The plain body's validator does not match the gzip one.
        plain = _get(client, url, {"If-None-Match": etag})
        assert plain.status_code == 200, url


def test_an_outdated_version_is_served_but_not_cached(app) -> None:
    # A page cached before an upgrade still asks for the old version: it works, revalidated.
    client = app.test_client()
    old = _get(client, f"/vendor/{PANEL}@0.0.1/{PANEL_JS}")
    assert old.status_code == 200
    assert old.headers["Cache-Control"] == "no-cache"
    stale = _get(client, "/static/app.css?v=000000000000")
    assert stale.status_code == 200
    assert stale.headers["Cache-Control"] == "no-cache"


def test_compressed_copies_live_in_the_instance_folder(app, tmp_path) -> None:
    _get(app.test_client(), _panel_url(app), GZIP)
    stored = list((tmp_path / "static-cache").glob("*.gz"))
    assert len(stored) == 1
    assert re.fullmatch(r"[0-9a-f]{64}\.gz", stored[0].name)


def test_pages_are_never_cached_without_asking(app) -> None:
    response = app.test_client().get("/auth/login", headers=GZIP)
    assert response.headers["Cache-Control"] == "private, no-cache"
    # Pages carry the CSRF token: never compressed (BREACH), they are small anyway.
    assert "Content-Encoding" not in response.headers


def test_paths_outside_the_static_folder_are_not_served(app) -> None:
    client = app.test_client()
    assert _get(client, "/static/../app.py").status_code == 404
    assert _get(client, "/static/nothing-here.css").status_code == 404
    assert _get(client, f"/vendor/{PANEL}@5/../../package.json").status_code == 404
    assert _get(client, "/vendor/bpmn-js@1.0.0").status_code == 404
