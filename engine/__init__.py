"""The runtime: the domain-free workflow core (``engine.core``), the shared services (working
calendar, catalog store, people), the domains on top (complaints, intake, catalog revision,
agricultural consultation, Open311) and their composition (bootstrap, scheduler, desks).

The names below are the core's public API, re-exported for convenience; importing ``engine``
loads the core only (a domain is loaded when it is imported), so an engine-only process stays
small."""

from engine import domains  # noqa: F401  (makes the domains' tables known to the core)
from engine.core.clock import Clock, SystemClock, VirtualClock
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
from engine.core.problems import DefinitionInvalid, Problem
from engine.core.scripting import ScriptRejected
from engine.core.serialization import UnsupportedStateFormat
from engine.core.step_failures import StepFailed
from engine.core.tenancy import DEFAULT_COUNTY
from engine.core.timers import SweepResult

__all__ = [
    "DEFAULT_COUNTY",
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
