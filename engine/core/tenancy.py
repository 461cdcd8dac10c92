"""Tenancy: every row belongs to a county, so one deployment can serve a whole city."""

from __future__ import annotations

DEFAULT_COUNTY = "julu"
