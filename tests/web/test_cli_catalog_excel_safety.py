"""``juhaoban catalog import`` and ``catalog validate`` with broken and hostile workbooks: one
clear message naming the file, exit 1, nothing stored."""

from __future__ import annotations

from pathlib import Path

from tests.responsibility_catalog.hostile_workbooks import HOSTILE, zip_bomb
from tests.responsibility_catalog.test_workbook_guard import EXPECTED


def test_hostile_workbooks_are_refused_by_import_and_validate(run, tmp_path: Path):
    assert run("catalog", "seed").exit_code == 0
    good = tmp_path / "good.xlsx"
    assert run("catalog", "export", "--db", "--xlsx", str(good)).exit_code == 0
    files = {kind: tmp_path / f"{kind}.xlsx" for kind in HOSTILE}
    for kind, path in files.items():
        path.write_bytes(HOSTILE[kind](good.read_bytes()))
    files["zip_bomb"] = zip_bomb(tmp_path / "zip_bomb.xlsx")
    expected = {**EXPECTED, "zip_bomb": "解压后共 200 MB，超过 50 MB 上限"}
    versions = run("catalog", "versions").output

    for kind, path in files.items():
        imported = run("catalog", "import", str(path), "--label", "2027-01")
        assert imported.exit_code == 1, (kind, imported.output)
        assert f"{kind}.xlsx 有 1 处问题，未导入任何内容" in imported.output, kind
        assert f"文件 {kind}.xlsx：" in imported.output and expected[kind] in imported.output
        checked = run("catalog", "validate", str(path))
        assert checked.exit_code == 1 and expected[kind] in checked.output, kind
    assert run("catalog", "versions").output == versions
