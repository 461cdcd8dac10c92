"""The shipped sample data: the demo county's tree and both catalog versions."""

from __future__ import annotations

import pytest

from responsibility_catalog import Catalog, read_catalogs, shipped_data_path, validate

TOWNSHIPS = [
    "巨鹿镇",
    "王虎寨镇",
    "西郭城镇",
    "官亭镇",
    "阎疃镇",
    "小吕寨镇",
    "苏家营镇",
    "堤村乡",
    "张王疃乡",
    "观寨乡",
]
DEPARTMENTS = [
    "县城市管理综合行政执法局",
    "县供水服务中心",
    "县农业农村局",
    "县民政局",
    "县医疗保障局",
    "县住房和城乡建设局",
    "县市场监督管理局",
    "邢台市生态环境局巨鹿县分局",
    "县交通运输局",
    "县水利局",
    "县自然资源和规划局",
    "县卫生健康局",
    "县人力资源和社会保障局",
    "县教育局",
    "县应急管理局",
    "县公安局",
    "县司法局",
    "县供电公司",
    "县大数据发展中心",
    "县委组织部",
]


def test_shipped_versions_validate_clean() -> None:
    catalogs, problems = read_catalogs(shipped_data_path())
    assert [str(p) for p in problems] == []
    assert [c.label for c in catalogs] == ["2020-05", "2022-06"]
    assert [c.status.value for c in catalogs] == ["superseded", "published"]


@pytest.mark.parametrize("label", ["2020-05", "2022-06"])
def test_validator_finds_nothing_in_shipped_versions(
    catalogs: tuple[Catalog, ...], label: str
) -> None:
    catalog = next(c for c in catalogs if c.label == label)
    assert validate(catalog) == []
    assert len(catalog.domains) == 28
    assert len(catalog.matters()) >= 150


def test_tree_has_the_real_townships_and_plausible_totals(published: Catalog) -> None:
    org = published.organisation
    assert [t.name for t in org.townships] == TOWNSHIPS
    assert len(org.villages) == 294
    assert sum(t.population for t in org.townships) == 293_000
    assert sum(v.population for v in org.villages) == 293_000
    assert sum(t.grid_workers for t in org.townships) == 2_800
    assert sum(g.workers for v in org.villages for g in v.grids) == 2_800
    assert all(v.grids and v.households > 0 for v in org.villages)
    assert org.county["sample_data"] is True


@pytest.mark.parametrize(
    ("village", "township"),
    [
        ("马家营村", "西郭城镇"),
        ("小吕寨村", "小吕寨镇"),
        ("孔寨村", "堤村乡"),
        ("前堤村", "堤村乡"),
    ],
)
def test_known_villages_are_in_their_townships(
    published: Catalog, village: str, township: str
) -> None:
    org = published.organisation
    found = org.find_village(village)
    assert found is not None
    assert org.townships_by_id[found.township_id].name == township


def test_departments_named_in_the_issue_exist(published: Catalog) -> None:
    names = published.organisation.units_by_name
    assert [d for d in DEPARTMENTS if d not in names] == []


@pytest.mark.parametrize(
    "word",
    ["垃圾点", "路灯", "井盖", "水管", "低保", "报销", "病虫害", "金银花", "纠纷", "占道经营"],
)
def test_catalog_covers_the_matters_the_county_is_known_for(published: Catalog, word: str) -> None:
    assert any(word in m.name or word in m.keywords for m in published.matters())


def test_every_matter_has_keywords_basis_and_a_fallback_or_total_rules(published: Catalog) -> None:
    for matter in published.matters():
        assert matter.keywords, matter.id
        assert all(r.basis for r in matter.rules), matter.id
