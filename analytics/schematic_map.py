"""A SCHEMATIC map of the county's townships, built from the organisation tree.

Not a survey: each township's area is the set of points nearer to its villages' centre than
to any other township's (a Voronoi cell), clipped to a hull around all villages. It lets the
heat map shade townships without shipping real boundaries; a deployment sets
``JUHAOBAN_MAP_GEOJSON`` to its own GeoJSON (features named by township name or carrying
``properties.id``). Regenerate the shipped file with ``python -m analytics.schematic_map``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from responsibility_catalog import Organisation

SHIPPED = Path(__file__).parent / "data" / "julu-townships.schematic.geojson"
MARGIN = 0.12  # the hull is pushed this share further out from the county's centre

Point = tuple[float, float]


def _hull(points: list[Point]) -> list[Point]:
    """Convex hull, counter-clockwise (Andrew's monotone chain)."""
    pts = sorted(set(points))

    def cross(o: Point, a: Point, b: Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point] = []
    upper: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _clip(polygon: list[Point], site: Point, other: Point) -> list[Point]:
    """Keep the part of ``polygon`` nearer to ``site`` than to ``other`` (Sutherland–Hodgman
    against the perpendicular bisector)."""
    mx, my = (site[0] + other[0]) / 2, (site[1] + other[1]) / 2
    nx, ny = other[0] - site[0], other[1] - site[1]

    def inside(p: Point) -> bool:
        return (p[0] - mx) * nx + (p[1] - my) * ny <= 0

    def meet(a: Point, b: Point) -> Point:
        da = (a[0] - mx) * nx + (a[1] - my) * ny
        db = (b[0] - mx) * nx + (b[1] - my) * ny
        t = da / (da - db)
        return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))

    out: list[Point] = []
    for i, current in enumerate(polygon):
        previous = polygon[i - 1]
        if inside(current):
            if not inside(previous):
                out.append(meet(previous, current))
            out.append(current)
        elif inside(previous):
            out.append(meet(previous, current))
    return out


def build_geojson(organisation: Organisation) -> dict[str, Any]:
    sites = {
        t.id: (
            sum(v.lon for v in t.villages) / len(t.villages) if t.villages else t.lon,
            sum(v.lat for v in t.villages) / len(t.villages) if t.villages else t.lat,
        )
        for t in organisation.townships
    }
    everything = [(v.lon, v.lat) for v in organisation.villages] + list(sites.values())
    cx = sum(p[0] for p in everything) / len(everything)
    cy = sum(p[1] for p in everything) / len(everything)
    hull = [
        (cx + (x - cx) * (1 + MARGIN), cy + (y - cy) * (1 + MARGIN)) for x, y in _hull(everything)
    ]
    features = []
    for township in organisation.townships:
        cell = hull
        for other_id, other in sites.items():
            if other_id != township.id:
                cell = _clip(cell, sites[township.id], other)
        ring = [[round(x, 5), round(y, 5)] for x, y in cell]
        ring.append(ring[0])
        features.append(
            {
                "type": "Feature",
                "properties": {"id": township.id, "name": township.name, "schematic": True},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return {
        "type": "FeatureCollection",
        "name": "示意图：乡镇范围按村庄位置推算，非实测边界",
        "schematic": True,
        "features": features,
    }


def main() -> None:  # pragma: no cover - a maintenance command
    from responsibility_catalog import load_catalogs, shipped_data_path

    organisation = load_catalogs(shipped_data_path())[-1].organisation
    SHIPPED.parent.mkdir(exist_ok=True)
    text = json.dumps(build_geojson(organisation), ensure_ascii=False)
    SHIPPED.write_text(text + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {SHIPPED}\n")


if __name__ == "__main__":  # pragma: no cover
    main()
