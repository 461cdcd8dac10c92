"""The department's what-if on a county's recorded April 2022: replayed under the launch list
(the version in force) and under a draft that writes the roadside rule of June 2022, side by
side — the draft's explicit rule leaves no roadside case contested."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli.main import main
from engine.catalog_revision.drafts import store_imported
from engine.core.persistence import make_engine, make_session_factory
from engine.core.transactions import run_step
from responsibility_catalog import Status
from simulation.whatif import MAX_MONTHS, compare_catalogs, months_before
from simulation.whatif_excel import write_xlsx
from tests.simulation.test_recorded_replay import _april_2022


@pytest.fixture
def county(tmp_path, shipped_catalogs):
    url = f"sqlite:///{tmp_path / 'county.sqlite'}"
    _april_2022(url, shipped_catalogs)
    launch, june = shipped_catalogs
    draft = dataclasses.replace(june, label="2022-05-草稿", status=Status.DRAFT, effective=None)
    return url, dataclasses.replace(launch, status=Status.PUBLISHED), draft


def test_a_draft_that_fills_the_roadside_gap_removes_the_contested_cases(county, tmp_path):
    url, in_force, draft = county
    seen: list[float] = []
    report = compare_catalogs(
        url,
        base=in_force,
        draft=draft,
        start=date(2022, 4, 1),
        end=date(2022, 5, 1),
        scale=1.0,
        workdir=tmp_path,
        progress=lambda fraction, _message: seen.append(fraction),
    )
    assert report["requests"] == report["recorded"] == 9
    assert report["period"] == ["2022-04-01", "2022-04-30"]
    total = report["total"]
    assert total["base"]["requests"] == total["draft"]["requests"] == 9
    # Under the launch list the township and the 城管局 dispute the S324 stalls.
    assert total["base"]["contested"] >= 2 and total["base"]["returns"] >= 2
    assert total["draft"]["contested"] == 0 and total["draft"]["returns"] == 0
    townships = {r["id"]: r for r in report["township"]}
    assert townships["xiaolvzhai"]["base"]["contested"] >= 2
    assert townships["xiaolvzhai"]["draft"]["contested"] == 0
    units = {r["id"]: r for r in report["unit"]}
    assert units["urban_management"]["draft"]["requests"] == 4
    assert units["urban_management"]["name"] == "县城市管理综合行政执法局"
    assert report["unit"][0]["base"]["contested"] > report["unit"][0]["draft"]["contested"]
    # Progress runs through both replays to the end; the scratch databases are gone.
    assert seen[0] == 0 and 0.5 in seen and seen[-1] == 1.0 and seen == sorted(seen)
    assert not list(tmp_path.glob("whatif-*"))

    buffer = io.BytesIO()
    write_xlsx(report, buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    assert book.sheetnames == ["总览", "按单位", "按乡镇"]
    overview = {row[0]: row[1:] for row in book["总览"].iter_rows(values_only=True) if row[0]}
    assert overview["争议件数"][0] == total["base"]["contested"]
    assert overview["争议件数"][1] == 0
    assert overview["争议件数"][2] == -total["base"]["contested"]


def test_scaled_replay_draws_the_same_requests_for_both_versions(county, tmp_path):
    url, in_force, draft = county
    report = compare_catalogs(
        url,
        base=in_force,
        draft=draft,
        start=date(2022, 4, 1),
        end=date(2022, 5, 1),
        scale=0.5,
        workdir=tmp_path,
    )
    assert 0 < report["requests"] < 9 and report["recorded"] == 9
    total = report["total"]
    assert total["base"]["requests"] == total["draft"]["requests"] == report["requests"]


def test_bad_requests_are_refused_in_chinese(county, tmp_path):
    url, in_force, draft = county
    ask = dict(base=in_force, draft=draft, workdir=tmp_path)
    with pytest.raises(ValueError, match="没有可重放的诉求"):
        compare_catalogs(url, start=date(2021, 1, 1), end=date(2021, 2, 1), scale=1.0, **ask)
    with pytest.raises(ValueError, match=f"须为 1 到 {MAX_MONTHS} 个月"):
        compare_catalogs(url, start=date(2021, 1, 1), end=date(2022, 5, 1), scale=1.0, **ask)
    with pytest.raises(ValueError, match="规模须大于 0"):
        compare_catalogs(url, start=date(2022, 4, 1), end=date(2022, 5, 1), scale=0, **ask)
    assert not list(tmp_path.glob("whatif-*"))


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(date(2026, 3, 2), 3) == date(2025, 12, 2)
    assert months_before(date(2026, 5, 31), 3) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 1) == date(2025, 12, 15)


def test_a_draft_process_beside_the_catalog_in_force(county, tmp_path):
    # The designer's draft diagram sends a returned case to joint consultation at once
    # (the process in force asks the dispatcher first): same list on both sides, so every
    # difference is the process's.
    url, in_force, _draft = county
    bpmn = Path(__file__).resolve().parents[2] / "bpmn"
    xml = (bpmn / "complaint.bpmn").read_text(encoding="utf-8")
    draft_process = tmp_path / "draft" / "complaint.bpmn"
    draft_process.parent.mkdir()
    draft_process.write_text(
        xml.replace("return_count &gt;= 2 and not consulted", "not consulted"), encoding="utf-8"
    )
    shutil.copy(bpmn / "joint_consultation.bpmn", draft_process.parent)
    same_list = dataclasses.replace(in_force, label="同一清单", status=Status.DRAFT)
    report = compare_catalogs(
        url,
        base=in_force,
        draft=same_list,
        start=date(2022, 4, 1),
        end=date(2022, 5, 1),
        scale=1.0,
        process=str(draft_process),
        workdir=tmp_path,
    )
    assert report["base"]["process"] == "1" and report["draft"]["process"] == str(draft_process)
    base, draft = report["total"]["base"], report["total"]["draft"]
    assert base["contested"] == draft["contested"] >= 2  # the same list: the same disputes
    # In force: returned, ruled back by the dispatcher, returned again, then consulted.
    # The draft: consulted at the first return — half the returns, signed for sooner.
    assert base["returns"] == 2 * base["contested"]
    assert draft["returns"] == draft["contested"] == draft["consultations"]
    assert draft["sign_for_days_mean"] < base["sign_for_days_mean"]


def test_the_command_line_compares_a_draft_stored_in_the_county_database(county, tmp_path):
    # In the county's database the June 2022 list is in force; a draft that goes back to the
    # launch list's catch-all rule for roadside stalls brings the disputes back.
    url, launch, _draft = county
    db = make_engine(url)
    step = partial(
        store_imported,
        dataclasses.replace(launch, label="倒退草稿", status=Status.DRAFT, effective=None),
        county="julu",
        actor="orgdept",
        now=datetime(2022, 5, 1, tzinfo=UTC),
    )
    run_step(make_session_factory(db), lambda session: step(session=session))
    db.dispose()
    excel = tmp_path / "report.xlsx"
    ask = ["simulate", "--replay-from", url, "--months", "1", "--until", "2022-05-01"]
    result = CliRunner().invoke(
        main, [*ask, "--draft", "倒退草稿", "--scale", "1", "--excel", str(excel)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["base"]["label"], report["draft"]["label"]) == ("2022-06", "倒退草稿")
    assert report["total"]["base"]["contested"] == 0
    assert report["total"]["draft"]["contested"] >= 2
    assert "按草稿 倒退草稿 回放：50%" in result.stderr and "完成：100%" in result.stderr
    assert load_workbook(excel).sheetnames == ["总览", "按单位", "按乡镇"]

    for extra, message in (
        (["--draft", "2099-01"], "没有清单草稿“2099-01”"),
        (["--draft", "2022-06"], "只有草稿可以回放比较"),
        (["--draft", "倒退草稿", "--months", "1.5"], "--months 须为整数"),
        (["--draft", "倒退草稿", "--until", "五月"], "--until 应为 YYYY-MM-DD"),
    ):
        refused = CliRunner().invoke(main, [*ask, *extra, "--quiet"])
        assert refused.exit_code == 1 and message in refused.output, refused.output
