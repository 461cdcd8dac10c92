"""The catalog editor end to end in real headless Chromium (Debian's), driven by Playwright.

The organisation department edits 占道经营 in a draft (the live validator flags an ambiguous
rule, the department fixes it), sends it for consultation; the 城管局 objects, the transport
bureau agrees; the department revises and resends; both agree; it publishes. A new complaint
then routes by the new list while one already in progress keeps the old one. Screenshots of
every page go to ``build/screenshots`` for people to look at.
"""

from __future__ import annotations

import pytest

from tests.engine.catalog_revision.s324 import HOULINXIN, april_2022_case_settled_by_consultation
from tests.engine.complaints.conftest import BPMN_DIR, beijing
from tests.engine.complaints.helpers import report
from tests.web.browser import Page, expect
from tests.web.browser import login_page as _login
from tests.web.browser import shot as _shot

pytestmark = pytest.mark.slow


def _answer(
    browser,
    base: str,
    username: str,
    opinion: str,
    comment: str = "",
    name: str = "",
    width: int = 1280,
) -> Page:
    unit = _login(browser, base, username, width=width)
    unit.click("header >> text=清单征求意见")
    unit.locator("a.task-link", has_text="草稿 2026-03").first.click()
    unit.wait_for_load_state()
    expect(unit.locator("body")).to_contain_text("D04-01 占道经营")
    unit.check(f"input[name=opinion][value={opinion}]")
    if comment:
        unit.fill("#comment", comment)
    if name:
        _shot(unit, name)
    unit.click("#opinion-form button[type=submit]")
    unit.wait_for_load_state()
    expect(unit.locator("body")).to_contain_text("本单位意见已提交组织部")
    return unit


def test_draft_edit_consultation_objection_revision_publication(browser, live_url, app, clock):
    clock.set(beijing("2026-03-02 09:00"))  # Monday
    app.extensions["juhaoban.host"].deploy_file(
        BPMN_DIR / "catalog_revision.bpmn", actor="designer"
    )
    complaints = app.extensions["juhaoban"].desk
    in_progress = report(complaints, "D04-01", HOULINXIN, description="S324 沿线商户占道经营")
    assert complaints.complaint(in_progress.complaint_id).primary_unit == "urban_management"

    org = _login(browser, live_url, "orgdept", width=1280)
    org.click("header >> text=责任清单")
    expect(org.locator("h1")).to_contain_text("事项主体责任和配合责任清单")
    org.fill("#label", "2026-03")
    _shot(org, "catalog-01-versions")
    org.click("form[action$='/catalog/drafts'] button")
    org.wait_for_load_state()
    org.fill("#q", "占道")
    org.click("form.search button")
    org.wait_for_load_state()
    _shot(org, "catalog-02-draft-search")
    org.locator("a", has_text="占道经营").first.click()
    org.wait_for_load_state()
    _shot(org, "catalog-03-matter")
    org.click("text=修改此事项")
    org.wait_for_load_state()

    # Rule 2 to the transport bureau: the live validator flags the overlap with rule 1.
    org.select_option("#f-rules-1-primary", "transport")
    ambiguity = org.locator("[data-for='rules-1-when']")
    expect(ambiguity).to_contain_text("规则 1 与规则 2 同时适用于")
    expect(ambiguity).to_contain_text("但主体责任单位不同")
    _shot(org, "catalog-04-edit-ambiguous")
    org.fill("#f-rules-1-when", "沿省道 且 距县城≤5公里 且 非 城区建成区")
    expect(org.locator("#check-status")).to_contain_text("校验通过")
    expect(ambiguity).to_be_empty()
    org.click("#save")
    org.wait_for_load_state()
    expect(org.locator("body")).to_contain_text("已保存到草稿 2026-03")

    # The diff names the change and the units to consult; send with three working days.
    org.goto(f"{live_url}/catalog/v/2026-03/diff")
    expect(org.locator("ul.affected")).to_contain_text("县交通运输局")
    expect(org.locator("ul.affected")).to_contain_text("县城市管理综合行政执法局")
    _shot(org, "catalog-05-diff-send")
    org.fill("#opinion_days", "3")
    org.click("#send-form button[type=submit]")
    org.wait_for_load_state()
    revision_url = org.url
    expect(org.locator("body")).to_contain_text("待反馈")

    cgj_page = _answer(
        browser,
        live_url,
        "cgj",
        "object",
        "距县城5公里内省道沿线由我局巡查，建议我局至少作为配合单位",
        name="catalog-06-unit-opinion",
    )
    cgj_page.goto(f"{live_url}/catalog/opinions")
    _shot(cgj_page, "catalog-07-unit-opinions-done")
    _answer(
        browser, live_url, "transport", "agree", name="catalog-07b-unit-opinion-phone", width=420
    )

    # The department sees the objection, sends the draft back for revision.
    org.goto(revision_url)
    expect(org.locator(".objection")).to_contain_text("建议我局至少作为配合单位")
    _shot(org, "catalog-08-review-objection")
    org.check("input[name=review_decision][value=revise]")
    org.fill("#review_note", "采纳城管局意见，增加其为配合单位")
    org.click("#review-form button[type=submit]")
    org.wait_for_load_state()
    expect(org.locator("body")).to_contain_text("已退回修改")
    org.goto(f"{live_url}/catalog/v/2026-03/m/D04-01/edit")
    org.select_option("#f-rules-1-supporting", ["@location", "urban_management"])
    expect(org.locator("#check-status")).to_contain_text("校验通过")
    org.click("#save")
    org.wait_for_load_state()
    org.goto(revision_url)
    org.fill("#opinion_days", "2")
    org.fill("#resend_note", "已增加城管局为配合单位")
    _shot(org, "catalog-09-resend")
    org.click("#resend-form button[type=submit]")
    org.wait_for_load_state()
    expect(org.locator("body")).to_contain_text("第 2 轮")

    _answer(browser, live_url, "cgj", "agree")
    _answer(browser, live_url, "transport", "agree")

    org.goto(revision_url)
    org.check("input[name=review_decision][value=publish]")
    org.fill("#effective", "2026-03-09")
    org.click("#review-form button[type=submit]")
    org.wait_for_load_state()
    expect(org.locator("body")).to_contain_text("清单 2026-03 已公布，自 2026-03-09 起施行")
    _shot(org, "catalog-10-published")
    org.goto(f"{live_url}/catalog/v/2026-03/print")
    expect(org.locator("h1")).to_contain_text("巨鹿县事项主体责任和配合责任清单目录")
    _shot(org, "catalog-11-print")

    # From the effective date a new report routes by the new list; the old case keeps its own.
    clock.set(beijing("2026-03-09 09:00"))
    resident = _login(browser, live_url, "resident")
    resident.goto(f"{live_url}/report/new")
    resident.select_option("#matter_id", "D04-01")
    resident.select_option("#township_id", "xiaolvzhai")
    resident.select_option("#village_id", HOULINXIN)
    resident.fill("#description", "S324 路边又有商户把货摆到了路上")
    resident.click("button.wide")
    expect(resident.locator("body")).to_contain_text("县交通运输局")
    from sqlalchemy import select

    from engine.complaints.models import Complaint

    with complaints.host.session_factory() as db:
        newest = db.scalars(select(Complaint).order_by(Complaint.id.desc())).first()
    assert (newest.catalog_version, newest.primary_unit) == ("2026-03", "transport")
    assert sorted(newest.supporting_units) == ["urban_management", "xiaolvzhai"]
    kept = complaints.complaint(in_progress.complaint_id)
    assert (kept.catalog_version, kept.primary_unit) == ("2022-06", "urban_management")

    for page, name in (
        ("/catalog/proposals", "catalog-12-proposals"),
        ("/catalog/contested", "catalog-13-contested"),
    ):
        org.goto(f"{live_url}{page}")
        _shot(org, name)


def test_amendment_proposal_is_accepted_into_a_draft_and_contested_matters_rank(
    browser, live_url, app, clock, tmp_path
):

    # A 2022 S324 case under the launch list: returned twice, settled by a joint consultation.
    complaints = app.extensions["juhaoban"].desk
    april_2022_case_settled_by_consultation(complaints)
    clock.set(beijing("2022-05-09 09:00"))

    org = _login(browser, live_url, "orgdept", width=1280)
    org.goto(f"{live_url}/catalog/contested?from=2022-01-01&to=2022-12-31")
    ranking = org.locator("table.ranking")
    expect(ranking).to_contain_text("D04-01 占道经营")
    expect(ranking.locator("tr").nth(1)).to_contain_text("1 条待处理")
    _shot(org, "catalog-13-contested")
    org.goto(f"{live_url}/catalog/")
    org.fill("#label", "2022-07")
    org.click("form[action$='/catalog/drafts'] button")
    org.wait_for_load_state()
    org.goto(f"{live_url}/catalog/v/2022-07/d/D04/new")
    expect(org.locator("#f-id")).to_have_value("D04-07")
    _shot(org, "catalog-15-new-matter")
    # A file that is not a workbook is refused with its name, and no draft appears.
    org.goto(f"{live_url}/catalog/")
    notes = tmp_path / "清单说明.docx"
    notes.write_bytes(b"not a workbook")
    org.set_input_files("#workbook", str(notes))
    org.click("form[action$='/catalog/drafts/import'] button")
    org.wait_for_load_state()
    expect(org.locator(".error")).to_contain_text("“清单说明.docx”不是 Excel 工作簿")
    _shot(org, "catalog-16-import-refused")
    org.goto(f"{live_url}/catalog/proposals")
    expect(org.locator(".proposal")).to_contain_text("省道沿线5公里内占道经营由城管局主责")
    _shot(org, "catalog-12-proposals")
    org.click(".proposal form button[type=submit]")
    org.wait_for_load_state()
    # The matter opens in the draft with the proposal and the case's location beside the form.
    expect(org.locator("h1")).to_contain_text("修改事项 D04-01 占道经营")
    side = org.locator("aside .proposal")
    expect(side).to_contain_text("已采纳到 2022-07")
    expect(side).to_contain_text("小吕寨镇后林辛庄村")
    expect(side).to_contain_text("城区建成区外")
    _shot(org, "catalog-14-edit-with-proposal")
    org.goto(f"{live_url}/catalog/v/2022-06/m/D04-01")
    expect(org.locator("#proposals")).to_contain_text("1 条")
