"""OpenAPI 3 description of the GeoReport v2 endpoints (served at /open311/v2/openapi.json,
used by the schemathesis fuzz run in CI)."""

from __future__ import annotations

from typing import Any

from web.idempotency import OPENAPI_PARAMETER as IDEMPOTENCY_KEY
from web.open311.forms import SubmitterFields
from web.open311.requests_read import EARLIEST, LATEST, MAX_CODES

FORMAT = {"name": "fmt", "in": "path", "required": True, "schema": {"enum": ["json", "xml"]}}
JURISDICTION = {"name": "jurisdiction_id", "in": "query", "schema": {"type": "string"}}
ERRORS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
    },
}
# OpenAPI 3.0 spells "or null" as nullable (type lists are 3.1).
NULLABLE_STRING = {"type": "string", "nullable": True}
REQUEST = {
    "type": "object",
    "required": ["service_request_id", "status", "requested_datetime"],
    "properties": {
        "service_request_id": {"type": "string"},
        "status": {"enum": ["open", "closed"]},
        "status_notes": NULLABLE_STRING,
        "service_name": NULLABLE_STRING,
        "service_code": NULLABLE_STRING,
        "agency_responsible": NULLABLE_STRING,
        "service_notice": NULLABLE_STRING,
        "requested_datetime": {"type": "string", "format": "date-time"},
        "updated_datetime": {"type": "string", "format": "date-time", "nullable": True},
        "expected_datetime": {"type": "string", "format": "date-time", "nullable": True},
        "address": NULLABLE_STRING,
        "address_id": NULLABLE_STRING,
        "zipcode": NULLABLE_STRING,
        "lat": {"type": "number", "nullable": True},
        "long": {"type": "number", "nullable": True},
        "media_url": NULLABLE_STRING,
    },
}


# Every call may answer: 400 (a parameter is wrong, or any text carries a NUL or a lone
# surrogate), 404 (no such address or jurisdiction), 429 (rate limit; see docs/adr/0014).
COMMON_ERRORS = ("400", "404", "429")


def submitter_properties() -> dict[str, Any]:
    """The submitter's fields with the limits web.open311.forms enforces, from its model
    (checked after trimming surrounding blanks; a blank field counts as not sent)."""
    properties: dict[str, Any] = {}
    for name, schema in SubmitterFields.model_json_schema()["properties"].items():
        string = next(
            (s for s in schema.get("anyOf", [schema]) if s.get("type") == "string"), schema
        )
        properties[name] = {"type": "string", "maxLength": string["maxLength"]}
        if name in FORMATS:
            properties[name]["description"] = FORMATS[name]
    return properties


FORMATS = {"media_url": "照片等附件的网址，http 或 https 开头", "email": "电子邮箱地址"}


def _responses(ok: dict[str, Any], *codes: str) -> dict[str, Any]:
    codes = tuple(sorted(set(codes) | set(COMMON_ERRORS)))
    responses: dict[str, Any] = {
        "200": {
            "description": "OK",
            "content": {"application/json": {"schema": ok}, "text/xml": {}},
        }
    }
    for code in codes:
        responses[code] = {
            "description": "Error",
            "content": {"application/json": {"schema": ERRORS}, "text/xml": {}},
        }
    return responses


def document() -> dict[str, Any]:
    date_range = [
        {
            "name": name,
            "in": "query",
            "description": f"W3C 日期时间，{EARLIEST.year}–{LATEST.year - 1} 年之间；"
            "起止相隔不超过 90 天",
            "schema": {"type": "string"},
        }
        for name in ("start_date", "end_date")
    ]
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "巨好办 Open311 GeoReport v2",
            "version": "2.0",
            "description": "GeoReport v2 (http://wiki.open311.org/GeoReport_v2); errors as "
            "[{code, description}]; ids and codes are strings; datetimes are W3C with offset.",
        },
        "servers": [{"url": "/open311/v2"}],
        "paths": {
            "/discovery.{fmt}": {
                "get": {"parameters": [FORMAT], "responses": _responses({"type": "object"})}
            },
            "/services.{fmt}": {
                "get": {
                    "parameters": [FORMAT, JURISDICTION],
                    "responses": _responses({"type": "array"}, "404"),
                }
            },
            "/services/{service_code}.{fmt}": {
                "get": {
                    "parameters": [
                        {
                            "name": "service_code",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "pattern": "^[^/.]+$"},
                        },
                        FORMAT,
                        JURISDICTION,
                    ],
                    "responses": _responses({"type": "object"}, "404"),
                }
            },
            "/requests.{fmt}": {
                "get": {
                    "parameters": [
                        FORMAT,
                        JURISDICTION,
                        {
                            "name": "service_request_id",
                            "in": "query",
                            "description": f"逗号分隔，一次最多 {MAX_CODES} 个",
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "service_code",
                            "in": "query",
                            "description": f"逗号分隔，一次最多 {MAX_CODES} 个",
                            "schema": {"type": "string"},
                        },
                        {"name": "status", "in": "query", "schema": {"type": "string"}},
                        {"name": "extensions", "in": "query", "schema": {"type": "string"}},
                        *date_range,
                    ],
                    "responses": _responses({"type": "array", "items": REQUEST}, "400", "404"),
                },
                "post": {
                    "parameters": [FORMAT, IDEMPOTENCY_KEY],
                    "requestBody": {
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "type": "object",
                                    "required": ["api_key", "service_code"],
                                    "example": {
                                        "api_key": "jhb_…",
                                        "service_code": "D07-07",
                                        "address_id": "xiguocheng-002",
                                        "description": "村东头路面塌陷，自来水管破裂",
                                    },
                                    "properties": {
                                        name: {"type": "string"}
                                        for name in (
                                            "api_key",
                                            "jurisdiction_id",
                                            "service_code",
                                            "lat",
                                            "long",
                                            "address_id",
                                        )
                                    }
                                    | submitter_properties(),
                                }
                            }
                        }
                    },
                    "responses": _responses({"type": "array"}, "400", "403", "404", "422", "429"),
                },
            },
            "/requests/{service_request_id}.{fmt}": {
                "get": {
                    "parameters": [
                        {
                            "name": "service_request_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "pattern": "^[^/.]+$"},
                        },
                        FORMAT,
                        JURISDICTION,
                        {"name": "extensions", "in": "query", "schema": {"type": "string"}},
                    ],
                    "responses": _responses({"type": "array", "items": REQUEST}, "404"),
                }
            },
            "/servicerequestupdates.{fmt}": {
                "get": {
                    "parameters": [FORMAT, JURISDICTION, *date_range],
                    "responses": _responses({"type": "array"}, "400"),
                }
            },
        },
    }
