"""Read models: the suggestion model the platform uses for a county, and suggestions with it.

A county model version is stored as the labelled texts it was trained on; it is re-fitted in
memory on first use and kept per (version's examples digest, catalog), so the suggestions of
every page come from the same fitted model until a newer version is stored.

Fitting takes 5–25 s on two busy cores (docs/BENCHMARKS.md), so it never happens under a lock
other requests need, and a page need not wait for it: :func:`ready_model` starts the fit in a
background thread and waits at most ``wait`` seconds, answering with the shipped model
meanwhile when that one is fitted, or :class:`ModelNotReady`. Processes that serve pages warm
both models when they start (:func:`warm`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.intake.tables import IntakeModel, newest
from responsibility_catalog import Catalog
from rules.suggest import (
    LabelledText,
    Suggestion,
    SuggestionModel,
    shipped_model,
    suggest_matters,
    train_model,
)

log = logging.getLogger(__name__)

CACHED_MODELS = 4
SHIPPED = "shipped"  # the digest slot of the shipped model's cache key
_CACHE: OrderedDict[tuple[str, str, str], SuggestionModel] = OrderedDict()
# Guards the cache and the set of fits in progress; never held while fitting.
_LOCK = threading.Lock()
_FITTING: dict[tuple[str, str, str], threading.Event] = {}
# A fit that failed (out of memory, a damaged version) is not tried again by every request:
# for this long the pages show no suggestion, then the next request tries once more.
RETRY_FAILED_FIT_S = 300.0
_FAILED: dict[tuple[str, str, str], float] = {}
# The newest county model fitted per (county, catalog): while a newer version is being fitted
# (after the nightly job), pages keep the county's previous one rather than the shipped one.
_LAST_FITTED: dict[tuple[str, str, str], SuggestionModel] = {}


class ModelNotReady(Exception):
    """No model for this catalog is fitted yet; one is being fitted in the background."""


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


def _key(digest: str, catalog: Catalog) -> tuple[str, str, str]:
    return (digest, catalog.label, catalog.content_hash)


def remember(digest: str, catalog: Catalog, model: SuggestionModel, *, county: str) -> None:
    """Keep a model just trained for a stored version (training has fitted it already)."""
    with _LOCK:
        _CACHE[_key(digest, catalog)] = model
        _LAST_FITTED[_county_key(county, catalog)] = model
        _trim()


def _county_key(county: str, catalog: Catalog) -> tuple[str, str, str]:
    return (county, catalog.label, catalog.content_hash)


def _trim() -> None:
    while len(_CACHE) > CACHED_MODELS:
        _CACHE.popitem(last=False)


def _fitted(
    key: tuple[str, str, str],
    make_fit: Callable[[], Callable[[], SuggestionModel]],
    wait: float | None,
) -> SuggestionModel | None:
    """The cached model for ``key``; on a miss one background fit starts (a second caller
    joins it) and the caller waits ``wait`` seconds for it (None: as long as it takes).
    ``make_fit`` prepares the fit in the caller's thread (it may read the database) and is
    called only when no fit of ``key`` is running."""
    with _LOCK:
        model = _CACHE.get(key)
        if model is not None:
            _CACHE.move_to_end(key)
            return model
        done = _FITTING.get(key)
        failed_at = _FAILED.get(key)
    recently_failed = failed_at is not None and time.monotonic() - failed_at < RETRY_FAILED_FIT_S
    if done is None and recently_failed:
        return None
    if done is None:
        fit = make_fit()
        with _LOCK:
            if (model := _CACHE.get(key)) is not None:
                return model
            done = _FITTING.get(key)
            if done is None:  # still nobody fitting it: this caller starts the fit
                done = _FITTING[key] = threading.Event()
                worker = threading.Thread(
                    target=_fit_into_cache, args=(key, fit, done), name="fit-suggestions"
                )
                worker.daemon = True  # a process that stops need not finish a fit
                worker.start()
    if wait is not None and wait <= 0:
        return None
    done.wait(wait)
    with _LOCK:
        return _CACHE.get(key)


def _fit_into_cache(
    key: tuple[str, str, str], fit: Callable[[], SuggestionModel], done: threading.Event
) -> None:
    try:
        model = fit()
    except Exception:  # pages fall back to the full list; tried again after a pause
        log.exception("fitting the suggestion model %s failed", key[0][:12])
        with _LOCK:
            _FAILED[key] = time.monotonic()
    else:
        with _LOCK:
            _CACHE[key] = model
            _FAILED.pop(key, None)
            _trim()
    finally:
        with _LOCK:
            _FITTING.pop(key, None)
        done.set()


def _latest(county: str, session: Session) -> tuple[int, str] | None:
    row = session.execute(newest(county, IntakeModel.version, IntakeModel.examples_digest)).first()
    return None if row is None else (row[0], row[1])


def _county_fit(
    county: str, version: int, catalog: Catalog, session: Session
) -> Callable[[], SuggestionModel]:
    # The examples are read here, in the caller's session, and only on a miss: they are the
    # bulk of the row, and the background thread has no session of its own.
    examples = session.scalar(
        select(IntakeModel.examples).where(
            IntakeModel.county == county, IntakeModel.version == version
        )
    )
    texts = as_labelled(examples or ())

    def fit() -> SuggestionModel:
        model = train_model(catalog, texts, label=model_label(version))
        with _LOCK:
            _LAST_FITTED[_county_key(county, catalog)] = model
        return model

    return fit


def suggestion_model(
    county: str, catalog: Catalog, session: Session, *, wait: float | None = None
) -> SuggestionModel | None:
    """The county's latest model version fitted for ``catalog``; None when the county has
    none yet (callers then use the shipped model). With ``wait``, while the latest is still
    being fitted after that many seconds: the county's previous version fitted in this
    process, or None."""
    latest = _latest(county, session)
    if latest is None:
        return None
    version, digest = latest
    model = _fitted(
        _key(digest, catalog), lambda: _county_fit(county, version, catalog, session), wait
    )
    if model is None:
        with _LOCK:
            model = _LAST_FITTED.get(_county_key(county, catalog))
    return model


def shipped_ready(catalog: Catalog, *, wait: float | None = None) -> SuggestionModel | None:
    """The shipped model for ``catalog``, or None while it is being fitted after ``wait``."""
    key = (SHIPPED, catalog.label, catalog.content_hash)
    return _fitted(key, lambda: lambda: shipped_model(catalog), wait)


def ready_model(
    county: str, catalog: Catalog, session: Session, *, wait: float | None = None
) -> SuggestionModel:
    """The model a page should suggest with now: the county's when fitted, else the shipped
    one when fitted (the county's keeps fitting in the background).

    :raises ModelNotReady: when neither is fitted after ``wait`` seconds.
    """
    county_model = suggestion_model(county, catalog, session, wait=wait)
    if county_model is not None:
        return county_model
    model = shipped_ready(catalog, wait=wait)
    if model is None:
        raise ModelNotReady(catalog.label)
    return model


def warm(session_factory: sessionmaker[Session], county: str, catalog: Catalog) -> None:
    """Start fitting the models a page will ask for, without waiting (process start)."""
    shipped_ready(catalog, wait=0)
    with session_factory() as session:
        suggestion_model(county, catalog, session, wait=0)


def suggestions(
    text: str,
    *,
    county: str,
    catalog: Catalog,
    session: Session,
    limit: int = 10,
    wait: float | None = None,
) -> list[Suggestion]:
    """Matters ``text`` is most likely about, from the county's current model when it has
    one, else from the shipped one (what the report page and the dispatcher see).

    :raises ModelNotReady: when no model is fitted after ``wait`` seconds.
    """
    if not text or not text.strip():
        return []
    model = ready_model(county, catalog, session, wait=wait)
    return suggest_matters(catalog, text, limit=limit, model=model)


def suggest_for(
    session_factory: sessionmaker[Session],
    text: str,
    *,
    county: str,
    catalog: Catalog,
    limit: int = 10,
    wait: float | None = None,
) -> list[Suggestion]:
    """:func:`suggestions` in its own read-only session (for web pages, which open none)."""
    with session_factory() as session:
        return suggestions(
            text, county=county, catalog=catalog, session=session, limit=limit, wait=wait
        )
