"""One Excel import path: ``juhaoban catalog import`` and the catalog editor's upload (the
desk) read a workbook with the same organisation tree, store the same draft and refuse a
bad workbook with the same problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli.host import open_host
from cli.main import main
from engine.catalog_revision import CatalogDesk, NothingPublished
from responsibility_catalog import CatalogInvalid


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("JUHAOBAN_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("JUHAOBAN_DATABASE_URL", raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def workbooks(run, tmp_path: Path) -> tuple[Path, Path]:
    """The database's catalog exported to Excel, and a copy with an unknown unit."""
    assert run("catalog", "seed").exit_code == 0
    good = tmp_path / "catalog.xlsx"
    assert run("catalog", "export", "--db", "--xlsx", str(good)).exit_code == 0
    bad = tmp_path / "broken.xlsx"
    book = load_workbook(good)
    book.worksheets[0].cell(row=2, column=6).value = "不存在的单位"
    book.save(bad)
    return good, bad


def test_cli_and_desk_store_the_same_draft(run, workbooks):
    good, _bad = workbooks
    assert run("catalog", "import", str(good), "--label", "2027-cli").exit_code == 0
    desk = CatalogDesk(open_host())
    with good.open("rb") as source:
        desk.import_draft(source, label="2027-desk", actor="cli")

    by_cli, by_desk = desk.catalog("2027-cli"), desk.catalog("2027-desk")
    assert by_cli.to_dict() | {"label": None} == by_desk.to_dict() | {"label": None}
    assert by_cli.based_on == by_desk.based_on == desk.published().label
    assert by_cli.organisation == desk.published().organisation
    infos = {info.label: info for info in desk.versions()}
    assert infos["2027-cli"].status == infos["2027-desk"].status


def test_cli_and_desk_refuse_a_bad_workbook_with_the_same_problems(run, workbooks):
    _good, bad = workbooks
    desk = CatalogDesk(open_host())
    before = desk.versions()
    with bad.open("rb") as source, pytest.raises(CatalogInvalid) as refused:
        desk.import_draft(source, label="bad", actor="cli")
    problems = refused.value.problems
    assert problems

    result = run("catalog", "import", str(bad), "--label", "bad")
    assert result.exit_code == 1
    assert f"broken.xlsx 有 {len(problems)} 处问题，未导入任何内容" in result.output
    for problem in problems:
        assert f"  - {problem}  [{problem.code}]" in result.output
    assert desk.versions() == before


def test_without_a_published_version_both_refuse_alike(run, tmp_path):
    sheet = tmp_path / "empty.xlsx"
    sheet.write_bytes(b"")  # never read: there is no organisation tree to read it with
    with sheet.open("rb") as source, pytest.raises(NothingPublished) as refused:
        CatalogDesk(open_host()).import_draft(source, label="x", actor="cli")
    result = run("catalog", "import", str(sheet), "--label", "x")
    assert result.exit_code == 1 and str(refused.value) in result.output
