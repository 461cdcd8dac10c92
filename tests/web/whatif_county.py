"""The county the what-if web tests start from: the launch list (2020-05) in force, a draft
2026-03 that writes the June 2022 roadside rule (S324 stalls to the 城管局), and the requests
of January and February 2026, roadside stalls near the seat among them."""

from __future__ import annotations

import dataclasses

from engine.catalog_revision.drafts import store_imported
from engine.core.config import EngineConfig
from engine.core.transactions import run_step
from responsibility_catalog import Status
from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import report
from tests.web.county_app import county_app

DRAFT = "2026-03"
NOW = "2026-03-02 09:00"  # a Monday


def whatif_county(tmp_path, clock, shipped_catalogs):
    launch, june = shipped_catalogs
    clock.set(beijing("2026-01-05 08:00"))
    config = EngineConfig.from_env({"JUHAOBAN_INSTANCE_DIR": str(tmp_path)})
    app = county_app(config, clock, [dataclasses.replace(launch, status=Status.PUBLISHED)])
    host = app.extensions["juhaoban.host"]
    run_step(
        host.session_factory,
        lambda s: store_imported(
            dataclasses.replace(june, label=DRAFT, status=Status.DRAFT, effective=None),
            county="julu",
            actor="orgdept",
            now=clock.now(),
            session=s,
        ),
    )
    desk = app.extensions["juhaoban"].desk
    for day in ("01-06", "01-13", "01-20", "02-03", "02-10", "02-24"):
        clock.set(beijing(f"2026-{day} 10:00"))
        report(desk, "D04-01", "xiaolvzhai-002", description="S324 沿线商户占道经营")
        report(desk, "D05-01", "dicun-003", description="村西垃圾点满了")
    clock.set(beijing(NOW))
    return app
