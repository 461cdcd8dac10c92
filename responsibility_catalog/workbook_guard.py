"""The one way this project reads an Excel workbook (.xlsx) that a person handed in.

An uploaded workbook is untrusted input: a zip archive of XML parts. openpyxl alone answers a
corrupted, truncated or hostile file with whatever its layers raise (``zlib.error``,
``BadZipFile``, ``ParseError``, ``KeyError`` …) and inflates a "zip bomb" (a few MB that
decompress to gigabytes) until memory runs out. ``read_workbook`` stands in front of it:

1. the zip directory is checked before anything is decompressed: member count, total
   uncompressed size and per-member compression ratio. ``zipfile`` never inflates a member past
   the size its directory entry declares (and then fails the CRC), so a lying directory cannot
   get round the size limit;
2. every member is inflated once (CRC checked, so damaged data is reported as damaged) and its
   cells and shared strings counted, so openpyxl is given a bounded amount of work;
3. every part whose prologue carries a DTD (``<!DOCTYPE`` / ``<!ENTITY``) is refused, found by
   defusedxml (``forbid_dtd=True``) reading only up to the root element. openpyxl itself already
   parses with defusedxml when it is installed, which blocks entity expansion but lets a DTD
   without entities through; a workbook written by Excel or this project never has one;
4. the requested sheets are read in openpyxl's streaming (read-only) mode into plain rows,
   bounded in rows, columns and elapsed time;
5. every failure of the layers below becomes one ``WorkbookRefused`` with a Chinese message
   saying what is wrong, so callers show it instead of answering 500.

The time budget is measured with a monotonic timer (work done, not the platform's clock).
"""

from __future__ import annotations

import os
import re
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse as defused_iterparse
from lxml.etree import XMLSyntaxError
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

MB = 1024 * 1024


@dataclass(frozen=True)
class WorkbookLimits:
    """What a workbook may cost to read. The catalog export is about 0.3 MB uncompressed,
    200 rows × 12 columns (2,400 cells), so these leave well over ten times the room a county's
    largest catalog would need."""

    max_file_bytes: int = 20 * MB
    max_uncompressed_bytes: int = 50 * MB
    max_members: int = 1000
    #: Deflate cannot exceed about 1:1032. Sheets written by Excel or openpyxl compress
    #: 1:5 to 1:30; a part that shrank more than this was built to explode.
    max_ratio: float = 100.0
    #: Small parts (empty sheets, styles) may compress well without mattering.
    ratio_exempt_bytes: int = 1 * MB
    #: openpyxl parses some 10^5 cells a second and holds a whole row's cells (≈0.5 KB each)
    #: at once, so the work it is given is bounded by count, not only by bytes.
    max_cells: int = 100_000
    max_rows: int = 20_000
    max_columns: int = 60
    max_seconds: float = 30.0


LIMITS = WorkbookLimits()
# Compound File Binary: .xls, and .xlsx saved with a password to open (an encrypted package).
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
NOT_A_WORKBOOK = "文件不是有效的 Excel 工作簿（.xlsx）"


class WorkbookRefused(Exception):
    """A workbook that is not read, with the reason in Chinese (``message``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Sheet:
    """The values of one worksheet: ``rows[0]`` is row 1; trailing empty cells are dropped."""

    title: str
    rows: tuple[tuple[Any, ...], ...]


def read_workbook(
    source: str | Path | IO[bytes],
    sheets: Iterable[str],
    *,
    limits: WorkbookLimits = LIMITS,
    timer: Callable[[], float] = time.monotonic,
) -> dict[str, Sheet]:
    """The cell values (as openpyxl's ``data_only`` gives them) of each sheet in ``sheets``
    that the workbook has; sheets it lacks are simply absent from the result.

    :raises WorkbookRefused: the file is not a readable, reasonably sized .xlsx workbook.
    """
    deadline = timer() + limits.max_seconds
    stack = ExitStack()
    try:
        if isinstance(source, str | os.PathLike):
            try:
                source = stack.enter_context(open(source, "rb"))  # noqa: SIM115
            except OSError as exc:
                raise WorkbookRefused(f"无法打开文件：{exc.strerror or exc}") from exc
        # zipfile builds an object per directory entry on opening: bound the file first.
        size = source.seek(0, os.SEEK_END)
        if size > limits.max_file_bytes:
            raise WorkbookRefused(
                f"文件有 {size / MB:.0f} MB，超过 {limits.max_file_bytes // MB} MB 上限"
                "，不像是清单工作簿"
            )
        source.seek(0)
        if source.read(len(_OLE_MAGIC)) == _OLE_MAGIC:
            raise WorkbookRefused(
                f"{NOT_A_WORKBOOK}：这是旧版 .xls 文件或设置了打开密码的工作簿，"
                "请用 Excel 另存为不加密的 .xlsx 后再上传"
            )
        source.seek(0)
        try:
            archive = stack.enter_context(zipfile.ZipFile(source))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise WorkbookRefused(NOT_A_WORKBOOK) from exc
        _check_directory(archive, limits)
        _check_contents(archive, limits, timer, deadline)
        _check_no_dtd(archive)
        source.seek(0)
        return _read_sheets(source, list(sheets), limits, timer, deadline, stack)
    finally:
        stack.close()


def _check_directory(archive: zipfile.ZipFile, limits: WorkbookLimits) -> None:
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise WorkbookRefused(
            f"{NOT_A_WORKBOOK}：包含 {len(members)} 个部件，超过上限 {limits.max_members}"
        )
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed_bytes:
        raise WorkbookRefused(
            f"解压后共 {total / MB:.0f} MB，超过 {limits.max_uncompressed_bytes // MB} MB 上限"
            "，不像是清单工作簿（疑似压缩炸弹）"
        )
    for member in members:
        if member.flag_bits & 0x1:
            raise WorkbookRefused(f"部件“{member.filename}”已加密，无法读取")
        if member.file_size > limits.ratio_exempt_bytes and (
            member.file_size > limits.max_ratio * max(member.compress_size, 1)
        ):
            raise WorkbookRefused(
                f"部件“{member.filename}”的压缩比异常"
                f"（{member.compress_size} 字节解压为 {member.file_size / MB:.0f} MB），"
                "疑似压缩炸弹"
            )


def _check_contents(
    archive: zipfile.ZipFile,
    limits: WorkbookLimits,
    timer: Callable[[], float],
    deadline: float,
) -> None:
    """Inflate every member once, in chunks: damaged data is named as such (with the part)
    rather than surfacing later as an XML error wherever the garbage lands, and cells and
    shared strings are counted at C speed so openpyxl (some 10^5 cells a second, and a whole
    row in memory at once) is only given work of a known size."""
    counts = dict.fromkeys(_ITEMS, 0)
    for member in archive.infolist():
        carry = b""
        try:
            with archive.open(member) as part:
                while chunk := part.read(MB):
                    if timer() > deadline:
                        raise _too_slow("解压", limits)
                    data = carry + chunk
                    # Count only up to the last "<": a tag cut by the chunk boundary is
                    # counted with the next chunk.
                    cut = data.rfind(b"<")
                    if cut == -1 or len(data) - cut > 64:
                        cut = len(data)
                    for item, pattern in _ITEMS.items():
                        counts[item] += len(pattern.findall(data, 0, cut))
                    carry = data[cut:]
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise _refusal(exc, f"部件“{member.filename}”") from exc
    for item, limit in (("单元格", limits.max_cells), ("共享字符串", limits.max_cells)):
        if counts[item] > limit:
            raise WorkbookRefused(
                f"工作簿共有约 {counts[item]} 个{item}，超过上限 {limit}，不像是清单工作簿"
            )


# A cell (<c …>) and a shared string (<si>), with or without a namespace prefix.
_ITEMS = {
    "单元格": re.compile(rb"<(?:\w+:)?c[\s>/]"),
    "共享字符串": re.compile(rb"<(?:\w+:)?si[\s>/]"),
}


def _too_slow(what: str, limits: WorkbookLimits) -> WorkbookRefused:
    return WorkbookRefused(
        f"{what}超过 {limits.max_seconds:.0f} 秒仍未完成，已停止（工作簿过大或结构异常）"
    )


def _check_no_dtd(archive: zipfile.ZipFile) -> None:
    """Refuse any part that declares a DTD, reading each only up to its root element."""
    for member in archive.infolist():
        if member.is_dir():
            continue
        try:
            with archive.open(member) as part:
                for _event in defused_iterparse(part, events=("start",), forbid_dtd=True):
                    break  # the root element: a DTD can only come before it
        except DefusedXmlException as exc:
            raise WorkbookRefused(
                f"部件“{member.filename}”包含不允许的 DTD/实体声明（DOCTYPE），"
                "Excel 保存的工作簿不会有这种内容"
            ) from exc
        except ParseError:
            continue  # not XML (an image, a binary part): openpyxl decides whether it needs it


def _read_sheets(
    source: IO[bytes],
    wanted: list[str],
    limits: WorkbookLimits,
    timer: Callable[[], float],
    deadline: float,
    stack: ExitStack,
) -> dict[str, Sheet]:
    where = "工作簿"
    try:
        book = load_workbook(source, read_only=True, data_only=True)
        stack.callback(book.close)
        result: dict[str, Sheet] = {}
        for title in wanted:
            if title not in book.sheetnames:
                continue
            where = f"工作表“{title}”"
            worksheet = book[title]
            if not hasattr(worksheet, "iter_rows"):
                raise WorkbookRefused(f"“{title}”不是普通工作表（可能是图表页）")
            result[title] = Sheet(title, _bounded_rows(worksheet, title, limits, timer, deadline))
        return result
    except WorkbookRefused:
        raise
    except MemoryError as exc:
        raise WorkbookRefused(f"读取{where}时内存不足，文件过大") from exc
    except Exception as exc:  # noqa: BLE001  every failure below openpyxl is a bad file
        raise _refusal(exc, where) from exc


def _bounded_rows(
    worksheet: Any,
    title: str,
    limits: WorkbookLimits,
    timer: Callable[[], float],
    deadline: float,
) -> tuple[tuple[Any, ...], ...]:
    rows: list[tuple[Any, ...]] = []
    last_filled = 0
    for number, values in enumerate(
        worksheet.iter_rows(max_col=limits.max_columns, values_only=True), 1
    ):
        if timer() > deadline:
            raise _too_slow(f"读取工作表“{title}”", limits)
        filled = len(values)
        while filled and values[filled - 1] is None:
            filled -= 1
        if number > limits.max_rows:
            if filled:
                raise WorkbookRefused(
                    f"工作表“{title}”超过 {limits.max_rows} 行（第 {number} 行仍有内容）"
                )
            continue  # formatted but empty rows below the data are harmless
        rows.append(tuple(values[:filled]))
        if filled:
            last_filled = number
    return tuple(rows[:last_filled])


def _refusal(exc: BaseException, where: str) -> WorkbookRefused:
    """Name what is wrong in words a person can act on."""
    if isinstance(exc, DefusedXmlException):
        return WorkbookRefused(f"{where}包含不允许的 DTD/实体声明（DOCTYPE）")
    if isinstance(exc, zlib.error | EOFError) or (
        isinstance(exc, zipfile.BadZipFile) and "CRC" in str(exc)
    ):
        return WorkbookRefused(f"{where}的压缩数据已损坏，无法解压（文件可能不完整或被改动过）")
    if isinstance(exc, zipfile.BadZipFile | InvalidFileException):
        return WorkbookRefused(NOT_A_WORKBOOK)
    if isinstance(exc, NotImplementedError):
        return WorkbookRefused(f"{where}使用了不支持的压缩方式，请用 Excel 另存为 .xlsx 后再上传")
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc):
        return WorkbookRefused(f"{where}已加密，无法读取")
    parse_error = _xml_error(exc)
    if parse_error is not None:
        if "no element found" in str(parse_error) or "unclosed token" in str(parse_error):
            return WorkbookRefused(f"{where}的 XML 不完整（文件被截断）")
        line, column = getattr(parse_error, "position", (0, 0))
        return WorkbookRefused(f"{where}的 XML 格式错误（第 {line} 行第 {column + 1} 个字符附近）")
    if isinstance(exc, KeyError):
        return WorkbookRefused(f"{NOT_A_WORKBOOK}：缺少必要的部件 {exc}")
    return WorkbookRefused(f"{NOT_A_WORKBOOK}：读取{where}时出错（{type(exc).__name__}）")


def _xml_error(exc: BaseException) -> BaseException | None:
    """The XML syntax error behind ``exc`` (openpyxl wraps some in ValueError)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ParseError | XMLSyntaxError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None
