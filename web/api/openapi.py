"""The OpenAPI 3 document of /api (checked against the routes by tests)."""

from __future__ import annotations

from typing import Any

_ERROR = {"$ref": "#/components/schemas/Error"}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "输入有误（errors 给出字段级原因）",
        401: "未登录",
        403: "无权操作",
        404: "不存在",
        409: "任务已被他人办理或操作已不可用",
    }
    return {
        str(c): {"description": text[c], "content": {"application/json": {"schema": _ERROR}}}
        for c in codes
    }


def _ok(schema: dict[str, Any], status: str = "200", description: str = "成功") -> dict[str, Any]:
    return {
        status: {"description": description, "content": {"application/json": {"schema": schema}}}
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _list_of(name: str, key: str) -> dict[str, Any]:
    return {"type": "object", "properties": {key: {"type": "array", "items": _ref(name)}}}


COMPLAINT_ID = {
    "name": "complaint_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
}
TASK_ID = {"name": "task_id", "in": "path", "required": True, "schema": {"type": "string"}}


def openapi_document(server: str) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "巨好办 API",
            "version": "1.0",
            "description": (
                "诉求受理、任务办理与查询。登录后的写操作须带 X-CSRF-Token 头（见 /api/session）。"
            ),
        },
        "servers": [{"url": server}],
        "paths": {
            "/api/openapi.json": {
                "get": {"summary": "本文档", "responses": _ok({"type": "object"})}
            },
            "/api/session": {
                "get": {"summary": "当前登录人和 CSRF 令牌", "responses": _ok(_ref("Session"))}
            },
            "/api/complaints": {
                "post": {
                    "summary": "反映诉求（受理后立即按清单派单）",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("ReportInput")}},
                    },
                    "responses": _ok(_ref("Submitted"), "201", "已受理") | _errors(400),
                },
                "get": {
                    "summary": "我可见的诉求",
                    "parameters": [
                        {
                            "name": "status",
                            "in": "query",
                            "schema": {"type": "string", "enum": ["open", "closed"]},
                        },
                        {"name": "stage", "in": "query", "schema": {"type": "string"}},
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "maximum": 500},
                        },
                    ],
                    "responses": _ok(_list_of("Complaint", "complaints")) | _errors(401),
                },
            },
            "/api/complaints/{complaint_id}": {
                "get": {
                    "summary": "诉求详情（派单依据、环节、审计记录）",
                    "parameters": [COMPLAINT_ID],
                    "responses": _ok(_ref("ComplaintDetail")) | _errors(401, 403, 404),
                }
            },
            "/api/complaints/{complaint_id}/close": {
                "post": {
                    "summary": "签收前合并或作废（调度员）",
                    "parameters": [COMPLAINT_ID],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("CloseInput")}},
                    },
                    "responses": _ok(_ref("Complaint")) | _errors(400, 401, 403, 409),
                }
            },
            "/api/track/{code}": {
                "get": {
                    "summary": "凭查询码查询进度（不含个人信息）",
                    "parameters": [
                        {
                            "name": "code",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": _ok(_ref("PublicComplaint")) | _errors(404),
                }
            },
            "/api/tasks": {
                "get": {
                    "summary": "我的待办任务",
                    "responses": _ok(_list_of("Task", "tasks")) | _errors(401),
                }
            },
            "/api/tasks/{task_id}": {
                "get": {
                    "summary": "任务及其可提交的表单字段",
                    "parameters": [TASK_ID],
                    "responses": _ok(_ref("TaskDetail")) | _errors(401, 403, 404),
                }
            },
            "/api/tasks/{task_id}/complete": {
                "post": {
                    "summary": "办理任务（只接受该任务表单中的字段）",
                    "parameters": [TASK_ID],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"type": "object", "additionalProperties": True}
                            }
                        },
                    },
                    "responses": _ok(_ref("Completed")) | _errors(400, 401, 403, 404, 409),
                }
            },
            "/api/notifications": {
                "get": {
                    "summary": "我的通知",
                    "responses": _ok(_list_of("Notification", "notifications")) | _errors(401),
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }


_S, _I, _B = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
_TS = {"type": "string", "format": "date-time", "nullable": True}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": _S,
            "message": _S,
            "errors": {"type": "object", "additionalProperties": _S, "description": "字段 → 原因"},
        },
    },
    "Session": {
        "type": "object",
        "properties": {"account": {"type": "object", "nullable": True}, "csrf_token": _S},
    },
    "ReportInput": {
        "type": "object",
        "required": ["village_id", "description"],
        "properties": {
            "channel": {"type": "string", "enum": ["app", "grid", "hotline", "web"]},
            "village_id": _S,
            "description": {"type": "string", "maxLength": 2000},
            "matter_id": {"type": "string", "nullable": True},
            "grid_id": _S,
            "latitude": {"type": "number"},
            "longitude": {"type": "number"},
            "reporter_name": _S,
            "reporter_phone": _S,
            "consent": _B,
        },
    },
    "CloseInput": {
        "type": "object",
        "required": ["kind", "reason"],
        "properties": {
            "kind": {"type": "string", "enum": ["merged", "invalid"]},
            "reason": _S,
            "merged_into": {"type": "integer", "nullable": True},
        },
    },
    "PublicComplaint": {
        "type": "object",
        "properties": {
            "tracking_code": _S,
            "stage": _S,
            "stage_label": _S,
            "status": _S,
            "matter": _S,
            "primary_unit": _S,
            "received_at": _TS,
            "reply": _S,
            "closed_at": _TS,
        },
    },
    "Submitted": {
        "allOf": [
            {"$ref": "#/components/schemas/PublicComplaint"},
            {
                "type": "object",
                "properties": {"id": _I, "duplicate_of": {"type": "integer", "nullable": True}},
            },
        ]
    },
    "Complaint": {
        "allOf": [
            {"$ref": "#/components/schemas/PublicComplaint"},
            {
                "type": "object",
                "properties": {
                    "id": _I,
                    "channel": _S,
                    "matter_id": _S,
                    "township_id": _S,
                    "village_id": _S,
                    "grid_id": _S,
                    "description": _S,
                    "supporting_units": {"type": "array", "items": _S},
                    "catalog_version": _S,
                    "sign_for_due": _TS,
                    "handle_due": _TS,
                    "due_provisional": _B,
                    "overdue": _B,
                    "return_count": _I,
                    "extension_count": _I,
                    "reopen_count": _I,
                    "satisfaction": _S,
                    "duplicate_of": {"type": "integer", "nullable": True},
                    "valid": _B,
                },
            },
        ]
    },
    "ComplaintDetail": {
        "allOf": [
            {"$ref": "#/components/schemas/Complaint"},
            {
                "type": "object",
                "properties": {
                    "routing_explanation": _S,
                    "stages": {"type": "array", "items": {"type": "object"}},
                    "timeline": {"type": "array", "items": {"type": "object"}},
                },
            },
        ]
    },
    "Task": {
        "type": "object",
        "properties": {
            "id": _S,
            "instance_id": _I,
            "task_name": _S,
            "title": _S,
            "lane": _S,
            "candidate_groups": {"type": "array", "items": _S},
            "assignee": _S,
            "state": _S,
            "created_at": _TS,
        },
    },
    "TaskDetail": {
        "allOf": [
            {"$ref": "#/components/schemas/Task"},
            {
                "type": "object",
                "properties": {"form_fields": {"type": "array", "items": {"type": "object"}}},
            },
        ]
    },
    "Completed": {
        "type": "object",
        "properties": {
            "instance_id": _I,
            "ready": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}},
        },
    },
    "Notification": {
        "type": "object",
        "properties": {
            "id": _I,
            "kind": _S,
            "title": _S,
            "created_at": _TS,
            "read": _B,
            "instance_id": _I,
        },
    },
}
