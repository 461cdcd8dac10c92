"""What-if on a database the simulator did not make: the requests it really received are
replayed as they arrived (people's behaviour simulated), against the June 2022 list."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import select

from cli.main import main
from engine import VirtualClock, WorkflowHost
from engine.catalog_store import seed_versions
from engine.complaints.desk import ComplaintDesk
from engine.complaints.models import Complaint
from engine.core.persistence import create_schema, make_engine, make_session_factory
from engine.core.transactions import run_step
from tests.engine.complaints.conftest import BPMN_DIR, beijing
from tests.engine.complaints.helpers import do, report

RETURN = {"decision": "return", "return_reason": "不属于本乡镇职责", "return_basis": "清单 D04-01"}


def _april_2022(url, shipped_catalogs):
    """April 2022 under the launch list: roadside stalls on S324 reported and returned by the
    township, as the county lived it; and a few ordinary requests."""
    db = make_engine(url)
    create_schema(db)
    clock = VirtualClock(beijing("2022-04-01 08:00"))
    host = WorkflowHost(make_session_factory(db), clock)
    run_step(
        host.session_factory,
        lambda s: seed_versions(
            shipped_catalogs, county="julu", actor="test", now=clock.now(), session=s
        ),
    )
    host.deploy_file(BPMN_DIR / "complaint.bpmn", actor="designer")
    desk = ComplaintDesk(host)
    for day in (6, 8, 12, 14):
        clock.set(beijing(f"2022-04-{day:02d} 10:00"))
        roadside = report(desk, "D04-01", "xiaolvzhai-002", description="S324 沿线商户占道经营")
        do(desk, roadside, "sign_for", RETURN, actor="staff:xlz")
        report(desk, "D05-01", "dicun-003", description="村西垃圾点满了")
    clock.set(beijing("2022-04-20 09:00"))
    report(desk, "D07-01", "xiguocheng-002", description="停水两天")
    db.dispose()


def test_recorded_april_2022_against_the_june_list(tmp_path, shipped_catalogs):
    source = f"sqlite:///{tmp_path / 'april.sqlite'}"
    _april_2022(source, shipped_catalogs)
    target = f"sqlite:///{tmp_path / 'june.sqlite'}"
    result = CliRunner().invoke(
        main,
        [
            "simulate",
            "--replay-from",
            source,
            "--catalog",
            "2022-06",
            "--database",
            target,
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["arrivals"] == "recorded" and out["run"]["requests"] == 9

    db = make_engine(target)
    with db.connect() as connection:
        replayed = connection.execute(
            select(
                Complaint.received_at,
                Complaint.matter_id,
                Complaint.village_id,
                Complaint.primary_unit,
                Complaint.return_count,
            ).order_by(Complaint.received_at)
        ).all()
    db.dispose()
    roadside = [r for r in replayed if r.matter_id == "D04-01"]
    assert [r.received_at for r in roadside] == [
        beijing(f"2022-04-{d:02d} 10:00") for d in (6, 8, 12, 14)
    ]
    assert {(r.primary_unit, r.return_count) for r in roadside} == {("urban_management", 0)}
    headline = out["difference"]["headline"]
    assert headline["contested"] == [4, 0]
    assert out["difference"]["by_matter"]["D04-01"]["contested"] == [4, 0]
