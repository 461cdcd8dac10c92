"""Open311 benchmark through the Flask test client (no network); prints one JSON object.

- ``post_ms``: median time of a POST requests.json (intake, routing, lifecycle start).
- ``list_json_ms`` / ``list_xml_ms``: median GET requests.{json,xml} returning ``--requests``
  requests (default 300) with ``extensions=true``.
- ``report_page_post_ms``: the same submission through the report page's service call
  (``desk.submit``), interleaved with the POSTs, so ``post_ratio`` is what the API adds.

Usage: ``python bench/open311.py [--requests N]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import VirtualClock  # noqa: E402
from engine.catalog_store import seed_versions  # noqa: E402
from engine.complaints.intake import ComplaintReport  # noqa: E402
from engine.core.config import EngineConfig  # noqa: E402
from engine.core.transactions import run_step  # noqa: E402
from engine.open311.keys import issue_key  # noqa: E402
from responsibility_catalog.loader import load_catalogs, shipped_data_path  # noqa: E402
from web import create_app  # noqa: E402


def _ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--requests", type=int, default=300)
    options = args.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        clock = VirtualClock(datetime(2026, 3, 2, tzinfo=UTC))
        config = EngineConfig.from_env({"JUHAOBAN_INSTANCE_DIR": tmp})
        app = create_app(
            {"ENGINE_CONFIG": config, "CLOCK": clock, "SECRET_KEY": "bench", "TESTING": True}
        )
        host = app.extensions["juhaoban.host"]
        catalogs = load_catalogs(shipped_data_path())
        run_step(
            host.session_factory,
            lambda s: seed_versions(catalogs, county="julu", actor="b", now=clock.now(), session=s),
        )
        host.deploy_file(ROOT / "bpmn" / "complaint.bpmn", actor="bench")
        _, key = run_step(
            host.session_factory,
            lambda s: issue_key(
                "bench",
                requests_per_minute=6000,
                county="julu",
                actor="b",
                now=clock.now(),
                session=s,
            ),
        )
        desk = app.extensions["juhaoban"].desk
        client = app.test_client()
        form = {
            "api_key": key,
            "service_code": "D05-01",
            "address_id": "juluzhen-010",
            "attribute[garbage_state]": "overflowing",
            "description": "垃圾点满溢",
        }
        report = ComplaintReport(
            channel="app", village_id="juluzhen-010", description="垃圾点满溢", matter_id="D05-01"
        )
        posts, direct = [], []
        for _ in range(options.requests // 2):
            posts.append(_ms(lambda: client.post("/open311/v2/requests.json", data=form)))
            direct.append(_ms(lambda: desk.submit(report, actor="bench")))
        lists = {
            fmt: statistics.median(
                _ms(lambda f=fmt: client.get(f"/open311/v2/requests.{f}?extensions=true"))
                for _ in range(9)
            )
            for fmt in ("json", "xml")
        }
        count = len(client.get("/open311/v2/requests.json").get_json())
    print(
        json.dumps(
            {
                "post_ms": round(statistics.median(posts), 2),
                "report_page_post_ms": round(statistics.median(direct), 2),
                "post_ratio": round(statistics.median(posts) / statistics.median(direct), 2),
                "list_json_ms": round(lists["json"], 1),
                "list_xml_ms": round(lists["xml"], 1),
                "listed_requests": count,
            }
        )
    )


if __name__ == "__main__":
    main()
