"""The shipped county map is schematic, reproducible, and puts every village in its own
township's area."""

from __future__ import annotations

import json

from analytics.schematic_map import SHIPPED, build_geojson
from responsibility_catalog import load_catalogs, shipped_data_path

ORG = load_catalogs(shipped_data_path())[-1].organisation


def _inside(point, ring) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_the_shipped_file_is_what_the_generator_builds_and_says_it_is_schematic():
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert shipped == build_geojson(ORG)
    assert shipped["schematic"] is True and "示意图" in shipped["name"]
    assert [f["properties"]["name"] for f in shipped["features"]] == [t.name for t in ORG.townships]


def test_every_village_falls_inside_its_townships_area_and_no_other():
    areas = {f["properties"]["id"]: f["geometry"] for f in build_geojson(ORG)["features"]}

    def inside(point, geometry) -> bool:
        # In some piece's outer ring and in none of that piece's holes.
        return any(
            _inside(point, piece[0]) and not any(_inside(point, hole) for hole in piece[1:])
            for piece in geometry["coordinates"]
        )

    villages = list(ORG.villages)
    outside = [v.name for v in villages if not inside((v.lon, v.lat), areas[v.township_id])]
    assert outside == []
    assert all(sum(inside((v.lon, v.lat), g) for g in areas.values()) == 1 for v in villages)
