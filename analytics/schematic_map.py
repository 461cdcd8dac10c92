"""A SCHEMATIC map of the county's townships, built from the organisation tree.

Not a survey: each township's area is the set of points nearer to one of its villages than
to any other township's village (the union of its villages' Voronoi cells), clipped to a hull
around all villages. It lets the
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


def _voronoi(points: list[Point], hull: list[Point]) -> list[list[Point]]:
    """Each point's cell (points nearer to it than to any other), clipped to ``hull``."""
    cells = []
    for i, site in enumerate(points):
        # Nearest first: the cell shrinks fast and later clips touch few vertices.
        others = sorted(
            (p for j, p in enumerate(points) if j != i),
            key=lambda p: (p[0] - site[0]) ** 2 + (p[1] - site[1]) ** 2,
        )
        cell = hull
        for other in others:
            if other == site:
                continue
            cell = _clip(cell, site, other)
        cells.append(cell)
    return cells


def _outline(cells: list[list[Point]]) -> list[list[Point]] | None:
    """The outer ring(s) of adjacent cells: edges two cells share cancel out; None when the
    remaining edges do not chain into closed rings (then the cells are drawn as they are)."""

    def key(p: Point) -> Point:
        return (round(p[0], 6), round(p[1], 6))

    edges: dict[tuple[Point, Point], None] = {}
    for cell in cells:
        for a, b in zip(cell, cell[1:] + cell[:1], strict=True):
            ka, kb = key(a), key(b)
            if ka == kb:
                continue
            if (kb, ka) in edges:
                del edges[(kb, ka)]
            else:
                edges[(ka, kb)] = None
    following: dict[Point, list[Point]] = {}
    for a, b in edges:
        following.setdefault(a, []).append(b)
    rings = []
    while following:
        start = next(iter(following))
        ring, current = [start], start
        while True:
            targets = following.get(current)
            if not targets:
                return None
            nxt = targets.pop()
            if not targets:
                del following[current]
            if nxt == start:
                break
            ring.append(nxt)
            current = nxt
        rings.append(ring)
    return rings


def _signed_area(ring: list[Point]) -> float:
    """Positive for counter-clockwise rings (outer boundaries), negative for holes."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1], strict=True))


def _contains(ring: list[Point], point: Point) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _polygons(rings: list[list[Point]]) -> list[list[list[Point]]]:
    """Outer rings with the holes inside them (a township around another's enclave)."""
    outers = [r for r in rings if _signed_area(r) > 0]
    polygons: list[list[list[Point]]] = [[r] for r in outers]
    for hole in (r for r in rings if _signed_area(r) < 0):
        for polygon in polygons:
            if _contains(polygon[0], hole[0]):
                polygon.append(hole)
                break
    return polygons


def _closed(ring: list[Point]) -> list[list[float]]:
    out = [[round(x, 5), round(y, 5)] for x, y in ring]
    return [*out, out[0]]


def build_geojson(organisation: Organisation) -> dict[str, Any]:
    """Each township's area is the union of its villages' Voronoi cells, so every village
    (and every report drawn at it) lies inside its own township."""
    villages = list(organisation.villages)
    points = [(v.lon, v.lat) for v in villages]
    cx = sum(p[0] for p in points) / len(points)
    cy = sum(p[1] for p in points) / len(points)
    hull = [(cx + (x - cx) * (1 + MARGIN), cy + (y - cy) * (1 + MARGIN)) for x, y in _hull(points)]
    cells = _voronoi(points, hull)
    features = []
    for township in organisation.townships:
        own = [
            cell for v, cell in zip(villages, cells, strict=True) if v.township_id == township.id
        ]
        rings = _outline(own)
        if rings:
            # Synthetic village positions interleave, so a township may come in pieces.
            geometry = {
                "type": "MultiPolygon",
                "coordinates": [[_closed(r) for r in poly] for poly in _polygons(rings)],
            }
        else:
            geometry = {
                "type": "MultiPolygon",
                "coordinates": [[_closed(cell)] for cell in own if len(cell) >= 3],
            }
        features.append(
            {
                "type": "Feature",
                "properties": {"id": township.id, "name": township.name, "schematic": True},
                "geometry": geometry,
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
