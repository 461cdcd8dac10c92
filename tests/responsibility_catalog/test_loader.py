"""Loading the YAML files: version overlays, and problems named by file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from responsibility_catalog import (
    Catalog,
    CatalogInvalid,
    load_catalog,
    load_catalogs,
    read_catalogs,
    shipped_data_path,
)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A writable copy of the shipped data root."""
    root = tmp_path / "data"
    shutil.copytree(shipped_data_path(), root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_2022_list_is_the_2020_list_with_its_changes(
    launch: Catalog, published: Catalog
) -> None:
    assert published.based_on == "2020-05"
    assert "D28-03" in launch.matters_by_id and "D28-03" not in published.matters_by_id
    assert "D20-06" in published.matters_by_id and "D20-06" not in launch.matters_by_id
    assert len(launch.matters_by_id["D04-01"].rules) == 2
    assert len(published.matters_by_id["D04-01"].rules) == 3
    assert published.matters_by_id["D04-01"].source == "2022-06/04-city-appearance.yaml"
    # untouched matters are shared unchanged, in the same list position
    assert published.matters_by_id["D11-01"] == launch.matters_by_id["D11-01"]
    assert [d.id for d in published.domains] == [d.id for d in launch.domains]


def test_load_catalog_by_label(data: Path) -> None:
    assert load_catalog(data, "2022-06").label == "2022-06"
    with pytest.raises(CatalogInvalid, match="没有版本“2031-01”"):
        load_catalog(data, "2031-01")


def test_unknown_unit_in_a_file_is_named_with_file_matter_rule_in_every_version(data: Path) -> None:
    edit(data / "catalog/2020-05/07-water.yaml", "primary: water_supply", "primary: water_suply")
    with pytest.raises(CatalogInvalid) as caught:
        load_catalogs(data)
    messages = [str(p) for p in caught.value.problems]
    expected = "文件 2020-05/07-water.yaml，事项 D07-01，规则 1，字段 primary：主体责任单位“water_suply”不存在"
    assert messages == [f"版本 2020-05，{expected}", f"版本 2022-06，{expected}"]


def test_a_fix_in_the_newer_version_only_fixes_that_version(data: Path) -> None:
    edit(data / "catalog/2022-06/04-city-appearance.yaml", "when: 城区建成区\n", "when: 开发区\n")
    _, problems = read_catalogs(data)
    assert [(p.version, p.file, p.matter_id, p.rule_number, p.code) for p in problems] == [
        ("2022-06", "2022-06/04-city-appearance.yaml", "D04-01", 1, "unknown_attribute")
    ]


def test_duplicate_matter_id_within_a_version_names_both_files(data: Path) -> None:
    path = data / "catalog/2020-05/05-rural-living.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- id: D05-02", "- id: D01-01"), encoding="utf-8")
    _, problems = read_catalogs(data)
    assert [str(p) for p in problems] == [
        "文件 2020-05/05-rural-living.yaml，事项 D01-01，字段 id："
        "事项编号 D01-01 重复（另见 2020-05/01-ecology.yaml）"
    ]


def test_broken_yaml_is_reported_with_its_file_and_loading_goes_on(data: Path) -> None:
    (data / "catalog/2020-05/13-disputes.yaml").write_text("domain: [unclosed\n", encoding="utf-8")
    catalogs, problems = read_catalogs(data)
    assert [p.code for p in problems if p.code == "unreadable_file"] == ["unreadable_file"]
    assert problems[0].file == "2020-05/13-disputes.yaml"
    assert {c.label for c in catalogs} == {"2020-05", "2022-06"}


@pytest.mark.parametrize(
    ("old", "new", "code", "fragment"),
    [
        ("based_on: 2020-05", "based_on: 2019-01", "schema", "基础版本“2019-01”不存在"),
        (
            "removed: [D28-03]",
            "removed: [D99-99]",
            "schema",
            "要删除的事项 D99-99 在基础版本中不存在",
        ),
        ("label: 2022-06", "label: 2022-07", "schema", "与目录名“2022-06”不一致"),
        ("status: published", "status: approved", "schema", "状态“approved”未知"),
    ],
)
def test_version_file_problems_name_the_version_file(
    data: Path, old: str, new: str, code: str, fragment: str
) -> None:
    edit(data / "catalog/2022-06/version.yaml", old, new)
    _, problems = read_catalogs(data)
    assert [(p.code, p.file) for p in problems] == [(code, "2022-06/version.yaml")]
    assert fragment in problems[0].message


def test_organisation_schema_problem_names_the_township_file(data: Path) -> None:
    edit(data / "organisation/townships/03-xiguocheng.yaml", "households: 464", "households: many")
    _, problems = read_catalogs(data)
    assert [(p.code, p.file, p.field) for p in problems] == [
        ("schema", "organisation/townships/03-xiguocheng.yaml", "households")
    ]


def test_a_time_limit_that_is_not_a_time_limit_is_named(data: Path) -> None:
    edit(data / "catalog/2020-05/11-civil-relief.yaml", "handle: 30个工作日", "handle: 一个月")
    _, problems = read_catalogs(data)
    assert [(p.code, p.file, p.matter_id) for p in problems] == [
        ("invalid_time_limit", "2020-05/11-civil-relief.yaml", "D11-01")
    ]
    assert "时限“一个月”无法识别" in problems[0].message
