"""Which map of the county's townships this deployment uses: its own GeoJSON
(``JUHAOBAN_MAP_GEOJSON``, a file path or a URL) or the shipped schematic one. The heat map
draws it; Open311 locates reported points with its polygons."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from flask import current_app

from analytics.schematic_map import SHIPPED
from rules.locating import Polygon, township_areas


def map_source() -> str | None:
    """The configured map (a URL or a file path); None for the shipped schematic map."""
    return current_app.config.get("MAP_GEOJSON") or os.environ.get("JUHAOBAN_MAP_GEOJSON")


def is_url(source: str | None) -> bool:
    return bool(source and source.startswith(("http://", "https://")))


def local_map_file() -> Path:
    """The map file on this machine: the configured one, or the schematic one when nothing
    or only a URL (which the server cannot read) is configured."""
    source = map_source()
    return Path(source) if source and not is_url(source) else SHIPPED


def read_map() -> dict[str, Any]:
    return json.loads(local_map_file().read_text(encoding="utf-8"))


def township_polygons() -> dict[str, list[Polygon]]:
    """Township id → polygons, parsed once per app."""
    cached = current_app.extensions.get("juhaoban.township_areas")
    if cached is None:
        cached = township_areas(read_map())
        current_app.extensions["juhaoban.township_areas"] = cached
    return cached
