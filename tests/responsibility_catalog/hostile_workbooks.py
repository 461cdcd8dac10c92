"""Broken and hostile .xlsx files, built from a good workbook in memory, for import tests."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from responsibility_catalog import Catalog, export_xlsx

SHEET = "xl/worksheets/sheet1.xml"  # 责任清单, the first sheet of the export


def exported_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    export_xlsx(catalog, buffer)
    return buffer.getvalue()


def _rewritten(good: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    """The same archive with each member's content passed through ``change(name, data)``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info)))
    return out.getvalue()


def corrupted_deflate(good: bytes) -> bytes:
    """Bytes flipped in the middle of the compressed data of the rules sheet."""
    data = bytearray(good)
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        info = archive.getinfo(SHEET)
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 :][:4])
    start = info.header_offset + 30 + name_length + extra_length
    middle = start + info.compress_size // 2
    for i in range(middle, middle + 16):
        data[i] ^= 0xA5
    return bytes(data)


def truncated_sheet(good: bytes) -> bytes:
    """A well-formed archive whose rules sheet XML stops half way."""
    return _rewritten(good, lambda name, data: data[: len(data) // 2] if name == SHEET else data)


def doctype_entity(good: bytes) -> bytes:
    """The rules sheet declares nested entities ("billion laughs") and uses one in a cell."""
    dtd = (
        b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )

    def change(name: str, data: bytes) -> bytes:
        if name != SHEET:
            return data
        declaration_end = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
        second_row = data.index(b'<row r="2"')
        body = data[declaration_end:second_row] + data[second_row:].replace(b"<t>", b"<t>&c;", 1)
        return data[:declaration_end] + dtd + body

    return _rewritten(good, change)


def binary_junk() -> bytes:
    """Random bytes, as if any file were renamed to .xlsx."""
    return random.Random(18).randbytes(64 * 1024)


def junk_sheet(good: bytes) -> bytes:
    """A valid zip whose rules sheet is random bytes."""
    return _rewritten(good, lambda name, data: binary_junk() if name == SHEET else data)


def zip_bomb(path: Path, megabytes: int = 200) -> Path:
    """A workbook whose rules sheet is ``megabytes`` MB of repeated cells, about 1.5 MB on disk.

    Written streamed, one MB at a time, so building it needs almost no memory.
    """
    cell = b'<c t="inlineStr"><is><t>aaaaaaaaaaaaaaaa</t></is></c>'
    megabyte = cell * (1024 * 1024 // len(cell))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="责任清单" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archive.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<sheetData><row r="1">'
            )
            for _ in range(megabytes):
                sheet.write(megabyte)
            sheet.write(b"</row></sheetData></worksheet>")
    return path


HOSTILE: dict[str, Callable[[bytes], bytes]] = {
    "corrupted_deflate": corrupted_deflate,
    "truncated_sheet": truncated_sheet,
    "doctype_entity": doctype_entity,
    "binary_junk": lambda good: binary_junk(),
    "junk_sheet": junk_sheet,
}


FORMULA = '=HYPERLINK("http://evil.example","点击")'
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def formulas_and_text_cells(data: bytes, text: str) -> tuple[list[str], list[dict[str, str]]]:
    """What a spreadsheet program sees in a saved workbook: every formula (``<f>``) in any
    sheet, and each cell whose stored text is ``text`` (its type and quote-prefix style)."""
    from defusedxml.ElementTree import fromstring

    formulas: list[str] = []
    found: list[dict[str, str]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = fromstring(archive.read("xl/styles.xml")).find(f"{_MAIN}cellXfs")
        prefixed = [xf.get("quotePrefix") == "1" for xf in styles] if styles is not None else []
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/sheet"):
                continue
            sheet = fromstring(archive.read(name))
            formulas += [f"{name}: {f.text}" for f in sheet.iter(f"{_MAIN}f")]
            for cell in sheet.iter(f"{_MAIN}c"):
                if "".join(cell.itertext()) == text:
                    style = int(cell.get("s", "0"))
                    found.append(
                        {
                            "sheet": name,
                            "type": cell.get("t", "n"),
                            "quote_prefix": str(style < len(prefixed) and prefixed[style]),
                        }
                    )
    return formulas, found
