"""Drafts of process diagrams: open a version or an uploaded file, save, validate, deploy.

Every operation is one transaction; saving keeps work in progress even when it has
problems (they are stored with it and shown on the diagram), deploying refuses any problem
and goes through the deploy gate (recent cases replayed first, :mod:`engine.core.deploy_gate`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core.audit import record_event
from engine.core.definitions import (
    called_process_ids,
    executable_process_ids,
    parse_untrusted_xml,
    process_ids,
    validate,
)
from engine.core.deploy_gate import GateCheck, check_deploy, deploy_gated
from engine.core.diagram_content_safety import active_content
from engine.core.errors import DefinitionNotFound, EngineError
from engine.core.host import Deployment, WorkflowHost
from engine.core.lint import BPMN
from engine.core.persistence.models import ProcessDefinition, ProcessDraft
from engine.core.problems import DefinitionInvalid, Problem
from engine.core.tenancy import DEFAULT_COUNTY
from engine.core.transactions import run_step


class DraftNotFound(EngineError):
    pass


class DraftClosed(EngineError):
    """The draft was deployed already; edit the new version instead."""


@dataclass(frozen=True)
class SavedDraft:
    draft_id: int
    problems: list[Problem]


class DraftDesk:
    """The designer's operations on drafts, over one workflow host."""

    def __init__(self, host: WorkflowHost, *, county: str = DEFAULT_COUNTY) -> None:
        self.host = host
        self.county = county

    # -- reading ---------------------------------------------------------------------------
    def get(self, draft_id: int) -> ProcessDraft:
        with self.host.session_factory() as session:
            draft = session.get(ProcessDraft, draft_id)
            if draft is None or draft.county != self.county:
                raise DraftNotFound(f"草稿 {draft_id} 不存在")
            session.expunge(draft)
            return draft

    def open_drafts(self) -> list[ProcessDraft]:
        with self.host.session_factory() as session:
            rows = session.scalars(
                select(ProcessDraft)
                .where(
                    ProcessDraft.county == self.county,
                    ProcessDraft.deployed_definition_id.is_(None),
                )
                .order_by(ProcessDraft.saved_at.desc())
            ).all()
            session.expunge_all()
            return list(rows)

    def problems_of(self, xml: str | bytes, called_xmls: tuple[str, ...] = ()) -> list[Problem]:
        """Validate without storing anything (the editor's "check" button)."""
        return validate(xml, called_bpmn=called_xmls, services=self._services())

    # -- creating ----------------------------------------------------------------------------
    def from_version(self, definition_id: int, *, actor: str) -> int:
        now = self.host.clock.now()

        def step(session: Session) -> int:
            version = session.get(ProcessDefinition, definition_id)
            if version is None or version.county != self.county:
                raise DefinitionNotFound(f"流程版本 {definition_id} 不存在")
            draft = self._add_draft(
                session,
                "definition.draft_created",
                actor,
                now,
                process_key=version.process_key,
                title=f"{version.name} v{version.version} 的修改稿",
                base_definition_id=version.id,
                source_name=version.source_name,
                bpmn_xml=version.bpmn_xml,
                called_xmls=list(version.called_xmls),
                problems=[],
            )
            return draft.id

        return run_step(self.host.session_factory, step)

    def from_upload(self, data: bytes, *, filename: str, actor: str) -> SavedDraft:
        """Import a diagram made elsewhere. A readable BPMN document becomes a draft with its
        problems listed; anything else is refused with the reason and stores nothing."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise DefinitionInvalid(
                [Problem("encoding", f"{filename} 不是 UTF-8 编码的文本文件")]
            ) from None
        root, problems = parse_untrusted_xml(text, filename)
        if root is not None and root.tag != f"{{{BPMN}}}definitions":
            problems = [
                Problem("not-bpmn", f"{filename} 不是 BPMN 2.0 文档（根元素应为 definitions）")
            ]
        if root is not None and not problems:
            problems = active_content(root)  # never store what a browser would run
        if problems:
            raise DefinitionInvalid(problems)
        executable = executable_process_ids(text)
        if len(executable) != 1:
            raise DefinitionInvalid(
                [
                    Problem(
                        "process-key",
                        f'{filename} 中应有且只有一个可执行流程（isExecutable="true"），'
                        f"实际：{'、'.join(executable) or '无'}",
                    )
                ]
            )
        now = self.host.clock.now()

        def step(session: Session) -> SavedDraft:
            called = self._called_documents(text, session)
            found = self.problems_of(text, called)
            draft = self._add_draft(
                session,
                "definition.draft_imported",
                actor,
                now,
                process_key=executable[0],
                title=f"导入：{filename}",
                base_definition_id=None,
                source_name=filename,
                bpmn_xml=text,
                called_xmls=list(called),
                problems=[p.as_dict() for p in found],
            )
            return SavedDraft(draft.id, found)

        return run_step(self.host.session_factory, step)

    # -- editing -----------------------------------------------------------------------------
    def save(self, draft_id: int, xml: str, *, actor: str) -> SavedDraft:
        """Store the editor's XML with its problems. Text that is not a BPMN document is
        refused and the stored draft stays as it was."""
        root, problems = parse_untrusted_xml(xml, "草稿")
        if root is None:
            raise DefinitionInvalid(problems)
        if root.tag != f"{{{BPMN}}}definitions":
            raise DefinitionInvalid([Problem("not-bpmn", "草稿不是 BPMN 2.0 文档")])
        unsafe = active_content(root)  # never store what a browser would run
        if unsafe:
            raise DefinitionInvalid(unsafe)
        now = self.host.clock.now()

        def step(session: Session) -> SavedDraft:
            draft = self._open_for_edit(draft_id, session)
            found = self.problems_of(xml, tuple(draft.called_xmls))
            draft.bpmn_xml = xml
            draft.problems = [p.as_dict() for p in found]
            draft.saved_by, draft.saved_at = actor, now
            return SavedDraft(draft.id, found)

        return run_step(self.host.session_factory, step)

    def check_deploy(self, draft_id: int) -> GateCheck:
        """Validate the draft and rehearse it on the recent cases of its process (the
        confirmation page); nothing is stored.

        :raises DefinitionInvalid: the draft cannot be deployed as it is.
        """
        draft = self.get(draft_id)
        if draft.deployed_definition_id is not None:
            raise DraftClosed("该草稿已部署，请从新版本重新打开编辑")
        return check_deploy(
            self.host,
            draft.bpmn_xml,
            source_name=draft.source_name,
            called_bpmn=tuple(draft.called_xmls),
            county=self.county,
        )

    def deploy(
        self, draft_id: int, *, actor: str, override_reason: str | None = None
    ) -> Deployment:
        """Deploy the draft as the next version of its process, through the deploy gate.

        :param override_reason: deploy even though replaying recent cases raised errors
            (audited with the failures).
        :raises DefinitionInvalid: nothing is deployed and the draft stays open.
        :raises DeployRefused: replaying recent cases raised errors; nothing is deployed.
        """
        draft = self.get(draft_id)
        if draft.deployed_definition_id is not None:
            raise DraftClosed("该草稿已部署，请从新版本重新打开编辑")
        deployment, _rehearsal = deploy_gated(
            self.host,
            draft.bpmn_xml,
            source_name=draft.source_name,
            called_bpmn=tuple(draft.called_xmls),
            actor=actor,
            county=self.county,
            override_reason=override_reason,
        )
        now = self.host.clock.now()

        def close(session: Session) -> None:
            row = self._open_for_edit(draft_id, session)
            row.deployed_definition_id = deployment.definition_id
            row.problems = []
            self._audit(
                "definition.draft_deployed",
                row,
                actor,
                now,
                session,
                version=deployment.version,
                created=deployment.created,
            )

        run_step(self.host.session_factory, close)
        return deployment

    def discard(self, draft_id: int, *, actor: str) -> None:
        now = self.host.clock.now()

        def step(session: Session) -> None:
            draft = self._open_for_edit(draft_id, session)
            self._audit("definition.draft_discarded", draft, actor, now, session)
            session.delete(draft)

        run_step(self.host.session_factory, step)

    # -- helpers -----------------------------------------------------------------------------
    def _add_draft(
        self, session: Session, action: str, actor: str, now: datetime, **fields: object
    ) -> ProcessDraft:
        draft = ProcessDraft(
            county=self.county,
            created_by=actor,
            created_at=now,
            saved_by=actor,
            saved_at=now,
            **fields,
        )
        session.add(draft)
        session.flush()
        self._audit(action, draft, actor, now, session)
        return draft

    def _services(self) -> list[str] | None:
        services = self.host.runtime.services
        return sorted(services) if services else None

    def _open_for_edit(self, draft_id: int, session: Session) -> ProcessDraft:
        draft = session.get(ProcessDraft, draft_id)
        if draft is None or draft.county != self.county:
            raise DraftNotFound(f"草稿 {draft_id} 不存在")
        if draft.deployed_definition_id is not None:
            raise DraftClosed("该草稿已部署，请从新版本重新打开编辑")
        return draft

    def _called_documents(self, xml: str, session: Session) -> tuple[str, ...]:
        """The deployed documents defining the processes that ``xml`` calls (transitively):
        an imported diagram may call processes the county already runs."""
        wanted = called_process_ids(xml) - process_ids(xml)
        chosen: dict[str, str] = {}
        while wanted:
            key = wanted.pop()
            document = self._latest_document_defining(key, session)
            if document is None or key in chosen:
                continue
            chosen[key] = document
            wanted |= called_process_ids(document) - set(chosen) - process_ids(document)
        return tuple(dict.fromkeys(chosen.values()))

    def _latest_document_defining(self, process_id: str, session: Session) -> str | None:
        rows = session.scalars(
            select(ProcessDefinition)
            .where(ProcessDefinition.county == self.county)
            .order_by(ProcessDefinition.id.desc())
        )
        for row in rows:
            if row.process_key == process_id:
                return row.bpmn_xml
            for called in row.called_xmls:
                if process_id in process_ids(called):
                    return called
        return None

    def _audit(
        self,
        action: str,
        draft: ProcessDraft,
        actor: str,
        now: datetime,
        session: Session,
        **extra: object,
    ) -> None:
        record_event(
            county=self.county,
            at=now,
            actor=actor,
            action=action,
            detail={
                "draft_id": draft.id,
                "process_key": draft.process_key,
                "base_definition_id": draft.base_definition_id,
                **extra,
            },
            session=session,
        )
