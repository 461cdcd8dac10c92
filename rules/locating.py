"""Where a reported point lies: township by the map's polygons, village by the nearest
village point of that township.

Pure: the caller passes the township areas (the demo's schematic GeoJSON or a deployment's
own) and the organisation tree. A point outside every township area is outside the county.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from responsibility_catalog import Organisation

Point = tuple[float, float]  # (lon, lat), GeoJSON order
Ring = Sequence[Point]
Polygon = Sequence[Ring]  # outer ring, then holes


@dataclass(frozen=True)
class Located:
    township_id: str
    village_id: str
    distance_m: float  # from the village's point: how far the guess may be off


def _ring_contains(ring: Ring, x: float, y: float) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def polygon_contains(polygon: Polygon, point: Point) -> bool:
    outer, *holes = polygon
    x, y = point
    return _ring_contains(outer, x, y) and not any(_ring_contains(h, x, y) for h in holes)


def distance_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres (haversine): plenty for a county."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def township_areas(geojson: Mapping[str, Any]) -> dict[str, list[Polygon]]:
    """Township id → polygons, from a GeoJSON FeatureCollection of (Multi)Polygons whose
    features carry ``properties.id``."""
    areas: dict[str, list[Polygon]] = {}
    for feature in geojson.get("features", []):
        geometry = feature["geometry"]
        township = str(feature["properties"]["id"])
        if geometry["type"] == "Polygon":
            polygons = [geometry["coordinates"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = list(geometry["coordinates"])
        else:
            continue
        areas.setdefault(township, []).extend(
            [[(float(p[0]), float(p[1])) for p in ring] for ring in poly] for poly in polygons
        )
    return areas


def locate(
    lat: float,
    lon: float,
    *,
    areas: Mapping[str, Iterable[Polygon]],
    organisation: Organisation,
) -> Located | None:
    """The township whose area holds the point and its nearest village; ``None`` outside."""
    point = (lon, lat)
    for township_id, polygons in areas.items():
        if any(polygon_contains(polygon, point) for polygon in polygons):
            villages = [v for v in organisation.villages if v.township_id == township_id]
            if not villages:
                return None
            nearest = min(villages, key=lambda v: distance_m(point, (v.lon, v.lat)))
            return Located(township_id, nearest.id, distance_m(point, (nearest.lon, nearest.lat)))
    return None


def match_address(text: str, organisation: Organisation) -> list[str]:
    """Village ids whose name (or township name + village name) the address mentions;
    the longest names win so 西郭城村 is not also 郭城村."""
    cleaned = "".join(text.split())
    townships = {t.id: t.name for t in organisation.townships}
    hits = [v for v in organisation.villages if v.name and v.name in cleaned]
    if not hits:
        return []
    in_named_township = [v for v in hits if townships.get(v.township_id, "\0") in cleaned]
    if in_named_township:
        hits = in_named_township
    longest = max(len(v.name) for v in hits)
    return sorted(v.id for v in hits if len(v.name) == longest)
