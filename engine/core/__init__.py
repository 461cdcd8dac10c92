"""The workflow core: definitions, instances, timers, scripting, serialization, the clock, the
runtime, persistence, audit and notifications. It knows no domain: nothing here imports
``engine.complaints`` or any other domain, shared service or the composition above it."""

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
