"""Catalog versions in the database: seeding, drafts, publication, immutability, routing."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from engine.catalog_store import (
    CatalogLifecycleError,
    CatalogRegistry,
    list_versions,
    load_version,
    publish_version,
    seed_versions,
    store_version,
)
from engine.core.transactions import run_step
from responsibility_catalog import CatalogInvalid, Status
from rules import ComplaintFacts, route_on

COUNTY = "julu"


@pytest.fixture(scope="module")
def shipped(shipped_catalogs):
    return shipped_catalogs


@pytest.fixture
def seeded(host, shipped):
    def step(session):
        return seed_versions(
            shipped, county=COUNTY, actor="test", now=host.clock.now(), session=session
        )

    assert run_step(host.session_factory, step) == ["2020-05", "2022-06"]
    return host


def _draft(host, shipped, label="2027-01", **changes):
    base = shipped[-1]
    draft = dataclasses.replace(
        base, label=label, status=Status.DRAFT, effective=None, based_on=base.label, **changes
    )
    run_step(
        host.session_factory,
        lambda s: store_version(
            draft, county=COUNTY, actor="orgdept", now=host.clock.now(), session=s
        ),
    )
    return draft


def _publish(host, label, effective):
    return run_step(
        host.session_factory,
        lambda s: publish_version(
            label, effective, county=COUNTY, actor="orgdept", now=host.clock.now(), session=s
        ),
    )


def test_seeding_is_idempotent_and_keeps_statuses(seeded, shipped):
    again = run_step(
        seeded.session_factory,
        lambda s: seed_versions(
            shipped, county=COUNTY, actor="t", now=seeded.clock.now(), session=s
        ),
    )
    assert again == []
    with seeded.session_factory() as session:
        infos = list_versions(county=COUNTY, session=session)
        restored = load_version("2022-06", county=COUNTY, session=session)
    assert [(i.label, i.status) for i in infos] == [
        ("2020-05", Status.SUPERSEDED),
        ("2022-06", Status.PUBLISHED),
    ]
    assert restored == shipped[-1]


def test_complaints_route_by_the_version_in_force_on_arrival(seeded):
    registry = CatalogRegistry()
    with seeded.session_factory() as session:
        catalogs = registry.in_force(county=COUNTY, session=session)
    facts = ComplaintFacts(matter="占道经营", village="马家营村")
    before = route_on(facts, catalogs, date(2022, 4, 10))
    after = route_on(facts, catalogs, date(2022, 7, 10))
    assert before.catalog_version == "2020-05" and after.catalog_version == "2022-06"
    assert before.primary != after.primary


def test_publishing_a_draft_supersedes_the_current_list_from_its_date(seeded, shipped):
    _draft(seeded, shipped, title="2027 年修订")
    registry = CatalogRegistry()
    with seeded.session_factory() as session:
        assert [c.label for c in registry.in_force(county=COUNTY, session=session)] == [
            "2020-05",
            "2022-06",
        ], "a draft never routes"
    assert _publish(seeded, "2027-01", date(2027, 1, 1)) == ["2022-06"]
    with seeded.session_factory() as session:
        catalogs = registry.in_force(county=COUNTY, session=session)
    facts = ComplaintFacts(matter="占道经营", village="马家营村")
    assert route_on(facts, catalogs, date(2026, 12, 31)).catalog_version == "2022-06"
    assert route_on(facts, catalogs, date(2027, 1, 1)).catalog_version == "2027-01"
    with pytest.raises(CatalogLifecycleError, match="只有草稿"):
        _publish(seeded, "2027-01", date(2027, 2, 1))


def test_an_invalid_draft_cannot_be_published_and_stays_a_draft(seeded, shipped):
    base = shipped[-1]
    domain = base.domains[0]
    matter = domain.matters[0]
    broken_rule = dataclasses.replace(matter.rules[0], primary="no_such_unit")
    broken = dataclasses.replace(matter, rules=(broken_rule, *matter.rules[1:]))
    domains = (
        dataclasses.replace(domain, matters=(broken, *domain.matters[1:])),
        *base.domains[1:],
    )
    _draft(seeded, shipped, domains=domains)
    with pytest.raises(CatalogInvalid) as caught:
        _publish(seeded, "2027-01", date(2027, 1, 1))
    assert any(p.code == "unknown_unit" and p.matter_id == matter.id for p in caught.value.problems)
    with seeded.session_factory() as session:
        infos = {i.label: i.status for i in list_versions(county=COUNTY, session=session)}
    assert infos["2027-01"] is Status.DRAFT and infos["2022-06"] is Status.PUBLISHED


def test_published_content_is_immutable_in_the_database(seeded):
    with pytest.raises(DatabaseError, match="immutable"), seeded.session_factory.begin() as s:
        s.execute(text("UPDATE catalog_version SET content_json = '{}' WHERE label = '2022-06'"))
    with seeded.session_factory() as session:
        assert load_version("2022-06", county=COUNTY, session=session).label == "2022-06"


def test_a_label_cannot_be_stored_twice(seeded, shipped):
    _draft(seeded, shipped)
    with pytest.raises(CatalogLifecycleError, match="已存在"):
        _draft(seeded, shipped)
