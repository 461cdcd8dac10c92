"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): services from the catalog in
force, requests that start the same lifecycle as the report page, status that follows it.

Machine clients authenticate POSTs with an API key (no cookies, so no CSRF token); errors
use the spec's ``errors`` format in JSON and XML. See docs/adr/0009-open311-georeport.md.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")

from web.open311 import (  # noqa: E402,F401
    admin,
    errors,
    requests_read,
    requests_write,
    sanity,
    services,
)
