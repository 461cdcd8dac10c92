"""Open311 GeoReport v2: API clients and their keys, submissions, request queries."""
