"""The form of a task's stage, built from its whitelisted fields (``camunda:formData``).

A task whose required choice decides which other fields are required (sign-for: accept or
return; handling: reply, extension or listing) is shown as one small form per choice, each
with only the fields that choice needs plus the common ones. What the person typed and the
engine's per-field messages are kept next to the inputs when the form comes back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from engine.core import FormField, TaskMeta

PHOTO_FIELD = "reply_photos"

CHOICE_LABELS: dict[tuple[str, str], str] = {
    ("decision", "accept"): "签收",
    ("decision", "return"): "退回（不属于本单位职责）",
    ("outcome", "reply"): "答复办结",
    ("outcome", "extension"): "申请延期",
    ("outcome", "list"): "申请挂账督办",
    ("ruling", "reaffirm"): "维持原派单",
    ("ruling", "reroute"): "改派",
    ("ruling", "escalate"): "提请联席会商",
}
SUBMIT_LABELS: dict[tuple[str, str], str] = {
    ("decision", "accept"): "确认签收",
    ("decision", "return"): "确认退回",
    ("outcome", "reply"): "提交答复",
    ("outcome", "extension"): "提交延期申请",
    ("outcome", "list"): "提交挂账申请",
}
CHOICE_HINTS: dict[tuple[str, str], str] = {
    ("decision", "return"): "退回须写明理由，并注明所依据的清单事项；调度中心将对照清单裁定。",
    ("outcome", "extension"): "延期须经调度中心批准；批准前仍按原时限计算。",
    ("outcome", "list"): "确需长期整改的事项可申请挂账督办，批准后按月报告整改进展。",
}
# Fields offered suggestions from the catalog: the matters, or the units.
SUGGESTIONS = {"return_basis": "matters", "proposed_primary": "units"}
SHORT_TEXT = {"return_basis", "proposed_primary"}


@dataclass
class FieldView:
    id: str
    label: str
    widget: str  # textarea, text, date, select, checkbox, photos
    required: bool
    note: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    suggestions: str | None = None
    value: Any = ""
    error: str | None = None


@dataclass
class Variant:
    """One form on the page: a choice of the task's switch field, or the whole task."""

    key: str
    title: str
    hint: str
    submit_label: str
    hidden: dict[str, str]
    fields: list[FieldView]
    open: bool = False

    @property
    def has_errors(self) -> bool:
        return any(f.error for f in self.fields)


def choice_label(field_id: str, value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return CHOICE_LABELS.get((field_id, str(value)), str(value))


def _switch_field(meta: TaskMeta) -> FormField | None:
    """The required choice other fields depend on, if the task has one."""
    dependents = {f.required_if[0] for f in meta.form_fields if f.required_if}
    for spec in meta.form_fields:
        if spec.type == "enum" and spec.required and spec.id in dependents:
            return spec
    return None


def _widget(spec: FormField) -> str:
    if spec.id == PHOTO_FIELD:
        return "photos"
    if spec.type == "enum":
        return "select"
    if spec.type == "boolean":
        return "checkbox"
    if spec.type == "date":
        return "date"
    if spec.type == "long" or spec.id in SHORT_TEXT:
        return "text"
    return "textarea"


def _field_view(
    spec: FormField, meta: TaskMeta, values: MultiDict, errors: dict[str, str], *, in_variant: bool
) -> FieldView:
    required, note = spec.required, ""
    if spec.required_if:
        other, expected = spec.required_if
        if in_variant:
            required = True
        else:
            others = {f.id: f for f in meta.form_fields}
            label = others[other].label if other in others else other
            note = f"“{label}”为“{choice_label(other, expected)}”时必填"
    value: Any = values.get(spec.id, "")
    if spec.type == "boolean":
        value = "true" in values.getlist(spec.id)
    return FieldView(
        id=spec.id,
        label=spec.label,
        widget=_widget(spec),
        required=required,
        note=note,
        choices=[(v, choice_label(spec.id, v)) for v in spec.enum],
        suggestions=SUGGESTIONS.get(spec.id),
        value=value,
        error=errors.get(spec.id),
    )


def build_variants(
    meta: TaskMeta,
    values: MultiDict | None = None,
    errors: dict[str, str] | None = None,
    *,
    unavailable: frozenset[str] = frozenset(),
) -> list[Variant]:
    """The forms to show for a task, with submitted ``values`` and ``errors`` filled in.

    :param unavailable: choices not offered now (an extension when none is left).
    """
    values = values if values is not None else MultiDict()
    errors = errors or {}
    switch = _switch_field(meta)
    if switch is None:
        fields = [_field_view(f, meta, values, errors, in_variant=False) for f in meta.form_fields]
        return [Variant("", meta.title, "", "提交", {}, fields, open=True)]
    chosen = values.get(switch.id)
    variants = []
    options = [o for o in switch.enum if o not in unavailable]
    for index, option in enumerate(options):
        fields = [
            _field_view(
                f, meta, values if option == chosen else MultiDict(), errors, in_variant=True
            )
            for f in meta.form_fields
            if f.id != switch.id and (f.required_if is None or f.required_if == (switch.id, option))
        ]
        if option != chosen:
            for view in fields:
                view.error = None
        key = (switch.id, option)
        variants.append(
            Variant(
                key=option,
                title=CHOICE_LABELS.get(key, option),
                hint=CHOICE_HINTS.get(key, ""),
                submit_label=SUBMIT_LABELS.get(key, "提交"),
                hidden={switch.id: option},
                fields=fields,
                open=option == chosen if chosen in options else index == 0,
            )
        )
    return variants


def collect(meta: TaskMeta, submitted: MultiDict) -> dict[str, Any]:
    """The whitelisted, non-empty values of a submitted form (photos are added by the view).

    Keys the task does not list are dropped here; the engine checks types and requirements.
    A checkbox that was shown (its hidden twin was sent) but left unticked counts as false.
    """
    form: dict[str, Any] = {}
    for spec in meta.form_fields:
        if spec.id == PHOTO_FIELD:
            continue
        sent = [v for v in submitted.getlist(spec.id) if v is not None]
        if spec.type == "boolean":
            if sent:
                form[spec.id] = "true" in sent
            continue
        value = sent[-1].strip() if sent else ""
        if value:
            form[spec.id] = value
    return form
