"""Tables of the engine: definitions, instances, task projection, audit log, incidents."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    DDL,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from engine.core.persistence.base import Base, CountyKey
from engine.core.persistence.types import UtcDateTime


class ProcessDefinition(Base):
    """An immutable deployed version of a BPMN process, keyed by content hash."""

    __tablename__ = "process_definition"
    __table_args__ = (
        UniqueConstraint("county", "process_key", "version"),
        UniqueConstraint("county", "process_key", "content_hash", name="uq_definition_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    process_key: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(256))
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(String(256))
    bpmn_xml: Mapped[str] = mapped_column(Text)
    dmn_xmls: Mapped[list[str]]
    called_xmls: Mapped[list[str]]
    spec_json: Mapped[str] = mapped_column(Text)
    task_meta: Mapped[dict[str, Any]]
    deployed_by: Mapped[str] = mapped_column(String(128))
    deployed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # An operator's rollback: new instances start on the newest version not withdrawn;
    # instances already on this one stay on it (the content itself never changes).
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    withdrawn_by: Mapped[str | None] = mapped_column(String(128))


class ProcessDraft(Base):
    """A diagram being edited in the designer: saved as often as wanted, valid or not,
    deployed at most once (then it becomes a version and the draft is closed)."""

    __tablename__ = "process_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    process_key: Mapped[str] = mapped_column(String(128), index=True)
    title: Mapped[str] = mapped_column(String(256))
    base_definition_id: Mapped[int | None] = mapped_column(ForeignKey("process_definition.id"))
    source_name: Mapped[str] = mapped_column(String(256))
    bpmn_xml: Mapped[str] = mapped_column(Text)
    called_xmls: Mapped[list[str]]
    problems: Mapped[list[dict[str, Any]]]
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    saved_by: Mapped[str] = mapped_column(String(128))
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deployed_definition_id: Mapped[int | None] = mapped_column(ForeignKey("process_definition.id"))


class ProcessInstance(Base):
    """One running (or finished) SpiffWorkflow instance, stored without its spec.

    ``version`` is the optimistic-concurrency counter; ``next_due_at`` is the earliest
    waiting timer, indexed so the sweep never scans waiting instances.
    """

    __tablename__ = "process_instance"
    __table_args__ = (Index("ix_process_instance_due", "next_due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definition.id"), index=True)
    business_key: Mapped[str | None] = mapped_column(String(128), index=True)
    status: Mapped[str] = mapped_column(String(16), default="running")
    state_json: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    next_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    lock_owner: Mapped[str | None] = mapped_column(String(128))
    lock_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    timer_failures: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __mapper_args__ = {"version_id_col": version}


class HumanTask(Base):
    """Projection of a ready (or finished) human task, for inbox queries."""

    __tablename__ = "human_task"
    __table_args__ = (
        Index("ix_human_task_open", "county", "state", "lane"),
        # Queues by task kind (dispatcher console), oldest first.
        Index("ix_human_task_queue", "county", "state", "task_name", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    county: Mapped[CountyKey]
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    task_name: Mapped[str] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(String(256))
    lane: Mapped[str | None] = mapped_column(String(128))
    candidate_groups: Mapped[list[str]]
    assignee: Mapped[str | None] = mapped_column(String(128), index=True)
    state: Mapped[str] = mapped_column(String(16), default="ready")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    completed_by: Mapped[str | None] = mapped_column(String(128))


class AuditEvent(Base):
    """Append-only record of every step: who, when, what, before and after."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    instance_id: Mapped[int | None] = mapped_column(index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    task_name: Mapped[str | None] = mapped_column(String(128))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    detail: Mapped[dict[str, Any] | None]


class Incident(Base):
    """Something an operator must look at: a timer that keeps failing, an uncaught BPMN error,
    a script over its budget.

    ``instance_id`` is empty when the failing step was the start of an instance (the start
    rolled back, so there is no instance); ``definition_id`` and ``element_id`` then say where.
    """

    __tablename__ = "incident"

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    definition_id: Mapped[int | None] = mapped_column(ForeignKey("process_definition.id"))
    element_id: Mapped[str | None] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    detail: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(128))


# The audit log is append-only in the database itself, not only by convention.
for _op in ("UPDATE", "DELETE"):
    event.listen(
        AuditEvent.__table__,
        "after_create",
        DDL(
            f"CREATE TRIGGER audit_event_no_{_op.lower()} BEFORE {_op} ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
        ).execute_if(dialect="sqlite"),
    )
event.listen(
    AuditEvent.__table__,
    "after_create",
    DDL(
        "CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'audit log is append-only'; END $$ LANGUAGE plpgsql; "
        "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
    ).execute_if(dialect="postgresql"),
)


class CatalogVersion(Base):
    """A stored version of the responsibility catalog (its full content as JSON).

    Published and superseded versions never change content (a trigger refuses it).
    """

    __tablename__ = "catalog_version"
    __table_args__ = (UniqueConstraint("county", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    label: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    effective: Mapped[date | None] = mapped_column(Date)
    content_hash: Mapped[str] = mapped_column(String(64))
    content_json: Mapped[str] = mapped_column(Text)
    based_on: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(128))
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    published_by: Mapped[str | None] = mapped_column(String(128))


event.listen(
    CatalogVersion.__table__,
    "after_create",
    DDL(
        "CREATE TRIGGER catalog_version_frozen BEFORE UPDATE OF content_hash, content_json "
        "ON catalog_version WHEN OLD.status IN ('published', 'superseded') "
        "BEGIN SELECT RAISE(ABORT, 'published catalog versions are immutable'); END"
    ).execute_if(dialect="sqlite"),
)
event.listen(
    CatalogVersion.__table__,
    "after_create",
    DDL(
        "CREATE FUNCTION catalog_version_frozen() RETURNS trigger AS $$ BEGIN "
        "IF OLD.status IN ('published', 'superseded') AND (NEW.content_hash <> OLD.content_hash "
        "OR NEW.content_json <> OLD.content_json) THEN "
        "RAISE EXCEPTION 'published catalog versions are immutable'; END IF; RETURN NEW; END "
        "$$ LANGUAGE plpgsql; "
        "CREATE TRIGGER catalog_version_frozen BEFORE UPDATE ON catalog_version "
        "FOR EACH ROW EXECUTE FUNCTION catalog_version_frozen()"
    ).execute_if(dialect="postgresql"),
)


class Notification(Base):
    """An in-app message for a unit, a role or a person (a recipient key such as
    ``urban_management``, ``dispatcher`` or ``reporter:42``)."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_inbox", "county", "recipient", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county: Mapped[CountyKey]
    recipient: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(256))
    body: Mapped[str | None] = mapped_column(Text)
    instance_id: Mapped[int | None] = mapped_column(index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
