"""What-if: the months before June 2022 replayed against the June 2022 list instead of the
launch list. Under the launch list, roadside stalls on provincial roads near the seat fall to
the catch-all rule (the township), which the townships and the 城管局 each returned; the June
2022 list names the 城管局, so the same arrivals are no longer contested."""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from cli.main import main
from engine.complaints.models import Complaint, ComplaintStage
from engine.core.persistence import make_engine
from simulation.parameters import ArrivalParameters, BehaviourParameters, Parameters
from simulation.replay import replay
from simulation.run import RunSpec, simulate

# Roadside shops along S324 and S325 near the seat report a lot; no other returns, so every
# contested case comes from the catalog's gap.
PARAMS = Parameters(
    arrivals=ArrivalParameters(
        matter_mix={"D04-01": 50.0},
        hotspots={"xiaolvzhai-002": 300.0, "xiguocheng-002": 60.0},
    ),
    behaviour=BehaviourParameters(return_base=0.0),
)
SPEC = RunSpec(months=1.5, seed=9, scale=0.0015, start=date(2022, 3, 1), parameters=PARAMS)
ZONE = ("xiaolvzhai-002", "xiguocheng-002")


def _roadside(url):
    db = make_engine(url)
    with db.connect() as connection:
        rows = connection.execute(
            select(
                Complaint.primary_unit,
                Complaint.return_count,
                Complaint.catalog_version,
                Complaint.stage,
            ).where(Complaint.matter_id == "D04-01", Complaint.village_id.in_(ZONE))
        ).all()
    db.dispose()
    return rows


def test_the_june_2022_list_removes_the_contested_roadside_cases(tmp_path):
    source = f"sqlite:///{tmp_path / 'launch.sqlite'}"
    simulate(source, SPEC)
    before = _roadside(source)
    assert len(before) >= 5
    assert {r.catalog_version for r in before} == {"2020-05"}
    contested_before = [r for r in before if r.return_count]
    assert len(contested_before) >= 3, "the launch list leaves the roadside stalls disputed"

    target = tmp_path / "june.sqlite"
    result = CliRunner().invoke(
        main,
        [
            "simulate",
            "--replay-from",
            source,
            "--catalog",
            "2022-06",
            "--database",
            f"sqlite:///{target}",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    after = _roadside(f"sqlite:///{target}")

    # The same arrivals, now routed to the 城管局 by an explicit rule, and none returned.
    assert len(after) == len(before)
    assert {(r.catalog_version, r.primary_unit) for r in after} == {("2022-06", "urban_management")}
    assert [r for r in after if r.return_count] == []
    # The printed difference says so, per matter and in the headline.
    roadside = report["difference"]["by_matter"]["D04-01"]
    assert roadside["contested"][0] >= len(contested_before) and roadside["contested"][1] == 0
    assert report["difference"]["headline"]["contested"][1] == 0
    assert report["difference"]["headline"]["requests"][0] == report["run"]["requests"]
    assert "xiaolvzhai" in report["difference"]["by_unit"]


def test_replay_refuses_a_database_without_requests(tmp_path):
    empty = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    db = make_engine(empty)
    from engine.core.persistence import create_schema

    create_schema(db)
    db.dispose()
    result = CliRunner().invoke(
        main,
        [
            "simulate",
            "--replay-from",
            empty,
            "--catalog",
            "2022-06",
            "--database",
            f"sqlite:///{tmp_path / 'whatif.sqlite'}",
            "--quiet",
        ],
    )
    assert result.exit_code == 1
    assert "没有诉求可重放" in result.output


def test_spec_survives_the_audit_record():
    restored = RunSpec.from_dict(json.loads(json.dumps(SPEC.to_dict())))
    assert restored == SPEC
    assert dataclasses.asdict(restored.parameters) == dataclasses.asdict(PARAMS)


def test_replay_on_the_same_versions_reproduces_the_run(tmp_path):
    spec = RunSpec(months=0.5, seed=4, scale=0.002, start=date(2021, 9, 1))
    source = f"sqlite:///{tmp_path / 'source.sqlite'}"
    original = simulate(source, spec)
    result = CliRunner().invoke(
        main,
        [
            "simulate",
            "--replay-from",
            source,
            "--process",
            "1",  # the complaint diagram's version stored in the source database
            "--database",
            f"sqlite:///{tmp_path / 'again.sqlite'}",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["process"] == "1"
    assert report["run"]["digest"] == original["digest"]
    assert report["difference"]["by_matter"] == {} and report["difference"]["by_unit"] == {}
    missing = CliRunner().invoke(
        main,
        [
            "simulate",
            "--replay-from",
            source,
            "--process",
            "7",
            "--database",
            f"sqlite:///{tmp_path / 'none.sqlite'}",
            "--quiet",
        ],
    )
    assert missing.exit_code == 1 and "没有 complaint 流程第 7 版" in missing.output


def test_a_draft_process_that_consults_at_the_first_return(tmp_path):
    # A designer's draft: a returned case goes to joint consultation at once instead of to the
    # dispatcher's ruling first. Replayed from the launch-list run, nothing is adjudicated.
    bpmn = Path(__file__).resolve().parents[2] / "bpmn"
    draft = tmp_path / "draft"
    draft.mkdir()
    xml = (bpmn / "complaint.bpmn").read_text(encoding="utf-8")
    assert xml.count("return_count &gt;= 2 and not consulted") == 1
    (draft / "complaint.bpmn").write_text(
        xml.replace("return_count &gt;= 2 and not consulted", "not consulted"), encoding="utf-8"
    )
    shutil.copy(bpmn / "joint_consultation.bpmn", draft / "joint_consultation.bpmn")

    source = f"sqlite:///{tmp_path / 'launch.sqlite'}"
    simulate(source, SPEC)
    target = f"sqlite:///{tmp_path / 'draft.sqlite'}"
    report = replay(source, target, process=str(draft / "complaint.bpmn"))

    def stages(url):
        db = make_engine(url)
        with db.connect() as connection:
            found = dict(
                connection.execute(
                    select(
                        ComplaintStage.stage, func.count(ComplaintStage.complaint_id.distinct())
                    ).group_by(ComplaintStage.stage)
                ).all()
            )
            found["returned"] = connection.scalar(
                select(func.count()).where(Complaint.return_count > 0)
            )
            consulted = select(ComplaintStage.complaint_id).where(
                ComplaintStage.stage == "consultation"
            )
            found["returned_to_consultation"] = connection.scalar(
                select(func.count()).where(
                    Complaint.return_count > 0,
                    (Complaint.stage == "consultation") | Complaint.id.in_(consulted),
                )
            )
        db.dispose()
        return found

    before, after = stages(source), stages(target)
    assert before["contested"] >= 3 and after.get("contested", 0) == 0
    # Under the draft every returned case went to the joint consultation.
    assert after["returned"] >= 3 and after["returned_to_consultation"] == after["returned"]
    assert report["process"] == str(draft / "complaint.bpmn")
    assert report["difference"]["headline"]["requests"][0] == report["run"]["requests"]
