"""Fitting suggestion models in the background (engine.intake.models): one fit per model
however many requests ask, nobody waits longer than they said, a failed fit is not retried by
every request."""

from __future__ import annotations

import threading
from collections import OrderedDict

import pytest

from engine.intake import models
from responsibility_catalog.loader import load_catalog, shipped_data_path


@pytest.fixture
def cold(monkeypatch):
    """A process that has fitted nothing yet."""
    monkeypatch.setattr(models, "_CACHE", OrderedDict())
    monkeypatch.setattr(models, "_FITTING", {})
    monkeypatch.setattr(models, "_FAILED", {})


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(shipped_data_path(), "2022-06")


def test_many_callers_share_one_fit_and_none_waits_longer_than_asked(cold, catalog, monkeypatch):
    release = threading.Event()
    fits: list[str] = []
    real = models.shipped_model

    def slow(c):
        fits.append(c.label)
        release.wait(60)
        return real(c)

    monkeypatch.setattr(models, "shipped_model", slow)
    assert models.shipped_ready(catalog, wait=0) is None
    assert models.shipped_ready(catalog, wait=0.05) is None  # waited, still fitting
    release.set()
    model = models.shipped_ready(catalog, wait=None)
    assert model is not None and model.label == "shipped"
    assert models.shipped_ready(catalog, wait=0) is model  # cached from now on
    assert fits == ["2022-06"]


def test_a_failed_fit_is_not_retried_by_every_request(cold, catalog, monkeypatch):
    attempts: list[int] = []
    real = models.shipped_model

    def broken(_c):
        attempts.append(1)
        raise MemoryError("no room for the weights")

    monkeypatch.setattr(models, "shipped_model", broken)
    assert models.shipped_ready(catalog, wait=None) is None
    for _ in range(5):
        assert models.shipped_ready(catalog, wait=None) is None
    assert attempts == [1]
    # After the pause the next request tries once more (and here succeeds).
    monkeypatch.setattr(models, "RETRY_FAILED_FIT_S", 0.0)
    monkeypatch.setattr(models, "shipped_model", real)
    assert models.shipped_ready(catalog, wait=None) is not None
