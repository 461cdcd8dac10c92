"""The runtime: SpiffWorkflow host, persistence, durable timers, the clock, the scheduler."""

from engine.clock import Clock, SystemClock, VirtualClock
from engine.errors import (
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
from engine.evaluation_budget import Budget, BudgetExceeded
from engine.host import Deployment, TaskView, WorkflowHost
from engine.problems import DefinitionInvalid, Problem
from engine.scripting import ScriptRejected
from engine.serialization import UnsupportedStateFormat
from engine.step_failures import StepFailed
from engine.tenancy import DEFAULT_COUNTY
from engine.timers import SweepResult

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
