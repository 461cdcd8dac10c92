"""Fixtures for the simulator: the shipped catalogs and the arrival model's inputs."""

from __future__ import annotations

import pytest

from simulation.arrivals import matter_universe


@pytest.fixture(scope="session")
def organisation(shipped_catalogs):
    return shipped_catalogs[0].organisation


@pytest.fixture(scope="session")
def matters(shipped_catalogs):
    return matter_universe(list(shipped_catalogs))
