"""Whether the database answers and its schema is at the code's head (readiness probes)."""

from __future__ import annotations

from dataclasses import dataclass

from engine.core.host import WorkflowHost
from engine.core.persistence import migrations


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str
    pending: tuple[str, ...]  # oldest first; empty when the schema is at head
    upgrade_command: str = migrations.UPGRADE_COMMAND


def database_revision(host: WorkflowHost) -> str | None:
    """The revision stamped in the database: one indexed read, so it also says the database
    answers (it raises when it does not)."""
    return migrations.current_revision(host.bind)


def schema_state(host: WorkflowHost) -> SchemaState:
    """:raises SchemaAhead: the database is newer than this code."""
    pending = tuple(migrations.pending_revisions(host.bind))
    head = migrations.head_revision()
    current = migrations.current_revision(host.bind) if pending else head
    return SchemaState(current=current, head=head, pending=pending)
