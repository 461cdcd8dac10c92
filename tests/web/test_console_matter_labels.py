"""The 事项类别 a dispatcher gives on the determine and 改派 forms: suggestions shown, an
adopted suggestion pre-fills the catalog's units, a matter outside the case's catalog is
refused by field, and a correction goes with 改派 only."""

from __future__ import annotations

import re

from sqlalchemy import select

from engine.complaints.matter_labels import MatterLabel
from tests.engine.complaints.helpers import report
from tests.web.test_console_common import (
    act,
    desk_fixture,  # noqa: F401  (the desk fixture)
    returned_case,
    task,
)

POND = "俺们村东头那个大坑里全是垃圾，臭得不行，夏天苍蝇乱飞"


def _selected(html: str, name: str) -> str | None:
    select_html = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select_html, f"no select {name}"
    chosen = re.search(r'<option value="([^"]*)" selected>', select_html.group(0))
    return chosen.group(1) if chosen else None


def _labels(desk) -> list[tuple[int, str, str]]:
    with desk.host.session_factory() as session:
        return [
            (r.complaint_id, r.matter_id, r.source)
            for r in session.scalars(select(MatterLabel).order_by(MatterLabel.id))
        ]


def test_determine_shows_suggestions_prefills_an_adopted_one_and_refuses_unknown_matters(
    login, desk
):
    submitted = report(desk, None, "xiguocheng-002", description=POND)
    determine = task(desk, submitted, "determine")
    client = login("dispatcher")
    page = client.get(f"/console/determine/{determine.id}").get_data(as_text=True)
    assert "推荐事项类别" in page and "因为提到：" in page and "采用此事项" in page
    assert _selected(page, "matter_id") is None  # the reporter chose none

    adopted = client.get(f"/console/determine/{determine.id}?pick=D05-01").get_data(as_text=True)
    assert _selected(adopted, "matter_id") == "D05-01"
    assert _selected(adopted, "primary_unit") == "xiguocheng"
    assert 'name="supporting_units_text_pick" value="urban_management" checked' in adopted

    refused = act(client, determine.id, {"primary_unit": "xiguocheng", "matter_id": "D99-99"})
    assert refused.status_code == 400
    assert "事项“D99-99”不在清单 2020-05 中" in refused.get_data(as_text=True)
    assert desk.complaint(submitted.complaint_id).stage == "jurisdiction"

    done = act(client, determine.id, {"primary_unit": "xiguocheng", "matter_id": "D05-01"})
    assert done.status_code == 302
    assert desk.complaint(submitted.complaint_id).matter_name == "村内垃圾点清运"
    assert _labels(desk) == [(submitted.complaint_id, "D05-01", "dispatcher")]


def test_a_matter_correction_goes_with_reroute(login, desk):
    submitted = returned_case(desk, description="门口卖菜的把路全占了")
    adjudicate = task(desk, submitted, "adjudicate")
    client = login("dispatcher")
    page = client.get(f"/console/contested/{adjudicate.id}").get_data(as_text=True)
    assert "推荐事项类别" in page and "不更正（占道经营）" in page
    adopted = client.get(f"/console/contested/{adjudicate.id}?pick=D04-04")
    assert 'name="ruling" value="reroute" checked' in adopted.get_data(as_text=True)

    note = {"ruling_note": "按清单"}
    kept = act(client, adjudicate.id, {"ruling": "reaffirm", "matter_id": "D04-04", **note})
    assert kept.status_code == 400
    assert "更正事项请选择改派" in kept.get_data(as_text=True)

    rerouted = act(
        client,
        adjudicate.id,
        {
            "ruling": "reroute",
            "new_primary_unit": "urban_management",
            "matter_id": "D04-04",
            **note,
        },
    )
    assert rerouted.status_code == 302
    complaint = desk.complaint(submitted.complaint_id)
    assert (complaint.matter_id, complaint.primary_unit) == ("D04-04", "urban_management")
    assert _labels(desk) == [(submitted.complaint_id, "D04-04", "return")]
