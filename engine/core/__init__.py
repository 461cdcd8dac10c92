"""The workflow core: definitions, instances, timers, scripting, serialization, the clock, the
runtime, persistence, audit and notifications. It knows no domain: nothing here imports
``engine.complaints`` or any other domain, shared service or the composition above it."""

from engine.core.clock import Clock, SystemClock, VirtualClock
from engine.core.config import EngineConfig
from engine.core.definition_diff import diff_definitions
from engine.core.definitions import MAX_DIAGRAM_BYTES, parse_definition
from engine.core.deploy_gate import DeployRefused, GateCheck, Rehearsal, deploy_gated
from engine.core.errors import (
    ConcurrentUpdate,
    DefinitionNotFound,
    EngineError,
    FieldErrors,
    FormRejected,
    InstanceNotFound,
    InstanceSuspended,
    NotPermitted,
    NotWaitingForMessage,
    OperatorActionRefused,
    TaskAlreadyCompleted,
    TaskNotFound,
)
from engine.core.evaluation_budget import Budget, BudgetExceeded
from engine.core.host import Deployment, TaskView, WorkflowHost, called_documents
from engine.core.incidents import STATUS_LABELS as INSTANCE_STATUS_LABELS
from engine.core.incidents import IncidentView
from engine.core.instance_migration import BlockedInstance, MigrationPlan, MigrationResult
from engine.core.instances import may_act
from engine.core.log_context import FIELDS as LOG_FIELDS
from engine.core.log_context import StepContextFilter
from engine.core.notification_inbox import (
    NotificationRecord,
    mark_notifications_read,
    notifications_for,
    unread_notifications,
)
from engine.core.operator_desk import OperatorDesk
from engine.core.problems import DefinitionInvalid, Problem
from engine.core.process_drafts import DraftClosed, DraftDesk, DraftNotFound
from engine.core.read_models import (
    DefinitionVersion,
    DraftView,
    InstanceRow,
    SchemaState,
    WorkflowTotals,
    database_revision,
    definition_version,
    definition_versions,
    draft_view,
    element_heat,
    instance_view,
    open_drafts,
    recent_instances,
    schema_state,
    version_usage,
    workflow_totals,
)
from engine.core.scripting import ScriptRejected
from engine.core.serialization import UnsupportedStateFormat
from engine.core.step_failures import StepFailed
from engine.core.task_metadata import FormField, TaskMeta
from engine.core.tenancy import DEFAULT_COUNTY
from engine.core.timers import SweepResult

__all__ = [
    "DEFAULT_COUNTY",
    "INSTANCE_STATUS_LABELS",
    "LOG_FIELDS",
    "MAX_DIAGRAM_BYTES",
    "BlockedInstance",
    "Budget",
    "BudgetExceeded",
    "Clock",
    "ConcurrentUpdate",
    "DefinitionInvalid",
    "DefinitionNotFound",
    "DefinitionVersion",
    "DeployRefused",
    "Deployment",
    "DraftClosed",
    "DraftDesk",
    "DraftNotFound",
    "DraftView",
    "EngineConfig",
    "EngineError",
    "FieldErrors",
    "FormField",
    "FormRejected",
    "GateCheck",
    "IncidentView",
    "InstanceNotFound",
    "InstanceRow",
    "InstanceSuspended",
    "MigrationPlan",
    "MigrationResult",
    "NotPermitted",
    "NotWaitingForMessage",
    "NotificationRecord",
    "OperatorActionRefused",
    "OperatorDesk",
    "Problem",
    "Rehearsal",
    "SchemaState",
    "ScriptRejected",
    "StepContextFilter",
    "StepFailed",
    "SweepResult",
    "SystemClock",
    "TaskAlreadyCompleted",
    "TaskMeta",
    "TaskNotFound",
    "TaskView",
    "UnsupportedStateFormat",
    "VirtualClock",
    "WorkflowHost",
    "WorkflowTotals",
    "called_documents",
    "database_revision",
    "definition_version",
    "definition_versions",
    "deploy_gated",
    "diff_definitions",
    "draft_view",
    "element_heat",
    "instance_view",
    "mark_notifications_read",
    "may_act",
    "notifications_for",
    "open_drafts",
    "parse_definition",
    "recent_instances",
    "schema_state",
    "unread_notifications",
    "version_usage",
    "workflow_totals",
]
