"""Keyword search of matters, for the report page ("垃圾", "路灯", or a whole sentence)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from responsibility_catalog import Catalog


@dataclass(frozen=True)
class MatterHit:
    matter_id: str
    name: str
    domain: str
    score: int
    matched: tuple[str, ...]


@dataclass(frozen=True)
class _Entry:
    matter_id: str
    name: str
    domain: str
    words: tuple[str, ...]


_INDEX: OrderedDict[tuple[str, str], tuple[_Entry, ...]] = OrderedDict()
CACHED_INDEXES = 16


def _index(catalog: Catalog) -> tuple[_Entry, ...]:
    key = (catalog.label, catalog.content_hash)
    entries = _INDEX.get(key)
    if entries is None:
        entries = tuple(
            _Entry(m.id, m.name, d.name, tuple(dict.fromkeys((m.name, *m.keywords))))
            for d in catalog.domains
            for m in d.matters
        )
        _INDEX[key] = entries
        while len(_INDEX) > CACHED_INDEXES:
            _INDEX.popitem(last=False)
    return entries


def search_matters(catalog: Catalog, query: str, *, limit: int = 10) -> list[MatterHit]:
    """Matters whose name or keywords match ``query``, best first, at most ``limit``.

    A word equal to the query scores 3, a word containing the query 2, a word contained in
    the query (the query is a sentence such as "村口垃圾点满了") 1 per word. Ties keep list order.
    """
    query = "".join(query.split())
    if not query:
        return []
    hits: list[tuple[int, int, MatterHit]] = []
    for order, entry in enumerate(_index(catalog)):
        score = 0
        matched: list[str] = []
        for word in entry.words:
            if word == query:
                points = 3
            elif query in word:
                points = 2
            elif len(word) >= 2 and word in query:
                points = 1
            else:
                continue
            score += points
            matched.append(word)
        if score:
            hit = MatterHit(entry.matter_id, entry.name, entry.domain, score, tuple(matched))
            hits.append((-score, order, hit))
    hits.sort(key=lambda h: (h[0], h[1]))
    return [h[2] for h in hits[:limit]]
