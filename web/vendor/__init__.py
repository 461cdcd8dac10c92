"""Browser libraries installed from npm (``npm ci`` in the set-up command), served as files.

Only the packages listed here are reachable, so ``node_modules`` as a whole is never exposed;
templates call ``vendor_url(package, path)``.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory, url_for
from werkzeug.wrappers import Response

bp = Blueprint("vendor", __name__, url_prefix="/vendor")

PACKAGES = frozenset(
    {
        "bpmn-js",
        "bpmn-js-properties-panel",
        "@bpmn-io/properties-panel",
        "camunda-bpmn-moddle",
        "echarts",
    }
)
_SUFFIXES = (".js", ".css", ".json", ".woff", ".woff2", ".ttf", ".eot", ".svg", ".map")


def node_modules_dir() -> Path:
    configured = current_app.config.get("NODE_MODULES_DIR") or os.environ.get(
        "JUHAOBAN_NODE_MODULES"
    )
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "node_modules"


@bp.get("/<path:asset>")
def asset(asset: str) -> Response:
    package, _, rest = asset.partition("/")
    if package.startswith("@"):
        scope_name, _, rest = rest.partition("/")
        package = f"{package}/{scope_name}"
    if package not in PACKAGES or not rest.endswith(_SUFFIXES):
        abort(404, description="没有这个前端资源")
    root = node_modules_dir() / package
    if not root.is_dir():
        abort(404, description=f"前端资源 {package} 未安装：请运行 npm ci（./dev run 会自动安装）")
    response = send_from_directory(root, rest, max_age=3600)
    return response


def vendor_url(package: str, path: str) -> str:
    return url_for("vendor.asset", asset=f"{package}/{path}")


def init_app(app) -> None:  # type: ignore[no-untyped-def]
    app.register_blueprint(bp)
    app.jinja_env.globals["vendor_url"] = vendor_url
