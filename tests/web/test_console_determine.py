"""The unrouted case's own page: the list links to it; the form decides the units."""

from __future__ import annotations

from tests.engine.complaints.helpers import report, task
from tests.web.conftest import csrf_from


def test_dispatcher_determines_an_unrouted_case_on_its_own_page(app, login):
    desk = app.extensions["juhaoban"].desk
    submitted = report(desk, "D09-04", "xiguocheng-002")  # the catalog says: to the dispatcher
    determine = task(desk, submitted, "determine")
    client = login("dispatcher")
    home = client.get("/console/").get_data(as_text=True)
    assert f"/console/determine/{determine.id}" in home
    assert 'name="primary_unit"' not in home, "the list carries no per-row unit pickers"
    page = client.get(f"/console/determine/{determine.id}").get_data(as_text=True)
    assert 'name="primary_unit"' in page and "清单未能派单" in page
    bad = client.post(
        f"/console/tasks/{determine.id}",
        data={"csrf_token": csrf_from(page), "primary_unit": "nobody", "determine_note": "x"},
    )
    assert bad.status_code == 400 and "nobody" in bad.get_data(as_text=True)
    ok = client.post(
        f"/console/tasks/{determine.id}",
        data={
            "csrf_token": csrf_from(page),
            "primary_unit": "transport",
            "supporting_units_text_pick": ["xiguocheng"],
            "determine_note": "村道归交通局",
        },
    )
    assert ok.status_code == 302
    complaint = desk.complaint(submitted.complaint_id)
    assert (complaint.primary_unit, complaint.supporting_units) == ("transport", ["xiguocheng"])


def test_unit_staff_cannot_open_the_determine_page(app, login):
    desk = app.extensions["juhaoban"].desk
    submitted = report(desk, "D09-04", "xiguocheng-002")
    determine = task(desk, submitted, "determine")
    assert login("xgc").get(f"/console/determine/{determine.id}").status_code == 403
    assert login("dispatcher").get("/console/determine/nope").status_code == 404
