"""Fixtures for the complaint lifecycle: a seeded catalog, the deployed diagrams, a desk."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from engine.catalog_store import seed_versions
from engine.complaints.desk import ComplaintDesk
from engine.core.transactions import run_step
from rules import CHINA_TZ

BPMN_DIR = Path(__file__).resolve().parents[3] / "bpmn"


@pytest.fixture
def desk(host, clock, shipped_catalogs) -> ComplaintDesk:
    run_step(
        host.session_factory,
        lambda s: seed_versions(
            shipped_catalogs, county="julu", actor="test", now=clock.now(), session=s
        ),
    )
    host.deploy_file(BPMN_DIR / "complaint.bpmn", actor="designer")
    return ComplaintDesk(host)


def beijing(text: str) -> datetime:
    """``"2026-09-30 09:00"`` in Beijing time, as an aware instant."""
    return datetime.fromisoformat(text).replace(tzinfo=CHINA_TZ)
