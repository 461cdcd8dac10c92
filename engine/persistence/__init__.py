"""Persistence: SQLAlchemy models, the session factory and the row-locking helper."""

from engine.persistence.base import Base
from engine.persistence.database import (
    create_schema,
    drop_schema,
    make_engine,
    make_session_factory,
)
from engine.persistence.locking import with_row_locks
from engine.persistence.models import (
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
