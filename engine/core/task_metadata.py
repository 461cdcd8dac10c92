"""What the engine needs to know about each human task beyond SpiffWorkflow's spec.

Designers set these in bpmn-js with the Camunda properties provider (see
``shared/notes/browser.md``), so the contract is the camunda namespace:
``camunda:formData/camunda:formField`` lists the only fields a task may submit,
``camunda:candidateGroups`` and ``camunda:assignee`` say who may do it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from engine.core.lint import BPMN, CAMUNDA, NS


@dataclass(frozen=True, slots=True)
class FormField:
    id: str
    label: str
    type: str = "string"
    required: bool = False
    enum: tuple[str, ...] = ()
    # (other field, value): this field is required when the other field has that value.
    required_if: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class TaskMeta:
    """Per-task metadata: title, whitelisted form fields and assignment expressions.

    ``candidate_groups`` and ``assignee`` are either literals (``dispatcher``, ``unit:cgj``,
    comma-separated) or, when they start with ``=``, restricted Python expressions evaluated
    on the task's data when it becomes ready (``=primary_unit``).
    """

    name: str
    title: str
    form_fields: tuple[FormField, ...] = field(default_factory=tuple)
    candidate_groups: str | None = None
    assignee: str | None = None

    @property
    def field_ids(self) -> frozenset[str]:
        return frozenset(f.id for f in self.form_fields)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "form_fields": [
                {
                    "id": f.id,
                    "label": f.label,
                    "type": f.type,
                    "required": f.required,
                    "enum": list(f.enum),
                    "required_if": list(f.required_if) if f.required_if else None,
                }
                for f in self.form_fields
            ],
            "candidate_groups": self.candidate_groups,
            "assignee": self.assignee,
        }

    @classmethod
    def from_dict(cls, dct: dict[str, Any]) -> TaskMeta:
        return cls(
            name=dct["name"],
            title=dct["title"],
            form_fields=tuple(
                FormField(
                    f["id"],
                    f["label"],
                    f["type"],
                    f["required"],
                    tuple(f["enum"]),
                    tuple(f["required_if"]) if f.get("required_if") else None,
                )
                for f in dct["form_fields"]
            ),
            candidate_groups=dct["candidate_groups"],
            assignee=dct["assignee"],
        )


def _form_field(node: etree._Element) -> FormField:
    constraints = node.findall("camunda:validation/camunda:constraint", NS)
    required = any(c.get("name") == "required" for c in constraints)
    required_if = None
    for constraint in constraints:
        config = constraint.get("config") or ""
        if constraint.get("name") == "required_if" and "=" in config:
            other, value = config.split("=", 1)
            required_if = (other.strip(), value.strip())
    enum = tuple(v.get("id", "") for v in node.iterfind("camunda:value", NS))
    return FormField(
        id=node.get("id", ""),
        label=node.get("label") or node.get("id", ""),
        type=node.get("type") or "string",
        required=required,
        enum=enum,
        required_if=required_if,
    )


def extract_task_metadata(root: etree._Element) -> dict[str, TaskMeta]:
    """Read the metadata of every user and manual task in the document, keyed by element id."""
    metas: dict[str, TaskMeta] = {}
    for tag in ("userTask", "manualTask"):
        for task in root.iter(f"{{{BPMN}}}{tag}"):
            fields = tuple(
                _form_field(node)
                for node in task.iterfind(
                    "bpmn:extensionElements/camunda:formData/camunda:formField", NS
                )
            )
            metas[task.get("id")] = TaskMeta(
                name=task.get("id"),
                title=task.get("name") or task.get("id"),
                form_fields=fields,
                candidate_groups=task.get(f"{{{CAMUNDA}}}candidateGroups"),
                assignee=task.get(f"{{{CAMUNDA}}}assignee"),
            )
    return metas
