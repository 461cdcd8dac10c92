"""Read models: the suggestion model the platform uses for a county, and suggestions with it.

A county model version is stored as the labelled texts it was trained on; it is re-fitted in
memory on first use (one to three seconds) and kept per (version's examples digest, catalog),
so the suggestions of every page come from the same fitted model until a newer version is
stored.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from engine.intake.tables import IntakeModel
from responsibility_catalog import Catalog
from rules.suggest import LabelledText, Suggestion, SuggestionModel, suggest_matters, train_model

CACHED_MODELS = 4
_CACHE: OrderedDict[tuple[str, str, str], SuggestionModel] = OrderedDict()
# Held while fitting, so concurrent first requests wait for one fit instead of each fitting.
_LOCK = threading.Lock()


def model_label(version: int) -> str:
    return f"county-{version}"


def as_labelled(examples: Iterable[Any]) -> list[LabelledText]:
    """Stored ``[[text, matter_id], …]`` as training texts (malformed entries skipped)."""
    return [
        LabelledText(str(e[0]), str(e[1]))
        for e in examples
        if isinstance(e, list | tuple) and len(e) == 2 and e[0] and e[1]
    ]


def examples_digest(examples: list[list[str]]) -> str:
    encoded = json.dumps(examples, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def latest_version(county: str, *, session: Session) -> int | None:
    return session.scalar(select(func.max(IntakeModel.version)).where(IntakeModel.county == county))


def _key(digest: str, catalog: Catalog) -> tuple[str, str, str]:
    return (digest, catalog.label, catalog.content_hash)


def remember(digest: str, catalog: Catalog, model: SuggestionModel) -> None:
    """Keep a model just trained for a stored version (training has fitted it already)."""
    with _LOCK:
        _CACHE[_key(digest, catalog)] = model
        _trim()


def _trim() -> None:
    while len(_CACHE) > CACHED_MODELS:
        _CACHE.popitem(last=False)


def suggestion_model(county: str, catalog: Catalog, session: Session) -> SuggestionModel | None:
    """The county's latest model version fitted for ``catalog``; None when the county has
    none yet (callers then use the shipped model)."""
    latest = session.execute(
        select(IntakeModel.version, IntakeModel.examples_digest)
        .where(IntakeModel.county == county)
        .order_by(IntakeModel.version.desc())
        .limit(1)
    ).first()
    if latest is None:
        return None
    version, digest = latest
    key = _key(digest, catalog)
    with _LOCK:
        model = _CACHE.get(key)
        if model is not None:
            _CACHE.move_to_end(key)
            return model
        # The examples are read only on a miss: they are the bulk of the row.
        examples = session.scalar(
            select(IntakeModel.examples).where(
                IntakeModel.county == county, IntakeModel.version == version
            )
        )
        model = train_model(catalog, as_labelled(examples or ()), label=model_label(version))
        _CACHE[key] = model
        _trim()
        return model


def suggestions(
    text: str, *, county: str, catalog: Catalog, session: Session, limit: int = 10
) -> list[Suggestion]:
    """Matters ``text`` is most likely about, from the county's current model when it has
    one, else from the shipped one (what the report page and the dispatcher see)."""
    if not text or not text.strip():
        return []
    model = suggestion_model(county, catalog, session)
    return suggest_matters(catalog, text, limit=limit, model=model)


def suggest_for(
    session_factory: sessionmaker[Session],
    text: str,
    *,
    county: str,
    catalog: Catalog,
    limit: int = 10,
) -> list[Suggestion]:
    """:func:`suggestions` in its own read-only session (for web pages, which open none)."""
    with session_factory() as session:
        return suggestions(text, county=county, catalog=catalog, session=session, limit=limit)
