from __future__ import annotations

import pytest

from responsibility_catalog import Catalog

from .helpers import shipped, version


@pytest.fixture(scope="session")
def catalogs() -> tuple[Catalog, ...]:
    return shipped()


@pytest.fixture(scope="session")
def launch() -> Catalog:
    """The 2020-05 version, in force from the platform's launch."""
    return version("2020-05")


@pytest.fixture(scope="session")
def published() -> Catalog:
    """The 2022-06 published list."""
    return version("2022-06")
