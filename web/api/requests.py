"""What the JSON API accepts: one pydantic model per request (body or query string), and the
one check of every text a request carries, so bad input is a 400 naming the field (in the
API's error format) before anything reaches the engine or the database.

The models check shapes and types; the engine still checks meaning (does the village exist,
is the matter in the catalog in force) and names the field the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, ValidationError
from werkzeug.routing import IntegerConverter, Map

from engine import FieldErrors
from engine.complaints import MAX_DESCRIPTION, MAX_REPORTER_NAME, text_problem

# Ids are INTEGER columns: signed 32-bit on PostgreSQL (64-bit on SQLite). A larger one would
# overflow the database or its driver, so it is no id at all.
MAX_ID = 2**31 - 1
MAX_LIMIT = 500
DEFAULT_LIMIT = 50
MAX_REASON = 2000

_INTEGER = re.compile(r"-?[0-9]{1,30}")
Model = TypeVar("Model", bound=BaseModel)


class RowIdConverter(IntegerConverter):
    """``<rowid:name>``: a positive id that fits the id columns on every database (at most
    :data:`MAX_ID`); anything else is not a route (404) rather than an overflow (500)."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


def _digits_to_int(value: object) -> object:
    """Query strings carry text: accept plain decimal digits only (not ``1e3``, ``1.0``,
    ``+5`` or ``5_0``, which Python's ``int`` would take)."""
    if isinstance(value, str) and _INTEGER.fullmatch(value):
        return int(value)
    return value


class _Strict(BaseModel):
    # strict: a list is not a string, "north" is not a number, 1 is not true.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]


class ReportBody(_Strict):
    """POST /api/complaints."""

    channel: Literal["app", "grid", "hotline", "web"] = "app"
    village_id: Annotated[str, Field(max_length=64)]
    description: Annotated[str, Field(max_length=MAX_DESCRIPTION)]
    matter_id: Annotated[str, Field(max_length=32)] | None = None
    grid_id: Annotated[str, Field(max_length=64)] | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    reporter_name: Annotated[str, Field(max_length=MAX_REPORTER_NAME)] | None = None
    reporter_phone: Annotated[str, Field(max_length=32)] | None = None
    consent: bool = False


class CloseBody(_Strict):
    """POST /api/complaints/{id}/close."""

    kind: Literal["merged", "invalid"]
    reason: Annotated[str, Field(max_length=MAX_REASON)]
    merged_into: Id | None = None


class RatingBody(_Strict):
    """POST /api/track/{code}/rate (the callback checks the rating's values)."""

    phone: Annotated[str, Field(max_length=32)]
    # Optional here so a wrong phone is answered first (403), as on the HTML page.
    satisfaction: Annotated[str, Field(max_length=16)] | None = None
    callback_comment: Annotated[str, Field(max_length=500)] | None = None


class ComplaintQuery(BaseModel):
    """GET /api/complaints?status=&stage=&limit=."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    status: Literal["open", "closed"] | None = None
    stage: Annotated[str, Field(max_length=24)] | None = None
    limit: Annotated[int, Strict(), Field(ge=1, le=MAX_LIMIT), BeforeValidator(_digits_to_int)] = (
        DEFAULT_LIMIT
    )


def _reason(error: Mapping[str, Any], hints: Mapping[str, str]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        return hints.get(_field_name(error["loc"]), "格式不正确")
    reasons = {
        "missing": "必填",
        "extra_forbidden": "不接受此字段",
        "string_type": "应为字符串",
        "int_type": "应为整数",
        "int_parsing": "应为整数",
        "int_from_float": "应为整数",
        "float_type": "应为数字",
        "float_parsing": "应为数字",
        "finite_number": "应为有限的数",
        "bool_type": "应为 true 或 false",
        "dict_type": "应为 JSON 对象",
        "model_type": "应为 JSON 对象",
    }
    if kind in reasons:
        return reasons[kind]
    if kind == "greater_than_equal":
        return f"不能小于 {_plain(ctx['ge'])}"
    if kind == "less_than_equal":
        return f"不能大于 {_plain(ctx['le'])}"
    if kind == "string_too_long":
        return f"不能超过 {ctx['max_length']} 字"
    if kind == "literal_error":
        expected = str(ctx["expected"]).replace("'", "").replace(" or ", ", ")
        return "应为 " + "、".join(expected.split(", ")) + " 之一"
    return "格式不正确"


def _plain(number: float) -> str:
    """90.0 → 90, 2147483647 → 2147483647 (not 2.14748e+09)."""
    return str(int(number)) if float(number).is_integer() else str(number)


def _field_name(loc: tuple[int | str, ...]) -> str:
    # Union members add their own label to the location ("str", "constrained-str" ...).
    parts = [str(p) for p in loc if not (isinstance(p, str) and "[" in p or p in _TYPE_LABELS)]
    return ".".join(parts) or "请求体"


_TYPE_LABELS = {"str", "int", "float", "bool", "constrained-str", "function-before[...]"}


def parse(model: type[Model], data: object, hints: Mapping[str, str] | None = None) -> Model:
    """``data`` as ``model``, or :class:`FieldErrors` (400, field → reason in Chinese).

    :param hints: what a field's pattern means, in words (field → reason).
    """
    if not isinstance(data, dict):
        raise FieldErrors({"请求体": "应为 JSON 对象"}, "请求体有误：")
    try:
        return model.model_validate(data)
    except ValidationError as err:
        errors: dict[str, str] = {}
        for error in err.errors(include_url=False, include_input=False):
            errors.setdefault(_field_name(error["loc"]), _reason(error, hints or {}))
        raise FieldErrors(errors) from None


def text_problems(value: object, name: str = "") -> Iterator[tuple[str, str]]:
    """(field, reason) for every string in ``value`` (a JSON value, keys included) that the
    shared text rule refuses; nested fields are named ``outer.inner`` / ``list[0]``."""
    if isinstance(value, str):
        if (problem := text_problem(value)) is not None:
            yield name or "请求体", problem
    elif isinstance(value, dict):
        for key, inner in value.items():
            key_text = str(key)
            if (problem := text_problem(key_text)) is not None:
                yield (f"{name}." if name else "") + "字段名", problem
                continue
            yield from text_problems(inner, f"{name}.{key_text}" if name else key_text)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from text_problems(inner, f"{name}[{index}]")
