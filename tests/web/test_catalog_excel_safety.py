"""The catalog editor's Excel upload and download with hostile workbooks: broken files and zip
bombs get a clear page (no 500, no draft); formula-like text stays text in the download."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.engine.catalog_revision.conftest import matter_fields
from tests.responsibility_catalog.hostile_workbooks import (
    FORMULA,
    HOSTILE,
    formulas_and_text_cells,
    zip_bomb,
)
from tests.responsibility_catalog.test_workbook_guard import EXPECTED
from tests.web.conftest import csrf_from


def _upload(client, data: bytes, label: str, filename: str = "清单.xlsx"):
    token = csrf_from(client.get("/catalog/").get_data(as_text=True))
    # Encoded here: the test client spools a body over 500 KB to a temporary file it never
    # closes (a ResourceWarning, an error under filterwarnings=error).
    boundary, body = encode_multipart(
        {
            "csrf_token": token,
            "label": label,
            "workbook": FileStorage(io.BytesIO(data), filename=filename),
        }
    )
    return client.post(
        "/catalog/drafts/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_broken_and_hostile_uploads_are_refused_with_a_message_and_change_nothing(
    login, catalog, tmp_path: Path
):
    orgdept = login("orgdept")
    good = orgdept.get("/catalog/v/2022-06/export.xlsx").data
    before = [v.label for v in catalog.versions()]
    cases = {kind: make(good) for kind, make in HOSTILE.items()}
    cases["zip_bomb"] = zip_bomb(tmp_path / "bomb.xlsx").read_bytes()
    expected = {
        **EXPECTED,
        "binary_junk": "不是 Excel 工作簿（.xlsx），请从本系统下载模板",  # the page's own check
        "zip_bomb": "解压后共 200 MB，超过 50 MB 上限",
    }
    for kind, data in cases.items():
        response = _upload(orgdept, data, f"2026-{kind}")
        page = response.get_data(as_text=True)
        assert response.status_code == 400, (kind, page[:300])
        assert "“清单.xlsx”未能导入，没有创建任何草稿" in page, kind
        assert expected[kind] in page, kind
    assert [v.label for v in catalog.versions()] == before


def test_a_matter_named_like_a_formula_is_downloaded_as_text(login, catalog):
    orgdept = login("orgdept")
    token = csrf_from(orgdept.get("/catalog/").get_data(as_text=True))
    orgdept.post("/catalog/drafts", data={"label": "2026-03", "csrf_token": token})
    edit_url = "/catalog/v/2026-03/m/D04-01/edit"
    token = csrf_from(orgdept.get(edit_url).get_data(as_text=True))
    fields = matter_fields(catalog.catalog("2026-03"), "D04-01", {"name": FORMULA})
    assert orgdept.post(edit_url, data={**fields, "csrf_token": token}).status_code == 302
    assert catalog.catalog("2026-03").matters_by_id["D04-01"].name == FORMULA

    download = orgdept.get("/catalog/v/2026-03/export.xlsx").data
    formulas, cells = formulas_and_text_cells(download, FORMULA)
    assert formulas == [], "a live formula would run in the department's Excel"
    assert cells and {(c["type"], c["quote_prefix"]) for c in cells} == {("inlineStr", "True")}
    assert load_workbook(io.BytesIO(download))["事项补充信息"]["B2"].value is not None

    # The download imports back as the same text.
    assert _upload(orgdept, download, "2026-04").status_code == 302
    assert catalog.catalog("2026-04").matters_by_id["D04-01"].name == FORMULA


def test_formula_text_in_an_uploaded_sheet_is_downloaded_as_text(login, catalog):
    orgdept = login("orgdept")
    book = load_workbook(io.BytesIO(orgdept.get("/catalog/v/2022-06/export.xlsx").data))
    for row in book["责任清单"].iter_rows(min_row=2):
        if row[2].value == "D04-01":
            row[11].value = FORMULA  # 备注, typed as text (as Excel stores '=…)
            row[11].data_type = "s"
            break
    upload = io.BytesIO()
    book.save(upload)
    assert _upload(orgdept, upload.getvalue(), "2026-05").status_code == 302
    assert catalog.catalog("2026-05").matters_by_id["D04-01"].rules[0].note == FORMULA

    formulas, cells = formulas_and_text_cells(
        orgdept.get("/catalog/v/2026-05/export.xlsx").data, FORMULA
    )
    assert formulas == []
    assert [(c["type"], c["quote_prefix"]) for c in cells] == [("inlineStr", "True")]


def test_a_matter_name_with_a_control_character_is_refused_and_export_keeps_working(login, catalog):
    orgdept = login("orgdept")
    token = csrf_from(orgdept.get("/catalog/").get_data(as_text=True))
    orgdept.post("/catalog/drafts", data={"label": "2026-03", "csrf_token": token})
    edit_url = "/catalog/v/2026-03/m/D04-01/edit"
    token = csrf_from(orgdept.get(edit_url).get_data(as_text=True))
    fields = matter_fields(catalog.catalog("2026-03"), "D04-01", {"name": "路灯\x01不亮"})
    refused = orgdept.post(edit_url, data={**fields, "csrf_token": token})
    assert refused.status_code == 400
    assert "控制字符" in refused.get_data(as_text=True)
    assert "\x01" not in catalog.catalog("2026-03").matters_by_id["D04-01"].name
    assert orgdept.get("/catalog/v/2026-03/export.xlsx").status_code == 200
