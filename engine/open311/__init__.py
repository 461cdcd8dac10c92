"""Open311 GeoReport v2: API clients and their keys, submissions, request queries."""

from engine.open311.desk import Open311Desk, SubmissionDetails, submission_keeper
from engine.open311.key_check import ApiClientRecord, check_api_key
from engine.open311.keys import ClientRejected
from engine.open311.queries import RequestRecord, RequestUpdate, by_codes, search, updates

__all__ = [
    "ApiClientRecord",
    "ClientRejected",
    "Open311Desk",
    "RequestRecord",
    "RequestUpdate",
    "SubmissionDetails",
    "by_codes",
    "check_api_key",
    "search",
    "submission_keeper",
    "updates",
]
