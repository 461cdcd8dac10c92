"""The two wire formats: JSON and XML, the same data; and the spec's error bodies."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from flask import Response, json

from rules import CHINA_TZ

# The element name of one member of each list, as the spec's XML examples name them.
_MEMBERS = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
    "notes": "note",
    "supporting_units": "unit",
    "errors": "error",
}
MIMETYPES = {"json": "application/json", "xml": "text/xml"}


class Open311Error(Exception):
    """An error the client sees in the spec's format."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def w3c(instant: datetime | None) -> str | None:
    """W3C datetime with the county's offset, e.g. 2026-03-02T08:00:00+08:00."""
    return instant.astimezone(CHINA_TZ).isoformat(timespec="seconds") if instant else None


# Characters XML 1.0 cannot carry at all, even escaped: a description with a stray control
# character (pasted from a phone app) must not make the whole document unreadable to a client.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else _NOT_XML.sub("\ufffd", str(value))


def _append(parent: ElementTree.Element, tag: str, value: Any) -> None:
    node = ElementTree.SubElement(parent, tag)
    if isinstance(value, Mapping):
        for key, inner in value.items():
            _append(node, key, inner)
    elif isinstance(value, list | tuple):
        member = _MEMBERS.get(tag, "item")
        for inner in value:
            _append(node, member, inner)
    else:
        node.text = _text(value)


def to_xml(root: str, member: str | None, data: Any) -> bytes:
    """``data`` is a list of dicts (each a ``member`` under ``root``) or one dict (``root``
    itself)."""
    element = ElementTree.Element(root)
    if member is None:
        for key, value in data.items():
            _append(element, key, value)
    else:
        for item in data:
            _append(element, member, item)
    body = ElementTree.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8")


def respond(fmt: str, root: str, member: str | None, data: Any, status: int = 200) -> Response:
    if fmt == "xml":
        body = to_xml(root, member, data)
    else:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Response(body, status=status, mimetype=MIMETYPES[fmt], content_type=None)


def error_response(fmt: str, status: int, descriptions: Sequence[str]) -> Response:
    errors = [{"code": str(status), "description": d} for d in descriptions]
    return respond(fmt, "errors", "error", errors, status)
