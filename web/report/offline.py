"""The report page as an installable web app for grid workers without signal (issue 20).

The service worker is served from ``/report/`` rather than ``/static/`` because a worker
controls only pages under the folder of its own URL: from here it may serve the report
page when the network is down. Its script lives in ``web/static/report-sw.js``.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app, jsonify, request, url_for
from werkzeug.wrappers import Response

from web.report.blueprint import bp
from web.static_assets import REVALIDATE, fingerprint

APP_NAME = "巨好办·我要反映"


def _static_path(name: str) -> Path:
    return Path(current_app.static_folder or "") / name


@bp.get("/sw.js")
def service_worker() -> Response:
    path = _static_path("report-sw.js")
    response = Response(path.read_bytes(), mimetype="text/javascript")
    # The browser checks for a new worker against this URL; it must never keep an old one
    # for long, or a fix to the worker would reach phones days later.
    response.headers["Cache-Control"] = REVALIDATE
    response.set_etag(fingerprint(path)[:32])
    return response.make_conditional(request)


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    manifest = {
        "name": APP_NAME,
        "short_name": "我要反映",
        "description": "网格员代群众反映问题；没有信号也能先存着，有信号后自动发送",
        "lang": "zh-CN",
        "start_url": url_for("report.new"),
        "scope": url_for("report.new").rsplit("/", 1)[0] + "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b71c1c",
        "icons": [
            {
                "src": url_for("static", filename="icons/report.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
            },
            {
                "src": url_for("static", filename="icons/report-192.png"),
                "sizes": "192x192",
                "type": "image/png",
            },
            {
                "src": url_for("static", filename="icons/report-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any maskable",
            },
        ],
    }
    response = jsonify(manifest)
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = REVALIDATE
    return response
