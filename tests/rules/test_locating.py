"""A reported point → township (by the map's areas) and nearest village; outside → None."""

from __future__ import annotations

import json

import pytest

from analytics.schematic_map import SHIPPED
from rules.locating import locate, match_address, polygon_contains, township_areas

SQUARE = [[(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)]]
WITH_HOLE = [SQUARE[0], [(0.5, 0.5), (1.5, 0.5), (1.5, 1.5), (0.5, 1.5), (0.5, 0.5)]]


@pytest.fixture(scope="module")
def areas():
    return township_areas(json.loads(SHIPPED.read_text(encoding="utf-8")))


def test_point_in_polygon_respects_holes() -> None:
    assert polygon_contains(SQUARE, (1.0, 1.0))
    assert not polygon_contains(SQUARE, (3.0, 1.0))
    assert not polygon_contains(WITH_HOLE, (1.0, 1.0))
    assert polygon_contains(WITH_HOLE, (0.2, 1.0))


def test_every_village_point_locates_to_itself(areas, shipped_catalogs) -> None:
    organisation = shipped_catalogs[-1].organisation
    wrong = []
    for village in organisation.villages:
        found = locate(village.lat, village.lon, areas=areas, organisation=organisation)
        if found is None or (found.township_id, found.village_id) != (
            village.township_id,
            village.id,
        ):
            wrong.append(village.id)
    assert wrong == []


def test_a_point_near_a_village_finds_it_with_the_distance(areas, shipped_catalogs) -> None:
    organisation = shipped_catalogs[-1].organisation
    village = organisation.villages_by_id["xiguocheng-002"]
    found = locate(village.lat + 0.0005, village.lon, areas=areas, organisation=organisation)
    assert found.village_id == "xiguocheng-002"
    assert 40 < found.distance_m < 70  # 0.0005° of latitude ≈ 55 m


@pytest.mark.parametrize(("lat", "lon"), [(39.9042, 116.4074), (37.22, 114.5), (0.0, 0.0)])
def test_points_outside_the_county_are_not_located(areas, shipped_catalogs, lat, lon) -> None:
    assert locate(lat, lon, areas=areas, organisation=shipped_catalogs[-1].organisation) is None


def test_address_text_matches_village_names(shipped_catalogs) -> None:
    organisation = shipped_catalogs[-1].organisation
    village = organisation.villages_by_id["xiguocheng-002"]
    township = next(t for t in organisation.townships if t.id == village.township_id)
    assert match_address(f"河北省巨鹿县{township.name}{village.name}村口", organisation) == [
        village.id
    ]
    assert match_address("不知道在哪里", organisation) == []
