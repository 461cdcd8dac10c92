"""JSON request bodies are parsed so that no body can break the request.

The standard library's parser raises ``RecursionError`` (not ``ValueError``) on a body of
100,000 nested brackets, which Flask does not treat as bad input: a 500. It also accepts
``NaN`` and ``Infinity``, which are not JSON and would pass a number check as coordinates.
Both become the ``ValueError`` Flask answers (or silences) as an unreadable body.
"""

from __future__ import annotations

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} 不是合法的 JSON 数值")


class BoundedJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        kwargs.setdefault("parse_constant", _refuse_constant)
        try:
            return json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON 嵌套层数过多") from None
