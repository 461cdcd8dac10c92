"""Reads of the workflow core for pages and tools: each takes the host, opens its own read
session and returns frozen dataclasses, so a caller never holds a database row. Like the rest
of the core they know no domain."""

from engine.core.read_models.definitions import (
    DefinitionVersion,
    definition_version,
    definition_versions,
    version_usage,
)
from engine.core.read_models.drafts import DraftView, draft_view, open_drafts
from engine.core.read_models.instances import (
    InstanceRow,
    element_heat,
    instance_view,
    recent_instances,
)
from engine.core.read_models.overview import WorkflowTotals, workflow_totals
from engine.core.read_models.schema import SchemaState, database_revision, schema_state

__all__ = [
    "DefinitionVersion",
    "DraftView",
    "InstanceRow",
    "SchemaState",
    "WorkflowTotals",
    "database_revision",
    "definition_version",
    "definition_versions",
    "draft_view",
    "element_heat",
    "instance_view",
    "open_drafts",
    "recent_instances",
    "schema_state",
    "version_usage",
    "workflow_totals",
]
