"""The report page's county map and where a pin lands on it.

Pure (no Flask): the caller passes the township areas the heat map draws (GeoJSON polygons,
see ``web.county_map``) and the organisation's villages. The page draws the map as an inline
SVG from a :class:`CountyMap`; report.js repeats :func:`place`'s rule in the browser (the
nearest village dot, inside the county or within :data:`NEAR_M` of a village) so a tap and
the server agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from rules.locating import Polygon, distance_m, polygon_contains

Point = tuple[float, float]  # (lon, lat), GeoJSON order

# A phone's GPS fix near the county line may fall a little outside the drawn boundary (and
# the shipped boundary is only schematic): a point this close to a village still counts.
NEAR_M = 3000.0
METRES_PER_DEGREE = 6_371_000 * math.pi / 180
MAP_WIDTH = 1000.0
MAP_PAD = 12.0


@dataclass(frozen=True)
class Projection:
    """Equirectangular projection scaled at the county's middle latitude: over a county the
    distortion is far below a finger's width, and SVG distances stay proportional to metres."""

    west: float
    north: float
    units_per_degree_lat: float
    units_per_degree_lon: float
    pad: float
    width: float
    height: float

    def to_svg(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            self.pad + (lon - self.west) * self.units_per_degree_lon,
            self.pad + (self.north - lat) * self.units_per_degree_lat,
        )

    def to_lonlat(self, x: float, y: float) -> Point:
        return (
            self.west + (x - self.pad) / self.units_per_degree_lon,
            self.north - (y - self.pad) / self.units_per_degree_lat,
        )

    @property
    def metres_per_unit(self) -> float:
        return METRES_PER_DEGREE / self.units_per_degree_lat


def projection_for(points: Iterable[Point], *, width: float = MAP_WIDTH) -> Projection:
    """The projection that fits ``points`` into ``width`` SVG units (plus a padding)."""
    pts = list(points)
    if not pts:
        raise ValueError("no points to draw")
    west, east = min(p[0] for p in pts), max(p[0] for p in pts)
    south, north = min(p[1] for p in pts), max(p[1] for p in pts)
    shrink = math.cos(math.radians((north + south) / 2))
    span_x = max((east - west) * shrink, 1e-9)
    per_lat = (width - 2 * MAP_PAD) / span_x
    per_lon = per_lat * shrink
    height = (north - south) * per_lat + 2 * MAP_PAD
    return Projection(west, north, per_lat, per_lon, MAP_PAD, width, height)


@dataclass(frozen=True)
class VillageDot:
    id: str
    township_id: str
    x: float
    y: float


@dataclass(frozen=True)
class TownshipShape:
    id: str
    name: str
    path: str  # SVG path data; holes are separate rings (drawn with fill-rule evenodd)
    label_x: float
    label_y: float


@dataclass(frozen=True)
class CountyMap:
    projection: Projection
    townships: tuple[TownshipShape, ...]
    villages: tuple[VillageDot, ...]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.projection.width:.0f} {self.projection.height:.0f}"

    @property
    def near_units(self) -> float:
        """:data:`NEAR_M` in SVG units, for the browser's copy of :func:`place`."""
        return NEAR_M / self.projection.metres_per_unit


class _Village(Protocol):  # what the map needs of responsibility_catalog.Village
    @property
    def id(self) -> str: ...
    @property
    def township_id(self) -> str: ...
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...


def _ring_path(ring: Sequence[Point], projection: Projection) -> str:
    points = [projection.to_svg(lon, lat) for lon, lat in ring]
    if points and points[0] == points[-1]:
        points = points[:-1]
    head, *rest = points
    return f"M{head[0]:.1f} {head[1]:.1f}" + "".join(f"L{x:.1f} {y:.1f}" for x, y in rest) + "Z"


def build_county_map(
    areas: Mapping[str, Sequence[Polygon]],
    townships: Iterable[tuple[str, str]],
    villages: Sequence[_Village],
) -> CountyMap:
    """The map of ``townships`` ((id, name) in drawing order) with their ``areas`` and the
    ``villages`` as dots; a township is labelled at the middle of its villages."""
    corners = [p for polygons in areas.values() for poly in polygons for ring in poly for p in ring]
    corners += [(v.lon, v.lat) for v in villages]
    projection = projection_for(corners)
    dots = tuple(
        VillageDot(v.id, v.township_id, *projection.to_svg(v.lon, v.lat)) for v in villages
    )
    shapes = []
    for township_id, name in townships:
        rings = [ring for poly in areas.get(township_id, ()) for ring in poly if len(ring) >= 3]
        own = [d for d in dots if d.township_id == township_id]
        if not rings and not own:
            continue
        if own:
            label = (sum(d.x for d in own) / len(own), sum(d.y for d in own) / len(own))
        else:
            outer = [projection.to_svg(*p) for p in rings[0]]
            label = (sum(p[0] for p in outer) / len(outer), sum(p[1] for p in outer) / len(outer))
        path = "".join(_ring_path(ring, projection) for ring in rings)
        shapes.append(TownshipShape(township_id, name, path, *label))
    return CountyMap(projection, tuple(shapes), dots)


@dataclass(frozen=True)
class Placed:
    village_id: str
    township_id: str
    distance_m: float  # from the village's point


def nearest_village(lat: float, lon: float, villages: Iterable[_Village]) -> Placed | None:
    point = (lon, lat)
    best: Placed | None = None
    for village in villages:
        metres = distance_m(point, (village.lon, village.lat))
        if best is None or metres < best.distance_m:
            best = Placed(village.id, village.township_id, metres)
    return best


def in_county(lat: float, lon: float, areas: Mapping[str, Iterable[Polygon]]) -> bool:
    return any(
        polygon_contains(polygon, (lon, lat)) for polygons in areas.values() for polygon in polygons
    )


def place(
    lat: float,
    lon: float,
    *,
    villages: Sequence[_Village],
    areas: Mapping[str, Iterable[Polygon]],
    near_m: float = NEAR_M,
) -> Placed | None:
    """The village nearest to a pin or a GPS position, or ``None`` when the point is not in
    the county: outside every township area and farther than ``near_m`` from any village."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    found = nearest_village(lat, lon, villages)
    if found is None:
        return None
    if found.distance_m <= near_m or in_county(lat, lon, areas):
        return found
    return None
