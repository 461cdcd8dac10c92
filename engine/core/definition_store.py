"""Deployed definition versions: store once, never change, load each spec once per process."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from SpiffWorkflow.bpmn.specs import BpmnProcessSpec
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from engine.core.definitions import ParsedDefinition
from engine.core.errors import DefinitionNotFound
from engine.core.persistence.models import ProcessDefinition
from engine.core.serialization import StateSerializer
from engine.core.task_metadata import TaskMeta


@dataclass(frozen=True)
class LoadedDefinition:
    """A definition version ready to run: the restored spec and task metadata."""

    id: int
    process_key: str
    version: int
    spec: BpmnProcessSpec
    subprocess_specs: dict[str, BpmnProcessSpec]
    task_meta: dict[str, TaskMeta]


def store_definition(
    parsed: ParsedDefinition,
    *,
    serializer: StateSerializer,
    county: str,
    actor: str,
    now: datetime,
    session: Session,
) -> tuple[ProcessDefinition, bool]:
    """Store a parsed definition as the next version of its key.

    Deploying content that is already deployed returns the existing version.

    :return: the row and whether it was newly created.
    """
    existing = session.scalars(
        select(ProcessDefinition).where(
            ProcessDefinition.county == county,
            ProcessDefinition.process_key == parsed.process_key,
            ProcessDefinition.content_hash == parsed.content_hash,
        )
    ).first()
    if existing is not None:
        return existing, False
    latest = session.scalar(
        select(func.max(ProcessDefinition.version)).where(
            ProcessDefinition.county == county,
            ProcessDefinition.process_key == parsed.process_key,
        )
    )
    row = ProcessDefinition(
        county=county,
        process_key=parsed.process_key,
        name=parsed.name,
        version=(latest or 0) + 1,
        content_hash=parsed.content_hash,
        source_name=parsed.process_key + ".bpmn",
        bpmn_xml=parsed.bpmn_xml,
        dmn_xmls=list(parsed.dmn_xmls),
        called_xmls=list(parsed.called_xmls),
        spec_json=serializer.dump_specs(parsed.spec, parsed.subprocess_specs),
        task_meta={name: meta.as_dict() for name, meta in parsed.task_meta.items()},
        deployed_by=actor,
        deployed_at=now,
    )
    session.add(row)
    session.flush()
    return row, True


_LATEST = (
    select(ProcessDefinition.__table__.c.id)
    .where(
        ProcessDefinition.__table__.c.county == bindparam("b_county"),
        ProcessDefinition.__table__.c.process_key == bindparam("b_key"),
        ProcessDefinition.__table__.c.withdrawn_at.is_(None),
    )
    .order_by(ProcessDefinition.__table__.c.version.desc())
    .limit(1)
)


def latest_definition_id(process_key: str, *, county: str, session: Session) -> int:
    """The version new instances of ``process_key`` start on: the newest not withdrawn."""
    definition_id: int | None = (
        session.connection().execute(_LATEST, {"b_county": county, "b_key": process_key}).scalar()
    )
    if definition_id is None:
        raise DefinitionNotFound(f"流程 {process_key} 尚未部署")
    return definition_id


class DefinitionCache:
    """Restored specs by definition id. Definitions are immutable, so entries never go stale."""

    def __init__(self, serializer: StateSerializer) -> None:
        self._serializer = serializer
        self._loaded: dict[int, LoadedDefinition] = {}
        self._lock = threading.Lock()

    def get(self, definition_id: int, *, session: Session) -> LoadedDefinition:
        loaded = self._loaded.get(definition_id)
        if loaded is not None:
            return loaded
        row = session.get(ProcessDefinition, definition_id)
        if row is None:
            raise DefinitionNotFound(f"流程定义 {definition_id} 不存在")
        spec, subs = self._serializer.load_specs(row.spec_json)
        loaded = LoadedDefinition(
            id=row.id,
            process_key=row.process_key,
            version=row.version,
            spec=spec,
            subprocess_specs=subs,
            task_meta={k: TaskMeta.from_dict(v) for k, v in row.task_meta.items()},
        )
        with self._lock:
            self._loaded.setdefault(definition_id, loaded)
        return self._loaded[definition_id]
