"""Version model: statuses, immutability, the version in force, the lossless dict form."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest

from responsibility_catalog import (
    Catalog,
    CatalogImmutable,
    Status,
    latest_published,
    select_in_force,
)

from .helpers import draft_with, make_matter


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2020, 4, 30), None),
        (date(2020, 5, 1), "2020-05"),
        (date(2021, 7, 1), "2020-05"),
        (date(2022, 6, 14), "2020-05"),
        (date(2022, 6, 15), "2022-06"),
        (date(2026, 1, 1), "2022-06"),
    ],
)
def test_the_version_in_force_follows_the_effective_dates(
    catalogs: tuple[Catalog, ...], day: date, label: str | None
) -> None:
    chosen = select_in_force(catalogs, day)
    assert (chosen.label if chosen else None) == label


def test_drafts_and_consultations_are_never_in_force(catalogs: tuple[Catalog, ...]) -> None:
    draft = dataclasses.replace(draft_with(make_matter()), effective=date(2024, 1, 1))
    consulting = draft.with_status(Status.CONSULTATION)
    chosen = select_in_force((*catalogs, draft, consulting), date(2025, 1, 1))
    assert chosen is not None and chosen.label == "2022-06"
    # A published version is among them
    assert latest_published((*catalogs, draft)).label == "2022-06"  # type: ignore[union-attr]


def test_lifecycle_moves_forward_only(published: Catalog) -> None:
    draft = draft_with(make_matter())
    consulting = draft.with_status("consultation")
    done = consulting.with_status("published", effective=date(2024, 7, 1))
    assert (done.status, done.effective) == (Status.PUBLISHED, date(2024, 7, 1))
    assert done.with_status("superseded").status is Status.SUPERSEDED
    with pytest.raises(CatalogImmutable, match="不能从“已公布”变为“草稿”"):
        published.with_status("draft")
    with pytest.raises(CatalogImmutable, match="公布前必须确定生效日期"):
        dataclasses.replace(draft, effective=None).with_status("published")


def test_published_versions_cannot_be_changed(published: Catalog) -> None:
    with pytest.raises(CatalogImmutable, match="已公布，不能修改"):
        published.revised(title="改过的标题")
    with pytest.raises(dataclasses.FrozenInstanceError):
        # The test shows the frozen dataclass refuses it
        published.title = "改过的标题"  # type: ignore[misc]
    draft = draft_with(make_matter())
    assert draft.revised(title="新标题").title == "新标题"


@pytest.mark.parametrize("label", ["2020-05", "2022-06"])
def test_dict_form_is_lossless_through_json(catalogs: tuple[Catalog, ...], label: str) -> None:
    catalog = next(c for c in catalogs if c.label == label)
    stored = json.loads(json.dumps(catalog.to_dict(), ensure_ascii=False))
    restored = Catalog.from_dict(stored)
    assert restored == catalog
    assert restored.content_hash == catalog.content_hash == stored["content_hash"]
    assert [m.source for m in restored.matters()] == [m.source for m in catalog.matters()]


def test_a_tampered_dict_form_is_rejected(published: Catalog) -> None:
    stored = published.to_dict()
    stored["domains"][0]["matters"][0]["rules"][0]["primary"] = "housing"
    with pytest.raises(ValueError, match="content hash mismatch"):
        Catalog.from_dict(stored)
    with pytest.raises(ValueError, match="unsupported catalog format"):
        Catalog.from_dict({**published.to_dict(), "format": 99})


def test_content_hash_ignores_label_and_status_but_not_content(
    launch: Catalog, published: Catalog
) -> None:
    assert launch.content_hash != published.content_hash
    relabelled = dataclasses.replace(published, label="copy", status=Status.DRAFT)
    assert relabelled.content_hash == published.content_hash
