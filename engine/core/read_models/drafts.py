"""Process drafts as the designer's pages show them (editing goes through
:class:`engine.core.process_drafts.DraftDesk`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from engine.core.host import WorkflowHost
from engine.core.persistence.models import ProcessDraft
from engine.core.process_drafts import DraftNotFound


@dataclass(frozen=True)
class DraftView:
    id: int
    county: str
    process_key: str
    title: str
    base_definition_id: int | None
    source_name: str
    bpmn_xml: str
    called_xmls: tuple[str, ...]
    problems: tuple[dict[str, Any], ...]
    created_by: str
    created_at: datetime
    saved_by: str
    saved_at: datetime
    deployed_definition_id: int | None

    @classmethod
    def of(cls, row: ProcessDraft) -> DraftView:
        return cls(
            id=row.id,
            county=row.county,
            process_key=row.process_key,
            title=row.title,
            base_definition_id=row.base_definition_id,
            source_name=row.source_name,
            bpmn_xml=row.bpmn_xml,
            called_xmls=tuple(row.called_xmls),
            problems=tuple(row.problems),
            created_by=row.created_by,
            created_at=row.created_at,
            saved_by=row.saved_by,
            saved_at=row.saved_at,
            deployed_definition_id=row.deployed_definition_id,
        )


def draft_view(host: WorkflowHost, draft_id: int, *, county: str) -> DraftView:
    """:raises DraftNotFound: no draft of that id in ``county``."""
    with host.session_factory() as session:
        row = session.get(ProcessDraft, draft_id)
        if row is None or row.county != county:
            raise DraftNotFound(f"草稿 {draft_id} 不存在")
        return DraftView.of(row)


def open_drafts(host: WorkflowHost, *, county: str) -> list[DraftView]:
    """Drafts not deployed yet, the most recently saved first."""
    with host.session_factory() as session:
        rows = session.scalars(
            select(ProcessDraft)
            .where(ProcessDraft.county == county, ProcessDraft.deployed_definition_id.is_(None))
            .order_by(ProcessDraft.saved_at.desc())
        )
        return [DraftView.of(row) for row in rows]
