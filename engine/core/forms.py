"""Check submitted form data against a task's whitelisted fields before it reaches the process.

Unvalidated keys would become script variables and could overwrite process data, so a form
with any unknown field, a missing required field or a value of the wrong type is rejected
whole (DESIGN.md invariant 9).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from engine.core.errors import FormRejected
from engine.core.task_metadata import FormField, TaskMeta

_MAX_TEXT = 20_000


def _json_safe(value: Any, depth: int = 0) -> bool:
    if depth > 5:
        return False
    if value is None or isinstance(value, bool | int | float):
        return True
    if isinstance(value, str):
        return len(value) <= _MAX_TEXT
    if isinstance(value, list):
        return len(value) <= 200 and all(_json_safe(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return len(value) <= 200 and all(
            isinstance(k, str) and _json_safe(v, depth + 1) for k, v in value.items()
        )
    return False


def _coerce(spec: FormField, value: Any) -> tuple[Any, str | None]:
    kind = spec.type
    if kind == "boolean":
        if isinstance(value, bool):
            return value, None
        if value in ("true", "false", "on", "1", "0"):
            return value in ("true", "on", "1"), None
        return None, "应为是/否"
    if kind == "long":
        if isinstance(value, bool):
            return None, "应为整数"
        try:
            return int(value), None
        except (TypeError, ValueError):
            return None, "应为整数"
    if kind == "date":
        try:
            return date.fromisoformat(str(value)).isoformat(), None
        except ValueError:
            return None, "应为日期（YYYY-MM-DD）"
    if kind == "enum":
        if value not in spec.enum:
            return None, f"只能是 {'、'.join(spec.enum)} 之一"
        return value, None
    if not _json_safe(value):
        return None, "值的类型或长度不被接受"
    return value, None


def _matches(value: Any, expected: str) -> bool:
    if isinstance(value, bool):
        return str(value).lower() == expected.lower()
    return value is not None and str(value) == expected


def validate_form(meta: TaskMeta | None, task_name: str, form: dict[str, Any]) -> dict[str, Any]:
    """Return the cleaned form, or raise :class:`FormRejected` listing every bad field."""
    fields = {f.id: f for f in (meta.form_fields if meta else ())}
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for key, value in form.items():
        spec = fields.get(key)
        if spec is None:
            errors[key] = "该任务不接受此字段"
            continue
        coerced, problem = _coerce(spec, value)
        if problem:
            errors[key] = problem
        else:
            cleaned[key] = coerced
    for spec in fields.values():
        if spec.id in errors or cleaned.get(spec.id) not in (None, "", []):
            continue
        if spec.required:
            errors[spec.id] = f"“{spec.label}”为必填项"
        elif spec.required_if and _matches(cleaned.get(spec.required_if[0]), spec.required_if[1]):
            other = fields.get(spec.required_if[0])
            other_label = other.label if other else spec.required_if[0]
            errors[spec.id] = f"“{other_label}”为“{spec.required_if[1]}”时，“{spec.label}”为必填项"
    if errors:
        raise FormRejected(task_name, errors)
    return cleaned
