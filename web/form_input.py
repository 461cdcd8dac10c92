"""Numbers a page reads from its query string or form: a ``page`` and row ids.

Forms and links carry text; a 30-digit id or page would overflow the database driver (500)
and ``int("abc")`` raises, so both are read here and anything else is "no such row".
"""

from __future__ import annotations

import re

from flask import request

from web.api.requests import MAX_ID

# Far beyond any real list, and small enough that page × rows stays an offset every database
# takes.
MAX_PAGE = 100_000

_DIGITS = re.compile(r"[0-9]{1,12}")


def page_number() -> int:
    """``?page=N``: 1 when missing or not a number, at most :data:`MAX_PAGE`."""
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)


def row_id(text: str | None) -> int | None:
    """A row id from a form field or query string, or None when the text is not one (empty,
    not plain digits, 0 or beyond :data:`~web.api.requests.MAX_ID`): no row has such an id."""
    if text is None or not _DIGITS.fullmatch(text.strip()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None
