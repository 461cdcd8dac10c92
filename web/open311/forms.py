"""The plain fields of an Open311 POST (who reports, how to reach them, what they wrote) as one
pydantic model: each is refused by name when too long or malformed, instead of being cut short
or stored as sent. Location, service code and attributes have their own checks (locations.py,
requests_write.py), which depend on the catalog in force."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from werkzeug.datastructures import MultiDict

from engine import FieldErrors
from engine.complaints import MAX_DESCRIPTION
from web.api.requests import parse
from web.open311.formats import Open311Error

EMAIL = r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$"
URL = r"^https?://\S{3,2040}$"
HINTS = {"media_url": "应为 http 或 https 开头的网址", "email": "格式不正确"}


def _blank_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


def _optional(max_length: int, pattern: str | None = None):
    return Annotated[
        Annotated[str, Field(max_length=max_length, pattern=pattern)] | None,
        BeforeValidator(_blank_is_none),
    ]


class SubmitterFields(BaseModel):
    """Limits are the columns' widths (the name joins last and first name into 64)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)

    description: Annotated[str, Field(max_length=MAX_DESCRIPTION)] = ""
    media_url: _optional(2048, URL) = None
    email: _optional(254, EMAIL) = None
    first_name: _optional(32) = None
    last_name: _optional(32) = None
    phone: _optional(32) = None
    address_string: _optional(500) = None
    device_id: _optional(128) = None
    account_id: _optional(128) = None

    @property
    def reporter_name(self) -> str | None:
        return ((self.last_name or "") + (self.first_name or "")) or None


def submitter_fields(form: MultiDict[str, str]) -> SubmitterFields:
    """:raises Open311Error: 400 naming each bad field (the spec's error format)."""
    sent = {name: form.get(name, "") for name in SubmitterFields.model_fields}
    try:
        return parse(SubmitterFields, sent, HINTS)
    except FieldErrors as err:
        raise Open311Error(400, str(err)) from None
