"""Keyword search of matters for the report page."""

from __future__ import annotations

import pytest

from responsibility_catalog import Catalog
from rules import search_matters


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("路灯", "D09-01"),
        ("垃圾点", "D05-01"),
        ("井盖", "D09-02"),
        ("低保", "D11-01"),
        ("金银花", "D10-02"),
        ("占道经营", "D04-01"),
        ("我家门口的井盖丢了", "D09-02"),
    ],
)
def test_best_match_comes_first(published: Catalog, query: str, first: str) -> None:
    assert search_matters(published, query)[0].matter_id == first


def test_a_common_word_finds_every_matter_that_mentions_it(published: Catalog) -> None:
    hits = search_matters(published, "垃圾", limit=50)
    ids = [h.matter_id for h in hits]
    assert {"D05-01", "D04-05", "D16-01"} <= set(ids)
    assert all("垃圾" in h.name or any("垃圾" in w for w in h.matched) for h in hits)


def test_nothing_matches_an_unrelated_or_empty_query(published: Catalog) -> None:
    assert search_matters(published, "  ") == []
    assert search_matters(published, "量子计算机") == []


def test_limit_is_respected(published: Catalog) -> None:
    assert len(search_matters(published, "垃圾", limit=2)) == 2
