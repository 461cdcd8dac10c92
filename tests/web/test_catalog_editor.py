"""The catalog editor's pages: browse, edit with validation, drafts, Excel, consultation,
proposals, contested matters, print; bad input and permissions."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from responsibility_catalog import Status
from tests.engine.catalog_revision.conftest import matter_fields
from tests.web.conftest import csrf_from

TRANSPORT = {
    "rules-1-primary": "transport",
    "rules-1-when": "沿省道 且 距县城≤5公里 且 非 城区建成区",
}


def _post(client, url, data, page=None):
    token = csrf_from(client.get(page or url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def test_department_browses_and_searches_the_list(login, catalog):
    orgdept = login("orgdept")
    page = orgdept.get("/catalog/").get_data(as_text=True)
    assert "2022-06" in page and "已公布" in page and "2020-05" in page
    found = orgdept.get("/catalog/v/2022-06/?q=占道").get_data(as_text=True)
    assert "D04-01" in found and "占道经营" in found and "D07-07" not in found
    by_unit = orgdept.get("/catalog/v/2022-06/?q=县交通运输局").get_data(as_text=True)
    assert "井盖缺失破损" in by_unit
    matter = orgdept.get("/catalog/v/2022-06/m/D04-01").get_data(as_text=True)
    assert "沿省道 且 距县城≤5公里" in matter and "县城市管理综合行政执法局" in matter
    assert orgdept.get("/catalog/v/2022-06/m/D99-99").status_code == 404


def test_edit_in_a_draft_validates_and_saves_only_a_valid_matter(login, catalog):
    orgdept = login("orgdept")
    response = _post(orgdept, "/catalog/drafts", {"label": "2026-03"}, "/catalog/")
    assert response.status_code == 302
    edit_url = "/catalog/v/2026-03/m/D04-01/edit"
    draft = catalog.catalog("2026-03")

    # Live validation: the ambiguity is reported next to rule 2's condition, nothing stored.
    token = csrf_from(orgdept.get(edit_url).get_data(as_text=True))
    ambiguous = matter_fields(draft, "D04-01", {"rules-1-primary": "transport"})
    check = orgdept.post(
        "/catalog/v/2026-03/m/D04-01/check", data={**ambiguous, "csrf_token": token}
    ).get_json()
    assert not check["ok"]
    assert "同时适用于" in check["errors"]["rules-1-when"][0]
    saved = orgdept.post(edit_url, data={**ambiguous, "csrf_token": token})
    assert saved.status_code == 400 and "但主体责任单位不同" in saved.get_data(as_text=True)
    assert catalog.catalog("2026-03").content_hash == draft.content_hash

    fixed = matter_fields(draft, "D04-01", TRANSPORT)
    assert orgdept.post(
        "/catalog/v/2026-03/m/D04-01/check", data={**fixed, "csrf_token": token}
    ).get_json() == {"ok": True, "errors": {}}
    assert orgdept.post(edit_url, data={**fixed, "csrf_token": token}).status_code == 302
    assert catalog.catalog("2026-03").matters_by_id["D04-01"].rules[1].primary == "transport"
    assert catalog.catalog("2022-06").matters_by_id["D04-01"].rules[1].primary == "urban_management"
    diff = orgdept.get("/catalog/v/2026-03/diff").get_data(as_text=True)
    assert "变更事项 1 项" in diff and "县交通运输局" in diff and "发出征求意见" in diff


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rules-0-primary": "no_such_unit"}, "主体责任单位“no_such_unit”不存在"),
        ({"rules-0-when": "开发区"}, "开发区"),
        ({"handle": "五天"}, "无法识别"),
        ({"rules-0-basis": ""}, "缺少法律依据"),
        ({"smuggled": "x"}, "表单包含本页没有的字段：smuggled"),
    ],
)
def test_bad_matter_input_is_named_and_changes_nothing(login, catalog, changes, message):
    orgdept = login("orgdept")
    _post(orgdept, "/catalog/drafts", {"label": "2026-03"}, "/catalog/")
    before = catalog.catalog("2026-03").content_hash
    fields = matter_fields(catalog.catalog("2026-03"), "D04-01", changes)
    response = _post(orgdept, "/catalog/v/2026-03/m/D04-01/edit", fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert catalog.catalog("2026-03").content_hash == before


def test_published_version_cannot_be_edited(login, catalog):
    orgdept = login("orgdept")
    response = orgdept.get("/catalog/v/2022-06/m/D04-01/edit")
    assert response.status_code == 400 and "已公布" in response.get_data(as_text=True)


def test_excel_round_trip_and_bad_uploads(login, catalog):
    orgdept = login("orgdept")
    download = orgdept.get("/catalog/v/2022-06/export.xlsx")
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(download.data))
    assert book.sheetnames[0] == "责任清单"
    sheet = book["责任清单"]
    for row in sheet.iter_rows(min_row=2):
        if row[2].value == "D04-01" and row[4].value == "其他":
            row[7].value = "《河北省城市市容和环境卫生条例》第二十条"
    edited = io.BytesIO()
    book.save(edited)
    token = csrf_from(orgdept.get("/catalog/").get_data(as_text=True))
    response = orgdept.post(
        "/catalog/drafts/import",
        data={
            "csrf_token": token,
            "label": "2026-04",
            "workbook": (io.BytesIO(edited.getvalue()), "清单.xlsx"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    imported = catalog.catalog("2026-04")
    assert imported.status is Status.DRAFT and imported.based_on == "2022-06"
    assert "第二十条" in orgdept.get("/catalog/v/2026-04/diff").get_data(as_text=True)

    # Not an Excel file; an Excel file with a bad cell: a clear message, no draft.
    not_excel = orgdept.post(
        "/catalog/drafts/import",
        data={
            "csrf_token": token,
            "label": "2026-05",
            "workbook": (io.BytesIO(b"%PDF-1.4 ..."), "清单.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert not_excel.status_code == 400 and "不是 Excel 工作簿" in not_excel.get_data(as_text=True)
    for row in sheet.iter_rows(min_row=2):
        if row[2].value == "D04-01":
            row[5].value = "县魔法管理局"
            break
    broken = io.BytesIO()
    book.save(broken)
    bad_cell = orgdept.post(
        "/catalog/drafts/import",
        data={
            "csrf_token": token,
            "label": "2026-05",
            "workbook": (io.BytesIO(broken.getvalue()), "清单.xlsx"),
        },
        content_type="multipart/form-data",
    )
    text = bad_cell.get_data(as_text=True)
    assert bad_cell.status_code == 400 and "县魔法管理局" in text and "F 列" in text
    assert "2026-05" not in [v.label for v in catalog.versions()]


def test_consultation_pages_from_sending_to_publication(login, catalog, app):
    orgdept = login("orgdept")
    _post(orgdept, "/catalog/drafts", {"label": "2026-03"}, "/catalog/")
    _post(
        orgdept,
        "/catalog/v/2026-03/m/D04-01/edit",
        matter_fields(catalog.catalog("2026-03"), "D04-01", TRANSPORT),
    )
    bad_days = _post(
        orgdept, "/catalog/v/2026-03/send", {"opinion_days": "三"}, "/catalog/v/2026-03/diff"
    )
    assert "反馈期限“三”应为整数个工作日" in orgdept.get(bad_days.headers["Location"]).get_data(
        as_text=True
    )
    sent = _post(
        orgdept, "/catalog/v/2026-03/send", {"opinion_days": "3"}, "/catalog/v/2026-03/diff"
    )
    revision_url = sent.headers["Location"]
    assert "待反馈" in orgdept.get(revision_url).get_data(as_text=True)

    cgj = login("cgj")
    listing = cgj.get("/catalog/opinions").get_data(as_text=True)
    assert "草稿 2026-03" in listing and "D04-01" in listing
    (task,) = catalog.opinion_tasks("urban_management")
    page = cgj.get(f"/catalog/opinions/{task.task_id}").get_data(as_text=True)
    assert "县交通运输局" in page and "修改规则" in page
    missing = _post(cgj, f"/catalog/opinions/{task.task_id}", {"opinion": "object", "comment": ""})
    assert missing.status_code == 400 and "意见说明" in missing.get_data(as_text=True)
    _post(
        cgj,
        f"/catalog/opinions/{task.task_id}",
        {"opinion": "object", "comment": "5公里内应由我局负责"},
    )
    transport = login("transport")
    assert transport.get(f"/catalog/opinions/{task.task_id}").status_code == 404, (
        "not the transport bureau's task"
    )
    (mine,) = catalog.opinion_tasks("transport")
    _post(transport, f"/catalog/opinions/{mine.task_id}", {"opinion": "agree", "comment": ""})

    answered = cgj.get("/catalog/opinions").get_data(as_text=True)
    assert "本单位已反馈" in answered and "有异议" in answered and "5公里内应由我局负责" in answered
    review = orgdept.get(revision_url).get_data(as_text=True)
    assert "异议 1 条" in review and "5公里内应由我局负责" in review
    past = _post(
        orgdept,
        revision_url + "/review",
        {"review_decision": "publish", "effective": "2026-01-01"},
        revision_url,
    )
    assert past.status_code == 400 and "生效日期不能早于今天" in past.get_data(as_text=True)
    done = _post(
        orgdept,
        revision_url + "/review",
        {"review_decision": "publish", "effective": "2026-03-09"},
        revision_url,
    )
    assert done.status_code == 302
    assert "已公布" in orgdept.get(revision_url).get_data(as_text=True)
    assert catalog.catalog("2026-03").status is Status.PUBLISHED
    printed = orgdept.get("/catalog/v/2026-03/print").get_data(as_text=True)
    assert (
        "巨鹿县事项主体责任和配合责任清单目录" in printed
        and "@page" in printed
        and "县交通运输局" in printed
    )


def test_contested_matters_and_proposals_pages(login, catalog):
    orgdept = login("orgdept")
    ranking = orgdept.get("/catalog/contested?from=2026-01-01&to=2026-03-31").get_data(as_text=True)
    assert "没有发生退回或争议的事项" in ranking
    bad = orgdept.get("/catalog/contested?from=昨天").get_data(as_text=True)
    assert "日期“昨天”无法识别" in bad
    assert "尚无会商提出的清单修订建议" in orgdept.get("/catalog/proposals").get_data(as_text=True)


@pytest.mark.parametrize("username", ["cgj", "dispatcher", "leader", "designer", "resident"])
def test_only_the_organisation_department_edits_and_publishes(login, catalog, username):
    orgdept = login("orgdept")
    _post(orgdept, "/catalog/drafts", {"label": "2026-03"}, "/catalog/")
    other = login(username)
    token = (
        csrf_from(other.get("/notifications/").get_data(as_text=True))
        if username != "resident"
        else csrf_from(other.get("/report/new").get_data(as_text=True))
    )
    fields = matter_fields(catalog.catalog("2026-03"), "D04-01", TRANSPORT)
    for url, data in [
        ("/catalog/drafts", {"label": "2026-09"}),
        ("/catalog/v/2026-03/m/D04-01/edit", fields),
        ("/catalog/v/2026-03/m/D04-01/check", fields),
        ("/catalog/v/2026-03/send", {"opinion_days": "3"}),
    ]:
        assert other.post(url, data={**data, "csrf_token": token}).status_code == 403, url
    assert catalog.catalog("2026-03").matters_by_id["D04-01"].rules[1].primary == "urban_management"
    assert catalog.revisions() == []
    assert other.get("/catalog/v/2026-03/m/D04-01/edit").status_code == 403


def test_demo_story_leaves_a_proposal_and_a_draft_under_consultation(app, catalog, login, clock):
    from cli.demo.catalog import create_demo_catalog_work

    host = app.extensions["juhaoban.host"]
    label = create_demo_catalog_work(host, today=clock.now())
    assert label == "2026-02-修订"
    (revision,) = catalog.revisions()
    assert (revision.label, revision.stage) == (label, "collecting")
    assert {"urban_management", "xiguocheng"} <= {o.unit for o in catalog.opinions(revision.id)}
    assert create_demo_catalog_work(host, today=clock.now()) is None, "played once only"
    page = login("orgdept").get("/catalog/proposals").get_data(as_text=True)
    assert (
        "省道沿线距县城10公里以内的户外广告设置由城管局主责" in page
        and f"已采纳到草稿 {label}" in page
    )
    assert "草稿 " + label in login("xgc").get("/catalog/opinions").get_data(as_text=True)


def test_consultation_notifications_lead_to_the_catalog_pages(login, catalog):
    orgdept = login("orgdept")
    _post(orgdept, "/catalog/drafts", {"label": "2026-03"}, "/catalog/")
    _post(
        orgdept,
        "/catalog/v/2026-03/m/D04-01/edit",
        matter_fields(catalog.catalog("2026-03"), "D04-01", TRANSPORT),
    )
    _post(orgdept, "/catalog/v/2026-03/send", {"opinion_days": "3"}, "/catalog/v/2026-03/diff")
    (revision,) = catalog.revisions()
    transport = login("transport")
    notices = transport.get("/notifications/").get_data(as_text=True)
    assert "新任务：反馈清单修订意见" in notices
    link = transport.get(f"/cases/instance/{revision.instance_id}")
    assert link.status_code == 302 and link.headers["Location"].endswith("/catalog/opinions")
    assert '清单征求意见 <span class="badge">1</span>' in transport.get(
        "/catalog/opinions"
    ).get_data(as_text=True)
    other = orgdept.get(f"/cases/instance/{revision.instance_id}")
    assert other.headers["Location"].endswith(f"/catalog/revisions/{revision.id}")


def test_new_matter_and_removed_matter_show_in_the_diff(login, catalog):
    orgdept = login("orgdept")
    _post(orgdept, "/catalog/drafts", {"label": "2026-03"}, "/catalog/")
    form_page = orgdept.get("/catalog/v/2026-03/d/D04/new").get_data(as_text=True)
    assert 'value="D04-07"' in form_page, "the next free number of the domain is offered"
    new = {
        "id": "D04-07",
        "name": "夜市摊点管理",
        "keywords": "夜市、夜间摊点",
        "sign_for": "2小时",
        "handle": "3个工作日",
        "extensions": "0",
        "rules-0-when": "城区建成区",
        "rules-0-primary": "urban_management",
        "rules-0-supporting": ["@location"],
        "rules-0-basis": "《河北省城市市容和环境卫生条例》",
        "rules-1-when": "其他",
        "rules-1-primary": "@location",
        "rules-1-basis": "《河北省城市市容和环境卫生条例》",
    }
    taken = _post(
        orgdept,
        "/catalog/v/2026-03/d/D04/new",
        {**new, "id": "D04-01"},
        "/catalog/v/2026-03/d/D04/new",
    )
    assert taken.status_code == 400 and "事项编号 D04-01 已被“占道经营”使用" in taken.get_data(
        as_text=True
    )
    gap = _post(
        orgdept,
        "/catalog/v/2026-03/d/D04/new",
        {**new, "rules-1-when": "乡镇驻地"},
        "/catalog/v/2026-03/d/D04/new",
    )
    assert gap.status_code == 400 and "规则未覆盖全部地点" in gap.get_data(as_text=True)
    assert "D04-07" not in catalog.catalog("2026-03").matters_by_id
    assert (
        _post(
            orgdept, "/catalog/v/2026-03/d/D04/new", new, "/catalog/v/2026-03/d/D04/new"
        ).status_code
        == 302
    )
    assert catalog.catalog("2026-03").domain_of["D04-07"].id == "D04"
    assert (
        _post(
            orgdept, "/catalog/v/2026-03/m/D04-06/delete", {}, "/catalog/v/2026-03/m/D04-06/edit"
        ).status_code
        == 302
    )
    diff = orgdept.get("/catalog/v/2026-03/diff").get_data(as_text=True)
    assert "新增事项 1 项" in diff and "夜市摊点管理" in diff and "删除事项 1 项" in diff
    assert "D04-06" in catalog.catalog("2022-06").matters_by_id, "the published list is untouched"
