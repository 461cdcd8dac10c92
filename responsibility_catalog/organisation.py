"""The organisation tree: county departments, townships, villages, grids and roads."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .problems import SchemaError

UNIT_KINDS = ("department", "township", "dispatch", "organisation", "enterprise")


def _get(data: Any, key: str, typ: type | tuple[type, ...], *, default: Any = ...) -> Any:
    if not isinstance(data, dict):
        raise SchemaError(key, "应为键值映射")
    if key not in data:
        if default is not ...:
            return default
        raise SchemaError(key, "缺少此字段")
    value = data[key]
    types = typ if isinstance(typ, tuple) else (typ,)
    if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
        raise SchemaError(key, f"值“{value}”类型不对")
    return value


@dataclass(frozen=True)
class Unit:
    """A body that can be primary or supporting: a department, a township, the dispatch centre."""

    id: str
    name: str
    kind: str
    short: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "short": self.short, "kind": self.kind}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Unit:
        kind = _get(d, "kind", str)
        if kind not in UNIT_KINDS:
            raise SchemaError("kind", f"单位类别“{kind}”未知，应为 {'、'.join(UNIT_KINDS)}")
        return cls(
            _get(d, "id", str), _get(d, "name", str), kind, _get(d, "short", str, default="")
        )


@dataclass(frozen=True)
class Road:
    """A road villages can lie along; ``road_class`` is 国道, 省道 or 县道."""

    id: str
    name: str
    road_class: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "class": self.road_class}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Road:
        return cls(_get(d, "id", str), _get(d, "name", str), _get(d, "class", str))


@dataclass(frozen=True)
class Grid:
    """A grid (网格) of a village, with its households and grid workers."""

    id: str
    name: str
    households: int
    workers: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "households": self.households,
            "workers": self.workers,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Grid:
        return cls(
            _get(d, "id", str),
            _get(d, "name", str),
            _get(d, "households", int),
            _get(d, "workers", int),
        )


@dataclass(frozen=True)
class Village:
    """A village (村) or community (社区): the location a complaint is about."""

    id: str
    name: str
    township_id: str
    kind: str
    households: int
    population: int
    built_up: bool
    township_seat: bool
    roads: tuple[str, ...]
    distance_km: float
    lat: float
    lon: float
    grids: tuple[Grid, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "households": self.households,
            "population": self.population,
            "built_up": self.built_up,
            "township_seat": self.township_seat,
            "roads": list(self.roads),
            "distance_km": self.distance_km,
            "lat": self.lat,
            "lon": self.lon,
            "grids": [g.to_dict() for g in self.grids],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], township_id: str) -> Village:
        return cls(
            id=_get(d, "id", str),
            name=_get(d, "name", str),
            township_id=township_id,
            kind=_get(d, "kind", str),
            households=_get(d, "households", int),
            population=_get(d, "population", int),
            built_up=_get(d, "built_up", bool),
            township_seat=_get(d, "township_seat", bool, default=False),
            roads=tuple(_get(d, "roads", list, default=[])),
            distance_km=float(_get(d, "distance_km", (int, float))),
            lat=float(_get(d, "lat", (int, float))),
            lon=float(_get(d, "lon", (int, float))),
            grids=tuple(Grid.from_dict(g) for g in _get(d, "grids", list, default=[])),
        )


@dataclass(frozen=True)
class Township:
    """A township (镇/乡): both an administrative area and a unit (属地)."""

    id: str
    name: str
    kind: str
    population: int
    grid_workers: int
    lat: float
    lon: float
    villages: tuple[Village, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "township": {
                "id": self.id,
                "name": self.name,
                "kind": self.kind,
                "population": self.population,
                "grid_workers": self.grid_workers,
                "lat": self.lat,
                "lon": self.lon,
            },
            "villages": [v.to_dict() for v in self.villages],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Township:
        t = _get(d, "township", dict)
        tid = _get(t, "id", str)
        return cls(
            id=tid,
            name=_get(t, "name", str),
            kind=_get(t, "kind", str),
            population=_get(t, "population", int),
            grid_workers=_get(t, "grid_workers", int),
            lat=float(_get(t, "lat", (int, float))),
            lon=float(_get(t, "lon", (int, float))),
            villages=tuple(Village.from_dict(v, tid) for v in _get(d, "villages", list)),
        )

    def as_unit(self) -> Unit:
        return Unit(self.id, self.name, "township", self.name)


@dataclass(frozen=True)
class Organisation:
    """The whole tree of the county, as one immutable value."""

    county: dict[str, Any]
    roads: tuple[Road, ...]
    units: tuple[Unit, ...]
    townships: tuple[Township, ...]

    def __hash__(self) -> int:
        return hash((self.county.get("name"), len(self.units), len(self.townships)))

    @cached_property
    def all_units(self) -> dict[str, Unit]:
        """Every unit by id: departments and bodies first, then townships."""
        found = {u.id: u for u in self.units}
        found.update({t.id: t.as_unit() for t in self.townships})
        return found

    @cached_property
    def units_by_name(self) -> dict[str, Unit]:
        return {u.name: u for u in self.all_units.values()}

    @cached_property
    def villages(self) -> tuple[Village, ...]:
        return tuple(v for t in self.townships for v in t.villages)

    @cached_property
    def villages_by_id(self) -> dict[str, Village]:
        return {v.id: v for v in self.villages}

    @cached_property
    def townships_by_id(self) -> dict[str, Township]:
        return {t.id: t for t in self.townships}

    @cached_property
    def roads_by_id(self) -> dict[str, Road]:
        return {r.id: r for r in self.roads}

    def find_village(self, key: str) -> Village | None:
        """Find a village by id, by name, or by ``乡镇/村`` / ``乡镇村`` for readability."""
        return self._village_keys.get(key.strip())

    @cached_property
    def _village_keys(self) -> dict[str, Village]:
        keys: dict[str, Village] = {}
        for t in self.townships:
            for v in t.villages:
                for key in (v.id, v.name, f"{t.name}/{v.name}", f"{t.name}{v.name}"):
                    keys.setdefault(key, v)
        return keys

    def to_dict(self) -> dict[str, Any]:
        return {
            "county": dict(self.county),
            "roads": [r.to_dict() for r in self.roads],
            "units": [u.to_dict() for u in self.units],
            "townships": [t.to_dict() for t in self.townships],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Organisation:
        return cls(
            county=dict(_get(d, "county", dict)),
            roads=tuple(Road.from_dict(r) for r in _get(d, "roads", list, default=[])),
            units=tuple(Unit.from_dict(u) for u in _get(d, "units", list)),
            townships=tuple(Township.from_dict(t) for t in _get(d, "townships", list)),
        )
