"""Parameters are data: a YAML file overrides the defaults, field by field."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import select

from cli.main import main
from engine.complaints.models import Complaint
from engine.core.persistence import make_engine
from rules import CHINA_TZ
from simulation.parameters import Parameters, load_parameters

YAML = """
arrivals:
  matter_mix: {D10-02: 100}
  hours: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
behaviour:
  callback_answered: 0.0
  extension_days: [3, 5]
  zones:
    - matters: [D04-02]
      where: 城区建成区
      parties: ['@location']
      settle_with: urban_management
      probability: 0.5
"""


def test_yaml_overrides_only_what_it_names(tmp_path):
    path = tmp_path / "county.yaml"
    path.write_text(YAML, encoding="utf-8")
    params = load_parameters(path)
    defaults = Parameters()
    assert params.arrivals.matter_mix == {"D10-02": 100}
    assert params.arrivals.weekdays == defaults.arrivals.weekdays
    assert params.behaviour.extension_days == (3, 5)
    assert params.behaviour.zones[0].parties == ("@location",)
    assert params.behaviour.satisfied == defaults.behaviour.satisfied

    result = CliRunner().invoke(
        main,
        [
            "simulate",
            "--months",
            "0.25",
            "--scale",
            "0.003",
            "--start",
            "2021-06-07",
            "--params",
            str(path),
            "--database",
            f"sqlite:///{tmp_path / 'p.sqlite'}",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["requests"] > 3 and out["garbage_share"] == 0.0
    # Everyone reported between 09:00 and 10:00 Beijing time.
    db = make_engine(f"sqlite:///{tmp_path / 'p.sqlite'}")
    with db.connect() as connection:
        rows = connection.execute(select(Complaint.received_at, Complaint.matter_id)).all()
    db.dispose()
    assert {r.received_at.astimezone(CHINA_TZ).hour for r in rows} == {9}
    assert {r.matter_id for r in rows} <= {"D10-02", None}
