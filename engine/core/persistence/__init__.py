"""Persistence: SQLAlchemy models, the session factory and the row-locking helper."""

from engine.core.persistence.base import Base
from engine.core.persistence.database import (
    create_schema,
    drop_schema,
    make_engine,
    make_session_factory,
)
from engine.core.persistence.locking import with_row_locks
from engine.core.persistence.models import (
    AuditEvent,
    HumanTask,
    Incident,
    ProcessDefinition,
    ProcessInstance,
)

__all__ = [
    "AuditEvent",
    "Base",
    "HumanTask",
    "Incident",
    "ProcessDefinition",
    "ProcessInstance",
    "create_schema",
    "drop_schema",
    "make_engine",
    "make_session_factory",
    "with_row_locks",
]
