"""Issue 20 in Chromium: a dispatcher opens an unrouted case, sees the suggested matters with
the words behind them, adopts one that is not the model's first choice (a correction) and
dispatches; the next training run learns that case's text with the corrected matter, and the
new model suggests it for the same text. Screenshots: dispatcher-suggestions-1366, -390."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from engine.intake.dispatch import units_for
from engine.intake.models import shipped_ready, suggestions
from engine.intake.tables import IntakeModel
from engine.intake.training import build_version, catalog_now
from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import report, task
from tests.web.browser import expect, login_page, shot

TEXT = "俺们村东头那个大坑里全是垃圾，臭得不行，夏天苍蝇乱飞"
VILLAGE = "xiguocheng-002"  # 马家营村


@pytest.mark.parametrize("width", [1366, 390])  # the dispatch desk, and a dispatcher's phone
def test_a_dispatcher_correction_is_in_the_next_models_training_data(
    app, browser, live_url, clock, width
):
    clock.set(beijing("2026-03-02 09:00"))
    desk = app.extensions["juhaoban"].desk
    host = app.extensions["juhaoban.host"]
    submitted = report(desk, None, VILLAGE, description=TEXT)
    determine = task(desk, submitted, "determine")
    with host.session_factory() as session:  # fitted as a served process does when it starts
        shipped_ready(catalog_now("julu", clock.now(), session=session), wait=None)

    page = login_page(browser, live_url, "dispatcher", width=width)
    page.goto(f"{live_url}/console/")
    card = page.locator(f"#t-{determine.id}")
    expect(card.locator(".top-suggestion")).to_contain_text("推荐事项：")
    shot(page, f"console-unrouted-{width}")
    card.get_by_role("link", name="定性派单").click()

    offered = page.locator("ol.suggestions li")
    expect(offered.first).to_contain_text("因为提到：")
    expect(offered.first.locator(".score")).to_have_text(re.compile(r"^\d+%$"))
    assert 2 <= offered.count() <= 3
    buttons = page.get_by_role("button", name="采用此事项")
    first = buttons.first.get_attribute("value")
    chosen = buttons.last.get_attribute("value")
    assert chosen != first, "the correction must differ from the model's first choice"

    # A note typed before picking stays: the pick fills the form in place.
    page.fill("#determine_note", "现场为村内垃圾点，按清单派单")
    buttons.last.click()
    expect(page.get_by_role("status")).to_contain_text("已采用：")
    expect(page.locator("#determine_note")).to_have_value("现场为村内垃圾点，按清单派单")
    expect(page.locator("ol.suggestions li.adopted")).to_have_count(1)
    expect(page.locator("#matter_id")).to_have_value(chosen)
    with host.session_factory() as session:
        catalog = catalog_now("julu", clock.now(), session=session)
    routed = units_for(catalog, chosen, VILLAGE)
    assert routed is not None and routed.primary
    expect(page.locator("#primary_unit")).to_have_value(routed.primary)
    for unit in routed.supporting:
        expect(
            page.locator(f"input[name=supporting_units_text_pick][value='{unit}']")
        ).to_be_checked()
    shot(page, f"dispatcher-suggestions-{width}")

    page.get_by_role("button", name="确定并派单").click()
    expect(page.locator("body")).to_contain_text("已确定责任单位并派单")
    complaint = desk.complaint(submitted.complaint_id)
    assert (complaint.matter_id, complaint.primary_unit) == (chosen, routed.primary)

    # The nightly job's work, run now: the correction is in the new version's examples.
    built = build_version(host.session_factory, county="julu", now=clock.now())
    assert built.created and built.version == 1
    with host.session_factory() as session:
        examples = session.scalar(select(IntakeModel.examples).where(IntakeModel.version == 1))
        learnt = suggestions(TEXT, county="julu", catalog=catalog, session=session, limit=3)
    assert [TEXT, chosen] in examples
    assert learnt[0].matter_id == chosen
