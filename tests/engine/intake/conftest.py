"""The complaint desk of the lifecycle tests: labels come from real complaint instances."""

from tests.engine.complaints.conftest import desk  # noqa: F401
