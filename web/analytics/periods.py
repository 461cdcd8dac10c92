"""The period a page is about, from the query string (``period=2026-03`` or ``from``/``to``)."""

from __future__ import annotations

from flask import abort, request

from analytics import Period, PeriodInvalid, parse_key
from analytics.periods import (
    between,
    current_half_year,
    last_complete_half_year,
    last_complete_month,
    local_date,
    month,
)


def requested_period(now, default: Period | None = None) -> Period:
    first, last = request.args.get("from"), request.args.get("to")
    try:
        if first and last:
            return between(first, last)
        if key := request.args.get("period"):
            return parse_key(key)
    except PeriodInvalid as err:
        abort(400, description=str(err))
    return default or last_complete_month(now)


def presets(now) -> list[tuple[str, str]]:
    """The periods a leader picks most: this and last month, this and last half-year."""
    today = local_date(now)
    this_month = month(today.year, today.month)
    options = [
        (this_month.key, f"本月（{this_month.label}）"),
        (last_complete_month(now).key, f"上月（{last_complete_month(now).label}）"),
        (current_half_year(now).key, current_half_year(now).label),
        (last_complete_half_year(now).key, last_complete_half_year(now).label),
    ]
    return options
