"""The catalog commands and ``route`` on the shipped files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from cli.catalog import catalog_group, route_command
from responsibility_catalog import shipped_data_path


def run(command, *args: str):
    return CliRunner().invoke(command, list(args))


def test_validate_reports_each_shipped_version() -> None:
    result = run(catalog_group, "validate")
    assert result.exit_code == 0, result.output
    assert "2020-05（已废止，生效 2020-05-01）：校验通过，28 个领域，165 项事项" in result.output
    assert "2022-06（已公布，生效 2022-06-15）：校验通过，28 个领域，166 项事项" in result.output


def test_validate_a_broken_tree_exits_non_zero_naming_the_problem(tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(shipped_data_path(), root)
    path = root / "catalog/2020-05/08-power.yaml"
    path.write_text(path.read_text("utf-8").replace("power_supply", "power", 1), "utf-8")
    result = run(catalog_group, "validate", str(root))
    assert result.exit_code == 1
    assert (
        "文件 2020-05/08-power.yaml，事项 D08-01，规则 1，字段 primary：主体责任单位“power”不存在"
        in (result.output)
    )


def test_export_writes_the_chosen_version_and_validate_accepts_it(tmp_path: Path) -> None:
    out = tmp_path / "清单.xlsx"
    result = run(catalog_group, "export", "--xlsx", str(out), "--version", "2020-05")
    assert result.exit_code == 0, result.output
    assert "已导出版本 2020-05：165 项事项" in result.output
    assert load_workbook(out)["版本信息"]["B2"].value == "2020-05"
    checked = run(catalog_group, "validate", str(out))
    assert checked.exit_code == 0, checked.output
    assert "校验通过，165 项事项（版本 2020-05）" in checked.output


def test_export_of_an_unknown_version_fails_clearly(tmp_path: Path) -> None:
    result = run(
        catalog_group, "export", "--xlsx", str(tmp_path / "x.xlsx"), "--version", "2019-01"
    )
    assert result.exit_code == 1
    assert "没有版本“2019-01”（现有：2020-05、2022-06）" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_diff_prints_the_changes_in_chinese() -> None:
    result = run(catalog_group, "diff", "2020-05", "2022-06")
    assert result.exit_code == 0
    assert "新增规则 2：沿省道 且 距县城≤5公里" in result.output


def test_route_by_arrival_date_prints_the_explanation() -> None:
    before = run(
        route_command, "--matter", "D04-01", "--village", "马家营村", "--date", "2021-07-01"
    )
    after = run(
        route_command, "--matter", "D04-01", "--village", "马家营村", "--date", "2022-07-01"
    )
    assert before.exit_code == after.exit_code == 0
    assert "主体责任单位：西郭城镇" in before.output
    assert "主体责任单位：县城市管理综合行政执法局" in after.output


def test_route_json_carries_decision_and_explanation() -> None:
    result = run(route_command, "--matter", "占道经营", "--village", "马家营村", "--json")
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert payload["decision"]["primary"]["id"] == "urban_management"
    assert payload["decision"]["catalog_version"] == "2022-06"
    assert payload["explanation"].startswith("清单版本：2022-06")


def test_route_that_cannot_be_decided_exits_3() -> None:
    result = run(route_command, "--matter", "D04-01", "--village", "火星村")
    assert result.exit_code == 3
    assert "诉求地点不在组织架构中" in result.output


def test_route_before_the_first_version_fails_clearly() -> None:
    result = run(
        route_command, "--matter", "D04-01", "--village", "马家营村", "--date", "2019-01-01"
    )
    assert result.exit_code == 1
    assert "2019-01-01 没有生效的清单版本" in result.output
