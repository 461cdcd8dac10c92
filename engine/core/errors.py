"""Domain exceptions of the engine; the web layer maps them to HTTP answers."""

from __future__ import annotations


class EngineError(Exception):
    """Base class: the message is meant for the person who caused it (Chinese)."""


class FieldErrors(EngineError):
    """Input rejected field by field (field → reason); nothing was changed.

    :param summary: what was being submitted, put before the reasons in the message.
    """

    def __init__(self, errors: dict[str, str], summary: str = "") -> None:
        self.errors = errors
        detail = "；".join(f"{field}：{reason}" for field, reason in errors.items())
        super().__init__(f"{summary}{detail}")


class DefinitionNotFound(EngineError):
    pass


class InstanceNotFound(EngineError):
    pass


class TaskNotFound(EngineError):
    pass


class TaskAlreadyCompleted(EngineError):
    """Someone else finished (or the process withdrew) the task first."""

    def __init__(self, task_id: str, by: str | None, state: str) -> None:
        self.task_id = task_id
        self.by = by
        self.state = state
        if state == "completed" and by:
            message = f"该任务已由 {by} 办理完成，无需重复提交"
        elif state == "completed":
            message = "该任务已办理完成，无需重复提交"
        else:
            message = "该任务已不再需要办理（流程已转到其他环节）"
        super().__init__(message)


class FormRejected(FieldErrors):
    """Form data did not match the task's whitelist; nothing was changed."""

    def __init__(self, task_name: str, errors: dict[str, str]) -> None:
        self.task_name = task_name
        super().__init__(errors, f"任务 {task_name} 的表单有误：")


class ConcurrentUpdate(EngineError):
    """A step kept losing optimistic-concurrency races; the caller may try again later."""


class NotWaitingForMessage(EngineError):
    """The instance is past the point where it accepts this message."""

    def __init__(self, message_name: str) -> None:
        self.message_name = message_name
        super().__init__(f"该事项当前不接受“{message_name}”操作（可能已签收或已办结）")


class NotPermitted(EngineError):
    """The person may not do this (wrong unit, wrong role)."""


class InstanceSuspended(EngineError):
    """An operator suspended the instance: no step runs on it until it is resumed."""

    def __init__(self, instance_id: int) -> None:
        self.instance_id = instance_id
        super().__init__(f"事项（流程实例 {instance_id}）已被运维人员暂停，恢复后才能继续办理")


class OperatorActionRefused(EngineError):
    """An operator's action on an instance or a version cannot be done; nothing changed."""
