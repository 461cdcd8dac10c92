"""Open311 GeoReport v2: API clients and their keys, submissions, request queries."""

# Checking a client's api_key (reads are rate-limited per client).
from engine.open311.key_check import ApiClientRecord, check_api_key  # noqa: E402

__all__ = ["ApiClientRecord", "check_api_key"]
