"""The OpenAPI 3 document of /api (checked against the routes by tests)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from web.api.requests import (
    DEFAULT_LIMIT,
    MAX_ID,
    MAX_LIMIT,
    CloseBody,
    ComplaintQuery,
    RatingBody,
    ReportBody,
)
from web.idempotency import OPENAPI_PARAMETER as IDEMPOTENCY_KEY

_ERROR = {"$ref": "#/components/schemas/Error"}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "输入有误（errors 给出字段级原因；任何文本含空字符 \\u0000 或孤立代理项均拒收）",
        401: "未登录",
        403: "无权操作",
        404: "不存在",
        409: "任务已被他人办理或操作已不可用",
        422: "Idempotency-Key 已用于另一份内容不同的请求",
        429: "手机号尝试次数过多，请拨打 12345 热线核实身份",
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


_ID = {"type": "integer", "format": "int32", "minimum": 1, "maximum": MAX_ID}
COMPLAINT_ID = {
    "name": "complaint_id",
    "in": "path",
    "required": True,
    "description": f"编号为 1 到 {MAX_ID} 的整数，超出范围按不存在处理（404）",
    "schema": _ID,
}
TASK_ID = {"name": "task_id", "in": "path", "required": True, "schema": {"type": "string"}}


def _oas30(schema: Any) -> Any:
    """pydantic's JSON Schema (2020-12) in OpenAPI 3.0 terms: ``X | None`` is ``nullable``
    (3.0 has no "null" type), and no generated titles."""
    if isinstance(schema, list):
        return [_oas30(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {
        key: ({n: _oas30(p) for n, p in value.items()} if key == "properties" else _oas30(value))
        for key, value in schema.items()
        if key not in ("title", "anyOf")
    }
    options = [option for option in schema.get("anyOf", []) if option != {"type": "null"}]
    if len(options) == 1:
        out |= _oas30(options[0]) | {"nullable": True}
    elif options:
        out["anyOf"] = _oas30(options)
    return out


def request_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The document's schema of a request body is its pydantic model's: one schema."""
    schema = _oas30(model.model_json_schema())
    schema.pop("description", None)  # the docstring is for developers
    return schema


def query_parameters(model: type[BaseModel], **descriptions: str) -> list[dict[str, Any]]:
    """One query parameter per field of the model (absent means the default)."""
    schema = request_schema(model)
    parameters = []
    for name, field in schema["properties"].items():
        field = {k: v for k, v in field.items() if k != "nullable"}
        if field.get("default", "") is None:
            del field["default"]
        parameter = {"name": name, "in": "query", "schema": field}
        if name in descriptions:
            parameter["description"] = descriptions[name]
        parameters.append(parameter)
    return parameters


def _rating_input() -> dict[str, Any]:
    schema = request_schema(RatingBody)
    # The callback's own check names the choices (web/report/callback.py).
    schema["required"] = ["phone", "satisfaction"]
    schema["properties"]["satisfaction"] = {
        "type": "string",
        "enum": ["satisfied", "basic", "unsatisfied"],
    }
    schema["properties"]["phone"]["description"] = "反映问题时留下的手机号"
    return schema


def openapi_document(server: str) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "巨好办 API",
            "version": "1.0",
            "description": (
                "诉求受理、任务办理与查询。登录后的写操作须带 X-CSRF-Token 头（见 /api/session）。"
                "时间一律按本县时间（北京时间）书写并带 +08:00 偏移，例如"
                " 2026-10-09T16:00:00+08:00：与 UTC 表示同一时刻，但字符串中的日期就是本县的"
                "日期（工作日、时限按本县日历计算）。单位以 id 给出，并在 *_name 字段中附单位名称。"
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
                    "parameters": [IDEMPOTENCY_KEY],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("ReportInput")}},
                    },
                    "responses": _ok(_ref("Submitted"), "201", "已受理") | _errors(400, 403, 422),
                },
                "get": {
                    "summary": "我可见的诉求",
                    "parameters": query_parameters(
                        ComplaintQuery,
                        limit=f"最多返回条数，1 到 {MAX_LIMIT} 条（上限），默认 {DEFAULT_LIMIT} 条",
                    ),
                    "responses": _ok(_list_of("Complaint", "complaints")) | _errors(400, 401),
                },
            },
            "/api/complaints/{complaint_id}": {
                "get": {
                    "summary": "诉求详情（派单依据、环节、审计记录）",
                    "parameters": [COMPLAINT_ID],
                    "responses": _ok(_ref("ComplaintDetail")) | _errors(400, 401, 403, 404),
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
                    "responses": _ok(_ref("Complaint")) | _errors(400, 401, 403, 404, 409),
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
                    "responses": _ok(_ref("PublicComplaint")) | _errors(400, 404),
                }
            },
            "/api/track/{code}/rate": {
                "post": {
                    "summary": "匿名反映人凭留下的手机号评价答复（回访）",
                    "parameters": [
                        {
                            "name": "code",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("RatingInput")}},
                    },
                    "responses": _ok(_ref("PublicComplaint")) | _errors(400, 403, 404, 409, 429),
                }
            },
            "/api/tasks": {
                "get": {
                    "summary": "我的待办任务",
                    "responses": _ok(_list_of("Task", "tasks")) | _errors(400, 401),
                }
            },
            "/api/tasks/{task_id}": {
                "get": {
                    "summary": "任务及其可提交的表单字段",
                    "parameters": [TASK_ID],
                    "responses": _ok(_ref("TaskDetail")) | _errors(400, 401, 403, 404),
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
                    "responses": _ok(_list_of("Notification", "notifications")) | _errors(400, 401),
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }


_S, _I, _B = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
_NS = {"type": "string", "nullable": True}


_TS = {
    "type": "string",
    "format": "date-time",
    "nullable": True,
    "description": "本县时间，带 +08:00 偏移",
}
_STRINGS = {"type": "array", "items": _S}
_DEADLINE = {
    "type": "object",
    "properties": {"due": _TS, "remind_at": _TS, "provisional": _B},
}

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
    "ReportInput": request_schema(ReportBody)
    | {
        "example": {
            "village_id": "xiguocheng-002",
            "matter_id": "D07-07",
            "description": "村东头路面塌陷，自来水管破裂",
            "reporter_phone": "13800001234",
        }
    },
    "CloseInput": request_schema(CloseBody),
    "PublicComplaint": {
        "type": "object",
        "properties": {
            "tracking_code": _S,
            "stage": _S,
            "stage_label": _S,
            "status": _S,
            "matter": _NS,
            "primary_unit": _NS,
            "primary_unit_name": {"type": "string", "nullable": True},
            "received_at": _TS,
            "reply": _NS,
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
                    "instance_id": {"type": "integer", "nullable": True},
                    "channel": _S,
                    "matter_id": _NS,
                    "township_id": _S,
                    "village_id": _S,
                    "grid_id": _NS,
                    "description": _S,
                    "supporting_units": _STRINGS,
                    "supporting_unit_names": _STRINGS,
                    "catalog_version": _NS,
                    "sign_for_due": _TS,
                    "handle_due": _TS,
                    "due_provisional": _B,
                    "overdue": _B,
                    "return_count": _I,
                    "extension_count": _I,
                    "reopen_count": _I,
                    "satisfaction": _NS,
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
                    "routing_explanation": _NS,
                    "tasks": {"type": "array", "items": _ref("CaseTask")},
                    "deadlines": {
                        "type": "object",
                        "description": (
                            "已排定的各环节时限及提醒时间，键为环节：jurisdiction（确定管辖）、"
                            "contested（争议裁定）、consultation（联席会商陈述意见）、"
                            "sign_for（签收）、handle（办理）、callback（回访）"
                        ),
                        "additionalProperties": _DEADLINE,
                    },
                    "stages": {"type": "array", "items": _ref("Stage")},
                    "timeline": {"type": "array", "items": _ref("TimelineEntry")},
                },
            },
        ]
    },
    "RatingInput": _rating_input(),
    "CaseTask": {
        "type": "object",
        "properties": {
            "id": _S,
            "task_name": _S,
            "title": _S,
            "candidate_groups": _STRINGS,
            "candidate_group_names": _STRINGS,
            "assignee": {"type": "string", "nullable": True},
            "created_at": _TS,
            "due_at": _TS,
            "complaint_id": _I,
            "tracking_code": _S,
        },
    },
    "Stage": {
        "type": "object",
        "properties": {
            "stage": _S,
            "task_id": _S,
            "unit": {"type": "string", "nullable": True},
            "unit_name": {"type": "string", "nullable": True},
            "started_at": _TS,
            "due_at": _TS,
            "ended_at": _TS,
            "outcome": {"type": "string", "nullable": True},
            "on_time": {"type": "boolean", "nullable": True},
        },
    },
    "TimelineEntry": {
        "type": "object",
        "properties": {
            "at": _TS,
            "actor": _S,
            "actor_label": {"type": "string", "description": "办理人姓名、单位名称或系统说明"},
            "action": _S,
            "task": {"type": "string", "nullable": True},
            "detail": {"type": "object"},
        },
    },
    "Task": {
        "type": "object",
        "properties": {
            "id": _S,
            "instance_id": _I,
            "complaint_id": {"type": "integer", "nullable": True},
            "tracking_code": {"type": "string", "nullable": True},
            "case_title": {"type": "string", "nullable": True},
            "task_name": _S,
            "title": _S,
            "lane": _S,
            "candidate_groups": _STRINGS,
            "candidate_group_names": _STRINGS,
            "assignee": _NS,
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
            "complaint_id": {"type": "integer", "nullable": True},
            "tracking_code": {"type": "string", "nullable": True},
            "case_title": {"type": "string", "nullable": True},
        },
    },
}
