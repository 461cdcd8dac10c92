"""The text of a stored instance state: the registry's dict written and read as JSON.

Every step writes its whole instance (ADR 0002), so the encoder is on the step's path:
orjson writes the same JSON values as the standard library's ``json`` about three times
faster and reads them twice as fast (ADR 0023, update 2). The values stay the standard
library's: dates, datetimes and dataclasses go to the registry's encoder as before (orjson
would write them as bare strings, and they would come back as strings); what orjson
refuses — an integer beyond 64 bits, a string with a lone surrogate — is left to ``json``,
which writes it or raises as it always did. Texts written before (``json.dumps``, which
also wrote ``NaN``) are read by ``json`` when orjson refuses them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import orjson

_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


def encode(dct: dict[str, Any], encoder: json.JSONEncoder) -> str:
    """``dct`` as JSON text; objects JSON has no type for go to ``encoder.default``."""
    default: Callable[[Any], Any] = encoder.default
    try:
        return orjson.dumps(dct, default=default, option=_OPTIONS).decode()
    except TypeError:  # orjson.JSONEncodeError: what only the standard library writes
        return encoder.encode(dct)


def decode(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)  # NaN and the like from older texts, or the usual error
