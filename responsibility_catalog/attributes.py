"""Location attributes that conditions may test, derived from the organisation tree."""

from __future__ import annotations

from dataclasses import dataclass

from .conditions import Along, Compare, Condition, Equals, Flag, Otherwise, atoms
from .organisation import Organisation, Village

BUILT_UP = "城区建成区"
TOWNSHIP_SEAT = "乡镇驻地"
DISTANCE = "距县城"
TOWNSHIP = "乡镇"
KIND = "类型"
FLAG_NAMES = (BUILT_UP, TOWNSHIP_SEAT, "社区", "村")
NUMBER_UNITS = {DISTANCE: ("公里", "千米", "km", "")}


@dataclass(frozen=True)
class LocationFacts:
    """What conditions can test about one village (see CONDITIONS.md)."""

    flags: frozenset[str]
    roads: frozenset[str]
    numbers: dict[str, float]
    values: dict[str, str]


def location_facts(organisation: Organisation, village: Village) -> LocationFacts:
    """Build the testable attributes of ``village``."""
    flags = {village.kind}
    if village.built_up:
        flags.add(BUILT_UP)
    if village.township_seat:
        flags.add(TOWNSHIP_SEAT)
    roads: set[str] = set()
    for road_id in village.roads:
        road = organisation.roads_by_id.get(road_id)
        roads.add(road_id)
        if road is not None:
            roads.update((road.name, road.road_class))
    township = organisation.townships_by_id[village.township_id]
    return LocationFacts(
        flags=frozenset(flags),
        roads=frozenset(roads),
        numbers={DISTANCE: village.distance_km},
        values={TOWNSHIP: township.name, KIND: village.kind},
    )


def unknown_attributes(condition: Condition, organisation: Organisation) -> list[str]:
    """Chinese messages for every part of ``condition`` the tree gives no meaning to."""
    road_words = {r.id for r in organisation.roads}
    road_words |= {r.name for r in organisation.roads}
    road_words |= {r.road_class for r in organisation.roads} | {"国道", "省道", "县道", "乡道"}
    enums = {
        TOWNSHIP: {t.name for t in organisation.townships},
        KIND: {"村", "社区"},
    }
    found: list[str] = []
    for atom in atoms(condition):
        if isinstance(atom, Otherwise):
            continue
        if isinstance(atom, Flag) and atom.name not in FLAG_NAMES:
            found.append(
                f"条件“{atom.name}”不是已知的地点属性（可用：{'、'.join(FLAG_NAMES)}、"
                f"沿某道路、{DISTANCE}≤N公里、{TOWNSHIP}=某乡镇）"
            )
        elif isinstance(atom, Along) and atom.road not in road_words:
            found.append(f"道路“{atom.road}”未在组织架构中登记")
        elif isinstance(atom, Compare):
            if atom.attribute not in NUMBER_UNITS:
                found.append(f"数值属性“{atom.attribute}”未知（可用：{DISTANCE}）")
            elif atom.unit not in NUMBER_UNITS[atom.attribute]:
                found.append(f"“{atom}”的单位“{atom.unit}”不对，应为公里")
        elif isinstance(atom, Equals):
            if atom.attribute not in enums:
                found.append(f"属性“{atom.attribute}”未知（可用：{TOWNSHIP}、{KIND}）")
            elif atom.value not in enums[atom.attribute]:
                found.append(f"“{atom.attribute}”没有取值“{atom.value}”")
    return found
