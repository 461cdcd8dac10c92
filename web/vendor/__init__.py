"""Browser libraries installed from npm (``npm ci`` in the set-up command), served as files.

Only the packages listed here are reachable, so ``node_modules`` as a whole is never exposed;
templates call ``vendor_url(package, path)``, which puts the installed version into the URL
(``/vendor/bpmn-js@18.31.1/dist/...``): such a URL always means the same bytes, so browsers keep
it for a year, and an upgrade changes the URL. Compression and caching: ``web.static_assets``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from flask import Blueprint, abort, current_app, url_for
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

from web.static_assets import send_asset

bp = Blueprint("vendor", __name__, url_prefix="/vendor")

PACKAGES = frozenset(
    {
        "bpmn-js",
        "bpmn-js-properties-panel",
        "@bpmn-io/properties-panel",
        "camunda-bpmn-moddle",
        "echarts",
        # The designer's own panel entries are preact components (engine-panel.js); the
        # properties panel bundles preact but does not export its `h`.
        "preact",
    }
)
_SUFFIXES = (".js", ".css", ".json", ".woff", ".woff2", ".ttf", ".eot", ".svg", ".map")

_versions: dict[Path, tuple[int, str]] = {}


def node_modules_dir() -> Path:
    configured = current_app.config.get("NODE_MODULES_DIR") or os.environ.get(
        "JUHAOBAN_NODE_MODULES"
    )
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "node_modules"


def installed_version(package: str) -> str | None:
    """The version in the installed package's package.json (re-read when the file changes)."""
    manifest = node_modules_dir() / package / "package.json"
    try:
        mtime = manifest.stat().st_mtime_ns
    except OSError:
        return None
    cached = _versions.get(manifest)
    if cached is None or cached[0] != mtime:
        version = str(json.loads(manifest.read_text(encoding="utf-8")).get("version") or "")
        cached = _versions[manifest] = (mtime, version)
    return cached[1] or None


def _split(asset: str) -> tuple[str, str | None, str]:
    """``@scope/name@1.2.3/dist/x.js`` -> (``@scope/name``, ``1.2.3``, ``dist/x.js``)."""
    parts = asset.split("/", 2 if asset.startswith("@") else 1)
    if asset.startswith("@"):
        if len(parts) < 3:
            return asset, None, ""
        name, rest = f"{parts[0]}/{parts[1]}", parts[2]
    else:
        if len(parts) < 2:
            return asset, None, ""
        name, rest = parts
    scope = "@" if name.startswith("@") else ""
    package, at, version = name[len(scope) :].partition("@")
    return scope + package, (version if at else None), rest


@bp.get("/<path:asset>")
def asset(asset: str) -> Response:
    package, version, rest = _split(asset)
    if package not in PACKAGES or not rest.endswith(_SUFFIXES):
        abort(404, description="没有这个前端资源")
    root = node_modules_dir() / package
    if not root.is_dir():
        abort(404, description=f"前端资源 {package} 未安装：请运行 npm ci（./dev run 会自动安装）")
    found = safe_join(str(root), rest)
    if found is None or not os.path.isfile(found):
        abort(404, description="没有这个前端资源")
    # A year in the cache only when the URL names the installed version; an old page asking
    # for a version that was upgraded since gets today's file, revalidated each time.
    return send_asset(
        Path(found), immutable=version is not None and version == installed_version(package)
    )


def vendor_url(package: str, path: str) -> str:
    version = installed_version(package)
    name = f"{package}@{version}" if version else package
    return url_for("vendor.asset", asset=f"{name}/{path}")


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["vendor_url"] = vendor_url
