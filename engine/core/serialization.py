"""One serialization registry for workflow state and parsed specs.

Instances are stored without their spec: the parsed spec of a definition version is stored
once (``process_definition.spec_json``) and handed back in when an instance is restored.
Every stored payload carries :data:`STATE_FORMAT`; :data:`MIGRATIONS` upgrades older ones.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter,
    WorkflowConverter,
)
from SpiffWorkflow.bpmn.serializer.helpers.registry import DefaultRegistry
from SpiffWorkflow.bpmn.serializer.migration.version_migration import (
    MIGRATIONS as SPIFF_MIGRATIONS,
)
from SpiffWorkflow.bpmn.specs import BpmnProcessSpec
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import Task

from engine.core import state_text
from engine.core.errors import EngineError
from engine.core.settled_tasks import SettledTaskConverter

STATE_FORMAT = 1
FORMAT_KEY = "juhaoban_format"

# format -> function upgrading a payload dict in place to format + 1 (none needed yet).
MIGRATIONS: dict[int, Callable[[dict[str, Any]], None]] = {}


class UnsupportedStateFormat(EngineError, ValueError):
    """A stored payload this code cannot read (written by a newer release, or damaged).

    An :class:`EngineError`, so a person acting on such an instance gets the message, not a
    server error; the timer sweep turns it into an incident like any failed firing."""


class SpecLessWorkflowConverter(BpmnWorkflowConverter):
    """Writes a workflow without its spec; restores it onto a spec supplied by the caller."""

    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct: dict[str, Any] = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(
        self,
        dct: dict[str, Any],
        spec: BpmnProcessSpec | None = None,
        subprocess_specs: dict[str, BpmnProcessSpec] | None = None,
    ) -> BpmnWorkflow:
        if spec is None:
            raise ValueError("a spec-less workflow payload needs its spec to be restored")
        from uuid import UUID

        workflow = self.target_class(spec, subprocess_specs or {}, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _register_extra_types(registry: DefaultRegistry) -> None:
    registry.register(
        date, lambda d: {"value": d.isoformat()}, lambda dct: date.fromisoformat(dct["value"])
    )
    registry.register(
        Decimal, lambda d: {"value": str(d)}, lambda dct: Decimal(dct["value"]), "Decimal"
    )


def _build_registry(*, keep_settled: bool) -> DefaultRegistry:
    registry = DefaultRegistry()
    _register_extra_types(registry)
    config = dict(SPIFF_CONFIG)
    config[BpmnWorkflow] = SpecLessWorkflowConverter
    if keep_settled:
        config[Task] = SettledTaskConverter
    return BpmnWorkflowSerializer.configure(config, registry)


class StateSerializer:
    """Serializes instances (spec-less) and specs through one registry.

    :param keep_settled: reuse finished tasks' converted form between saves of the same
        workflow object (:mod:`engine.core.settled_tasks`); the text written is the same.
    """

    def __init__(self, *, keep_settled: bool = True) -> None:
        self._serializer = BpmnWorkflowSerializer(_build_registry(keep_settled=keep_settled))
        self.registry = self._serializer.registry
        # The standard library's encoder with the registry's types: orjson's fallback, and
        # what the stored text's values are checked against (tests/engine/test_state_text.py).
        self.encoder = self._serializer._encoder_cls(ensure_ascii=False)

    def state_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        """What is stored for ``workflow``, before it becomes text."""
        self.registry._encoder_mode = True
        try:
            dct: dict[str, Any] = self.registry.convert(workflow)
        finally:
            self.registry._encoder_mode = False
        dct[self._serializer.VERSION_KEY] = self._serializer.VERSION
        dct[FORMAT_KEY] = STATE_FORMAT
        return dct

    def dump_workflow(self, workflow: BpmnWorkflow) -> str:
        return state_text.encode(self.state_dict(workflow), self.encoder)

    def load_workflow(
        self,
        payload: str,
        spec: BpmnProcessSpec,
        subprocess_specs: dict[str, BpmnProcessSpec],
    ) -> BpmnWorkflow:
        dct = state_text.decode(payload)
        _upgrade(dct)
        self._check_spiff_version(dct)
        self._serializer.migrate(dct)  # SpiffWorkflow's own migrations for older versions
        return self.registry.restore(dct, spec=spec, subprocess_specs=subprocess_specs)

    def _check_spiff_version(self, dct: dict[str, Any]) -> None:
        """SpiffWorkflow migrates the versions it knows and silently passes any other one:
        a payload from a newer SpiffWorkflow would be misread, so it is refused by name."""
        version = dct.get(self._serializer.VERSION_KEY)
        known = [*SPIFF_MIGRATIONS, self._serializer.VERSION]
        if version not in known:
            raise UnsupportedStateFormat(
                f"流程实例的存储格式（SpiffWorkflow 序列化版本 {version!r}）不是本程序认识的版本"
                f"（认识 {'、'.join(known)}）：它可能由更新版本的程序写入。"
                "请安装与写入它的程序相同或更新的版本，不要降级"
            )

    def dump_specs(
        self, spec: BpmnProcessSpec, subprocess_specs: dict[str, BpmnProcessSpec]
    ) -> str:
        dct = {
            FORMAT_KEY: STATE_FORMAT,
            "spec": self.registry.convert(spec),
            "subprocess_specs": {k: self.registry.convert(v) for k, v in subprocess_specs.items()},
        }
        return json.dumps(dct, ensure_ascii=False)

    def load_specs(self, payload: str) -> tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]:
        dct = json.loads(payload)
        _upgrade(dct)
        spec = self.registry.restore(dct["spec"])
        subs = {k: self.registry.restore(v) for k, v in dct["subprocess_specs"].items()}
        return spec, subs


def _upgrade(dct: dict[str, Any]) -> None:
    version = dct.pop(FORMAT_KEY, None)
    if not isinstance(version, int) or version > STATE_FORMAT:
        raise UnsupportedStateFormat(f"stored state has unknown format {version!r}")
    while version < STATE_FORMAT:
        MIGRATIONS[version](dct)
        version += 1
