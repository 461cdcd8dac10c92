"""Open311 GeoReport v2: API clients and their keys, submissions, request queries."""

# Checking a client's api_key (reads are rate-limited per client).
from engine.open311.key_check import ApiClientRecord, check_api_key  # noqa: E402

__all__ = ["ApiClientRecord", "check_api_key"]

# The administrator's keys, the client a key names, the details a request keeps, and the
# requests as Open311 reads them.
from engine.open311.desk import Open311Desk, SubmissionDetails, submission_keeper  # noqa: E402
from engine.open311.keys import ClientRejected  # noqa: E402
from engine.open311.queries import (  # noqa: E402
    RequestRecord,
    RequestUpdate,
    by_codes,
    search,
    updates,
)

__all__ += [
    "ClientRejected",
    "Open311Desk",
    "RequestRecord",
    "RequestUpdate",
    "SubmissionDetails",
    "by_codes",
    "search",
    "submission_keeper",
    "updates",
]
