"""The one wiring of the domain desks (engine.desks) and the reads it offers pages: the
catalogs in force and the working calendar; the complaint domain's home-page totals and the
case an instance carries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from engine.catalog_store import seed_versions
from engine.complaints import case_of_instance, complaint_totals
from engine.core.transactions import run_step
from engine.desks import wire_desks
from tests.engine.complaints.helpers import report

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"


def test_desks_share_one_catalog_registry_and_calendar(host, clock, shipped_catalogs) -> None:
    run_step(
        host.session_factory,
        lambda s: seed_versions(
            shipped_catalogs, county="julu", actor="test", now=clock.now(), session=s
        ),
    )
    host.deploy_file(BPMN_DIR / "complaint.bpmn", actor="designer")
    desks = wire_desks(host)
    assert desks.host is host
    assert desks.agri.catalogs is desks.complaints.catalogs
    assert desks.drafts("xingtai").county == "xingtai"
    assert desks.operator("xingtai").county == "xingtai"

    in_force = desks.catalogs_in_force("julu")
    assert in_force and in_force[-1].label == shipped_catalogs[-1].label
    assert desks.catalogs_in_force("xingtai") == ()
    calendar = desks.working_calendar("julu")
    assert calendar.is_working_day(date(2026, 3, 9)) and not calendar.is_working_day(
        date(2026, 10, 1)  # National Day
    )

    submitted = report(desks.complaints, "D07-07", "xiguocheng-002")
    link = case_of_instance(host, submitted.instance_id)
    assert link is not None and link.complaint_id == submitted.complaint_id
    assert link.tracking_code == submitted.tracking_code
    assert case_of_instance(host, 999_999) is None
    totals = complaint_totals(host)
    assert (totals.complaints, totals.closed) == (1, 0)
