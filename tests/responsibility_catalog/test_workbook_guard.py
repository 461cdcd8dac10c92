"""Broken and hostile workbooks are refused with one clear message, quickly, reading little."""

from __future__ import annotations

import io
import itertools
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from responsibility_catalog import Catalog, CatalogInvalid, import_xlsx
from responsibility_catalog.workbook_guard import (
    MB,
    WorkbookLimits,
    WorkbookRefused,
    read_workbook,
)

from .hostile_workbooks import HOSTILE, exported_bytes, zip_bomb

EXPECTED = {
    "corrupted_deflate": "部件“xl/worksheets/sheet1.xml”的压缩数据已损坏，无法解压",
    "truncated_sheet": "工作表“责任清单”的 XML 不完整（文件被截断）",
    "doctype_entity": "部件“xl/worksheets/sheet1.xml”包含不允许的 DTD/实体声明（DOCTYPE）",
    "binary_junk": "文件不是有效的 Excel 工作簿（.xlsx）",
    "junk_sheet": "的 XML 格式错误（第 1 行第 1 个字符附近）",
}


def refusal(catalog: Catalog, source: io.BytesIO | Path) -> str:
    with pytest.raises(CatalogInvalid) as caught:
        import_xlsx(source, catalog.organisation)
    (problem,) = caught.value.problems
    assert problem.code == "unreadable_file"
    return str(problem)


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_broken_or_hostile_workbook_is_refused_saying_what_is_wrong(
    published: Catalog, kind: str
) -> None:
    workbook = HOSTILE[kind](exported_bytes(published))
    assert EXPECTED[kind] in refusal(published, io.BytesIO(workbook))


def test_a_file_is_named_when_the_import_reads_a_path(published: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "清单.xlsx"
    path.write_bytes(HOSTILE["truncated_sheet"](exported_bytes(published)))
    assert refusal(published, path).startswith("文件 清单.xlsx：工作表“责任清单”的 XML 不完整")


@pytest.fixture(scope="session")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1.5 MB workbook whose rules sheet inflates to 200 MB."""
    return zip_bomb(tmp_path_factory.mktemp("bomb") / "清单.xlsx")


def test_a_zip_bomb_is_refused_from_the_directory_without_inflating(
    published: Catalog, bomb: Path
) -> None:
    assert bomb.stat().st_size < 2_000_000
    started = time.perf_counter()
    message = refusal(published, bomb)
    assert time.perf_counter() - started < 1.0  # it took 195 s and 3.6 GB before
    assert "解压后共 200 MB，超过 50 MB 上限" in message


def test_a_member_compressed_beyond_any_real_sheet_is_refused(bomb: Path) -> None:
    limits = WorkbookLimits(max_uncompressed_bytes=10**9)
    with pytest.raises(WorkbookRefused, match="部件“xl/worksheets/sheet1.xml”的压缩比异常"):
        read_workbook(bomb, ["责任清单"], limits=limits)


def test_a_directory_that_understates_a_size_does_not_get_more_read(tmp_path: Path) -> None:
    """zipfile stops at the declared size and then fails the CRC: damaged, not inflated."""
    path = tmp_path / "lying.xlsx"
    big = b"<sheetData>" + b"<row/>" * 200_000 + b"</sheetData>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", big)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    directory = data.rindex(b"PK\x01\x02")  # central directory entry: size at offset 24
    data[directory + 24 : directory + 28] = (1000).to_bytes(4, "little")
    local = info.header_offset  # local header: size at offset 22
    data[local + 22 : local + 26] = (1000).to_bytes(4, "little")
    with pytest.raises(WorkbookRefused, match="压缩数据已损坏"):
        read_workbook(io.BytesIO(bytes(data)), ["责任清单"])


def _sheet(rows: int, columns: int) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "责任清单"
    for r in range(rows):
        sheet.append([f"{r}-{c}" for c in range(columns)])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_rows_cells_and_time_are_bounded() -> None:
    small = WorkbookLimits(max_rows=50, max_cells=1000)
    read_workbook(_sheet(50, 10), ["责任清单"], limits=small)
    with pytest.raises(WorkbookRefused, match="工作表“责任清单”超过 50 行（第 51 行仍有内容）"):
        read_workbook(_sheet(51, 10), ["责任清单"], limits=small)
    with pytest.raises(WorkbookRefused, match="个单元格，超过上限 1000"):
        read_workbook(_sheet(40, 30), ["责任清单"], limits=small)

    seconds = itertools.count()  # a timer that advances one second each time it is read
    with pytest.raises(WorkbookRefused, match="读取工作表“责任清单”超过 10 秒仍未完成"):
        read_workbook(
            _sheet(50, 3),
            ["责任清单"],
            limits=WorkbookLimits(max_seconds=10),
            timer=lambda: float(next(seconds)),
        )


def test_an_old_xls_or_password_protected_file_and_an_oversized_file_are_named(
    published: Catalog,
) -> None:
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4096)
    assert "旧版 .xls 文件或设置了打开密码的工作簿" in refusal(published, io.BytesIO(ole))
    with pytest.raises(WorkbookRefused, match="文件有 2 MB，超过 1 MB 上限"):
        read_workbook(
            io.BytesIO(bytes(2 * MB)), ["责任清单"], limits=WorkbookLimits(max_file_bytes=MB)
        )


def test_columns_beyond_the_limit_are_not_read() -> None:
    sheet = read_workbook(_sheet(3, 80), ["责任清单"], limits=WorkbookLimits(max_columns=60))[
        "责任清单"
    ]
    assert [len(row) for row in sheet.rows] == [60, 60, 60]
    assert sheet.rows[2][59] == "2-59"


def test_a_dtd_without_entities_is_refused_too(published: Catalog) -> None:
    good = exported_bytes(published)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE workbook SYSTEM "http://evil.example/x.dtd">' + data
            target.writestr(info.filename, data)
    out.seek(0)
    assert "部件“xl/workbook.xml”包含不允许的 DTD/实体声明" in refusal(published, out)


def test_a_good_export_still_reads_back(published: Catalog) -> None:
    draft = import_xlsx(io.BytesIO(exported_bytes(published)), published.organisation)
    assert draft.content_hash == published.content_hash
