"""Deployed process versions as the designer's pages show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from engine.core.host import WorkflowHost
from engine.core.instance_inspection import VersionUsage, usage_by_definition
from engine.core.persistence.models import ProcessDefinition


@dataclass(frozen=True)
class DefinitionVersion:
    """One deployed version (immutable once deployed, except for its withdrawal)."""

    id: int
    county: str
    process_key: str
    name: str
    version: int
    content_hash: str
    source_name: str
    bpmn_xml: str
    deployed_by: str
    deployed_at: datetime
    withdrawn_at: datetime | None
    withdrawn_by: str | None

    @classmethod
    def of(cls, row: ProcessDefinition) -> DefinitionVersion:
        return cls(
            id=row.id,
            county=row.county,
            process_key=row.process_key,
            name=row.name,
            version=row.version,
            content_hash=row.content_hash,
            source_name=row.source_name,
            bpmn_xml=row.bpmn_xml,
            deployed_by=row.deployed_by,
            deployed_at=row.deployed_at,
            withdrawn_at=row.withdrawn_at,
            withdrawn_by=row.withdrawn_by,
        )


def definition_version(
    host: WorkflowHost, definition_id: int, *, county: str
) -> DefinitionVersion | None:
    """The version, or None when there is none of that id in ``county``."""
    with host.session_factory() as session:
        row = session.get(ProcessDefinition, definition_id)
        if row is None or row.county != county:
            return None
        return DefinitionVersion.of(row)


def definition_versions(
    host: WorkflowHost, *, county: str, process_key: str | None = None
) -> list[DefinitionVersion]:
    """Every version of the county (or of one process), by process, newest version first."""
    query = select(ProcessDefinition).where(ProcessDefinition.county == county)
    if process_key is not None:
        query = query.where(ProcessDefinition.process_key == process_key)
    query = query.order_by(ProcessDefinition.process_key, ProcessDefinition.version.desc())
    with host.session_factory() as session:
        return [DefinitionVersion.of(row) for row in session.scalars(query)]


def version_usage(host: WorkflowHost, *, county: str) -> dict[int, VersionUsage]:
    """Definition id → how many instances run (or ran) on it."""
    with host.session_factory() as session:
        return usage_by_definition(county, session=session)
