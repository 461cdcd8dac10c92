"""Where to go after signing in: only a path on this site, never another host."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit


def _looks_local(text: str) -> bool:
    return (
        text.startswith("/")
        and not text.startswith("//")
        and "\\" not in text
        # Controls and spaces: browsers drop tabs and newlines, so "/\t/evil" is "//evil".
        and not any(unicodedata.category(ch)[0] in "CZ" for ch in text)
    )


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a local absolute path, otherwise ``None``.

    Browsers repair what they are given before following a redirect: they drop tabs and
    newlines, read a backslash as a slash and may decode percent escapes, so the path is
    checked as sent and decoded (``/%09/evil``, ``/%5Cevil``); the query string is checked
    only as sent, since nothing in it can name another host.
    """
    if not target or not _looks_local(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not _looks_local(unquote(parts.path)):
        return None
    return target
