"""County model versions: built from the labels by the nightly job on the engine clock, a new
version only when the labels changed, with figures stored; the platform uses the latest."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from engine.intake.models import suggestion_model, suggestions
from engine.intake.tables import IntakeModel
from engine.intake.training import build_version, catalog_now
from engine.scheduler import INTAKE_JOB, TimerScheduler
from tests.engine.complaints.conftest import beijing
from tests.engine.complaints.helpers import do, move_to, report

MAJIAYING = "xiguocheng-002"
POND = "俺们村东头那个大坑里全是垃圾，臭得不行，夏天苍蝇乱飞"
LIGHTS = "十字路口那个红绿灯坏了三天了，一直闪黄灯，车都乱走"


def _label(desk, text: str, matter: str) -> None:
    submitted = report(desk, None, MAJIAYING, description=text)
    do(
        desk,
        submitted,
        "determine",
        {"primary_unit": "xiguocheng", "matter_id": matter},
        actor="dispatcher:zhao",
    )


def _versions(desk) -> list[tuple]:
    with desk.host.session_factory() as session:
        return [
            (r.version, r.examples, r.created_at)
            for r in session.scalars(select(IntakeModel).order_by(IntakeModel.version))
        ]


def test_the_nightly_job_builds_a_version_only_when_labels_changed(desk, clock):
    move_to(desk, beijing("2026-03-02 09:00"))
    scheduler = TimerScheduler(desk.host, worker_id="test")
    scheduler.start(paused=True)
    try:
        job = scheduler.scheduler.get_job(INTAKE_JOB)
        assert job.trigger.get_next_fire_time(None, clock.now()) == beijing("2026-03-03 02:40")

        scheduler.rebuild_intake_models()  # no labels yet: no model, the shipped one serves
        assert _versions(desk) == []
        with desk.host.session_factory() as session:
            assert suggestion_model("julu", _catalog(desk, session), session) is None

        _label(desk, POND, "D05-02")
        move_to(desk, beijing("2026-03-03 02:40"))
        scheduler.rebuild_intake_models()
        assert _versions(desk) == [(1, [[POND, "D05-02"]], clock.now())]
        scheduler.rebuild_intake_models()  # nothing new: no second version
        assert [v for v, *_ in _versions(desk)] == [1]
    finally:
        scheduler.shutdown()

    with desk.host.session_factory() as session:
        catalog = _catalog(desk, session)
        model = suggestion_model("julu", catalog, session)
        assert model is not None and model.label == "county-1" and model.examples == 1
        top = suggestions(POND, county="julu", catalog=catalog, session=session, limit=3)
    assert top[0].matter_id == "D05-02"


def test_recent_figures_score_recent_labels_with_a_model_that_never_saw_them(desk, clock):
    move_to(desk, beijing("2026-03-02 09:00"))
    _label(desk, POND, "D05-02")
    move_to(desk, clock.now() + timedelta(days=40))
    _label(desk, LIGHTS, "D06-03")

    built = build_version(desk.host.session_factory, county="julu", now=clock.now())
    assert (built.version, built.created, built.examples) == (1, True, 2)
    figures = _versions_figures(desk)[0]
    assert figures["shipped_test"]["n"] > 100
    assert 0.5 < figures["shipped_test"]["top3"] <= 1.0
    # Only the label of the last 30 days is scored, by a model trained on the older one.
    assert figures["recent"]["n"] == 1 and figures["recent_days"] == 30

    again = build_version(desk.host.session_factory, county="julu", now=clock.now())
    assert (again.version, again.created) == (1, False)

    _label(desk, "村里的大喇叭天天早上五点就开始放歌", "D01-03")
    newer = build_version(desk.host.session_factory, county="julu", now=clock.now())
    assert (newer.version, newer.created, newer.examples) == (2, True, 3)
    assert _versions_figures(desk)[1]["recent"]["n"] == 2


def _versions_figures(desk) -> list[dict]:
    with desk.host.session_factory() as session:
        return list(session.scalars(select(IntakeModel.figures).order_by(IntakeModel.version)))


def _catalog(desk, session):
    return catalog_now("julu", desk.host.clock.now(), session=session)


def test_while_a_new_version_is_fitted_pages_keep_the_previous_one(desk, clock, monkeypatch):
    """Another web process learns of the nightly version only from the database and fits it
    in the background: meanwhile its pages suggest with the county's previous version, never
    falling back to the shipped model for a while every night."""
    from collections import OrderedDict

    from engine.intake import models

    move_to(desk, beijing("2026-03-02 09:00"))
    _label(desk, POND, "D05-02")
    build_version(desk.host.session_factory, county="julu", now=clock.now())
    with desk.host.session_factory() as session:
        catalog = _catalog(desk, session)
        first = models.ready_model("julu", catalog, session, wait=None)
    assert first.label == "county-1"

    move_to(desk, beijing("2026-03-02 10:00"))
    _label(desk, LIGHTS, "D06-03")
    move_to(desk, beijing("2026-03-03 02:40"))
    built = build_version(desk.host.session_factory, county="julu", now=clock.now())
    assert (built.created, built.version) == (True, 2)
    # The other process: it had fitted version 1, version 2 is news to it.
    monkeypatch.setattr(models, "_CACHE", OrderedDict())
    monkeypatch.setattr(
        models, "_LAST_FITTED", {("julu", catalog.label, catalog.content_hash): first}
    )
    release = threading.Event()
    real = models.train_model

    def slow(*args, **kwargs):
        release.wait(120)
        return real(*args, **kwargs)

    monkeypatch.setattr(models, "train_model", slow)
    with desk.host.session_factory() as session:
        assert models.ready_model("julu", catalog, session, wait=0).label == "county-1"
    release.set()
    with desk.host.session_factory() as session:
        assert models.ready_model("julu", catalog, session, wait=None).label == "county-2"
