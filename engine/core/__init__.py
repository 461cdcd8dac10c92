"""The workflow core: definitions, instances, timers, scripting, serialization, the clock, the
runtime, persistence, audit and notifications. It knows no domain: nothing here imports
``engine.complaints`` or any other domain, shared service or the composition above it."""

from engine.core.clock import Clock, SystemClock, VirtualClock
from engine.core.config import EngineConfig
from engine.core.definition_diff import diff_definitions
from engine.core.definitions import MAX_DIAGRAM_BYTES
from engine.core.deploy_gate import DeployRefused, GateCheck, Rehearsal
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
from engine.core.host import Deployment, TaskView, WorkflowHost
from engine.core.incidents import STATUS_LABELS as INSTANCE_STATUS_LABELS
from engine.core.log_context import FIELDS as LOG_FIELDS
from engine.core.log_context import StepContextFilter
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
from engine.core.tenancy import DEFAULT_COUNTY
from engine.core.timers import SweepResult

__all__ = [
    "DEFAULT_COUNTY",
    "INSTANCE_STATUS_LABELS",
    "LOG_FIELDS",
    "MAX_DIAGRAM_BYTES",
    "DefinitionVersion",
    "DeployRefused",
    "DraftClosed",
    "DraftDesk",
    "DraftNotFound",
    "DraftView",
    "EngineConfig",
    "GateCheck",
    "InstanceRow",
    "OperatorDesk",
    "Rehearsal",
    "SchemaState",
    "StepContextFilter",
    "WorkflowTotals",
    "database_revision",
    "definition_version",
    "definition_versions",
    "diff_definitions",
    "draft_view",
    "element_heat",
    "instance_view",
    "open_drafts",
    "recent_instances",
    "schema_state",
    "version_usage",
    "workflow_totals",
    "Budget",
    "BudgetExceeded",
    "Clock",
    "ConcurrentUpdate",
    "DefinitionInvalid",
    "DefinitionNotFound",
    "Deployment",
    "EngineError",
    "FieldErrors",
    "FormRejected",
    "InstanceNotFound",
    "InstanceSuspended",
    "NotPermitted",
    "NotWaitingForMessage",
    "OperatorActionRefused",
    "Problem",
    "ScriptRejected",
    "StepFailed",
    "UnsupportedStateFormat",
    "SweepResult",
    "SystemClock",
    "TaskAlreadyCompleted",
    "TaskNotFound",
    "TaskView",
    "VirtualClock",
    "WorkflowHost",
]

# For the command line: checking and deploying definitions, and the incidents list.
from engine.core.definitions import parse_definition  # noqa: E402
from engine.core.deploy_gate import deploy_gated  # noqa: E402
from engine.core.host import called_documents  # noqa: E402
from engine.core.incidents import IncidentView  # noqa: E402

__all__ += ["IncidentView", "called_documents", "deploy_gated", "parse_definition"]

# Task forms (the whitelisted fields of a user task) and who may act on a task.
from engine.core.instances import may_act  # noqa: E402
from engine.core.task_metadata import FormField, TaskMeta  # noqa: E402

__all__ += ["FormField", "TaskMeta", "may_act"]

# A person's notifications, read and marked for pages.
from engine.core.notification_inbox import (  # noqa: E402
    NotificationRecord,
    mark_notifications_read,
    notifications_for,
    unread_notifications,
)

__all__ += [
    "NotificationRecord",
    "mark_notifications_read",
    "notifications_for",
    "unread_notifications",
]
