"""Schemas written from the GeoReport v2 specification (http://wiki.open311.org/GeoReport_v2):
JSON Schema for the JSON bodies, and the element structure of the XML bodies."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from jsonschema import Draft202012Validator

W3C = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
STRING = {"type": "string"}
OPTIONAL_STRING = {"type": ["string", "null"]}
OPTIONAL_W3C = {"type": ["string", "null"], "pattern": W3C}

ERRORS = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "additionalProperties": False,
        "properties": {"code": {"type": "string", "pattern": r"^\d{3}$"}, "description": STRING},
    },
}
DISCOVERY = {
    "type": "object",
    "required": ["changeset", "contact", "key_service", "endpoints"],
    "properties": {
        "changeset": {"type": "string", "pattern": W3C},
        "endpoints": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["specification", "url", "changeset", "type", "formats"],
                "properties": {
                    "type": {"enum": ["production", "test"]},
                    "formats": {
                        "type": "array",
                        "items": {"enum": ["text/xml", "application/json"]},
                    },
                },
            },
        },
    },
}
SERVICES = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["service_code", "service_name", "metadata", "type"],
        "additionalProperties": False,
        "properties": {
            "service_code": STRING,
            "service_name": STRING,
            "description": STRING,
            "metadata": {"type": "boolean"},
            "type": {"enum": ["realtime", "batch", "blackbox"]},
            "keywords": STRING,
            "group": STRING,
        },
    },
}
SERVICE_DEFINITION = {
    "type": "object",
    "required": ["service_code", "attributes"],
    "properties": {
        "service_code": STRING,
        "attributes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["variable", "code", "datatype", "required", "order", "description"],
                "properties": {
                    "variable": {"type": "boolean"},
                    "code": STRING,
                    "datatype": {
                        "enum": [
                            "string",
                            "number",
                            "datetime",
                            "text",
                            "singlevaluelist",
                            "multivaluelist",
                        ]
                    },
                    "required": {"type": "boolean"},
                    "datatype_description": OPTIONAL_STRING,
                    "order": {"type": "integer", "minimum": 1},
                    "description": STRING,
                    "values": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["key", "name"],
                            "properties": {"key": STRING, "name": STRING},
                        },
                    },
                },
            },
        },
    },
}
CREATED = {
    "type": "array",
    "minItems": 1,
    "maxItems": 1,
    "items": {
        "type": "object",
        "required": ["service_request_id"],
        "properties": {
            "service_request_id": STRING,
            "service_notice": OPTIONAL_STRING,
            "account_id": OPTIONAL_STRING,
        },
    },
}
REQUEST_FIELDS = {
    "service_request_id": STRING,
    "status": {"enum": ["open", "closed"]},
    "status_notes": OPTIONAL_STRING,
    "service_name": OPTIONAL_STRING,
    "service_code": OPTIONAL_STRING,
    "description": OPTIONAL_STRING,
    "agency_responsible": OPTIONAL_STRING,
    "service_notice": OPTIONAL_STRING,
    "requested_datetime": {"type": "string", "pattern": W3C},
    "updated_datetime": OPTIONAL_W3C,
    "expected_datetime": OPTIONAL_W3C,
    "address": OPTIONAL_STRING,
    "address_id": OPTIONAL_STRING,
    "zipcode": OPTIONAL_STRING,
    "lat": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
    "long": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
    "media_url": OPTIONAL_STRING,
}
REQUESTS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["service_request_id", "status", "requested_datetime"],
        "properties": {
            **REQUEST_FIELDS,
            "extended_attributes": {"type": "object"},
            "notes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["datetime", "summary"],
                    "properties": {"datetime": {"type": "string", "pattern": W3C}},
                },
            },
        },
        "additionalProperties": False,
    },
}
UPDATES = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["update_id", "service_request_id", "status", "updated_datetime"],
        "additionalProperties": False,
        "properties": {
            "update_id": STRING,
            "service_request_id": STRING,
            "status": {"enum": ["open", "closed"]},
            "updated_datetime": {"type": "string", "pattern": W3C},
            "description": OPTIONAL_STRING,
            "media_url": OPTIONAL_STRING,
        },
    },
}


def check_json(schema: dict, body: object) -> None:
    errors = sorted(Draft202012Validator(schema).iter_errors(body), key=str)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


# XML: root → member → allowed children (required ones listed first, count in REQUIRED).
XML = {
    "services": (
        "service",
        set(SERVICES["items"]["properties"]),
        {"service_code", "service_name", "metadata", "type"},
    ),
    "service_requests": (
        "request",
        set(REQUEST_FIELDS) | {"extended_attributes", "notes", "account_id"},
        {"service_request_id"},
    ),
    "service_request_updates": (
        "request_update",
        set(UPDATES["items"]["properties"]),
        {"update_id", "service_request_id", "status", "updated_datetime"},
    ),
    "errors": ("error", {"code", "description"}, {"code", "description"}),
}


def check_xml(body: bytes, root: str) -> ElementTree.Element:
    """The document's root, member elements and their children are those the spec names;
    text is never a Python repr (``None``, ``True``)."""
    assert body.startswith(b"<?xml"), body[:80]
    element = ElementTree.fromstring(body)
    assert element.tag == root, (element.tag, root)
    for node in element.iter():
        assert node.text not in ("None", "True", "False"), ElementTree.tostring(node)
    if root in XML:
        member, allowed, required = XML[root]
        for item in element:
            assert item.tag == member, (item.tag, member)
            children = {child.tag for child in item}
            assert children <= allowed, children - allowed
            assert required <= children, required - children
            for child in item:
                if (
                    child.tag in ("requested_datetime", "updated_datetime", "expected_datetime")
                    and child.text
                ):
                    assert re.match(W3C, child.text), child.text
    elif root == "service_definition":
        assert element.find("service_code") is not None and element.find("attributes") is not None
        for attribute in element.find("attributes"):
            assert attribute.tag == "attribute"
            for name in ("variable", "code", "datatype", "required", "order", "description"):
                assert attribute.find(name) is not None, name
    elif root == "discovery":
        assert {c.tag for c in element} >= {"changeset", "contact", "key_service", "endpoints"}
        for endpoint in element.find("endpoints"):
            assert endpoint.tag == "endpoint"
            assert [f.text for f in endpoint.find("formats")] == ["text/xml", "application/json"]
    return element
