"""The catalog desk: the organisation department's catalog work wired onto a workflow host.

Pages, the CLI and tests call these methods; each is one transaction. Consultation steps
advance the ``catalog_revision`` workflow (ADR 0006); edits change drafts only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.catalog_revision import drafts, feedback
from engine.catalog_revision.models import CatalogOpinion, CatalogRevision
from engine.catalog_revision.projection import project_revision
from engine.catalog_revision.records import OpinionRecord, RevisionRecord
from engine.catalog_revision.services import MAX_OPINION_DAYS, RevisionServices
from engine.catalog_revision.workbook_import import import_workbook
from engine.catalog_store import CatalogLifecycleError, VersionInfo, list_versions, load_version
from engine.core.errors import EngineError, FieldErrors
from engine.core.host import WorkflowHost
from engine.core.persistence.models import HumanTask
from engine.core.row_processes import run_step_then_notify, start_for_row
from engine.core.tenancy import DEFAULT_COUNTY
from engine.core.transactions import run_step
from engine.working_calendar.store import CalendarProvider
from responsibility_catalog import (
    Catalog,
    CatalogInvalid,
    MatterEdit,
    Status,
    matter_from_fields,
    validate,
)
from rules import CHINA_TZ

PROCESS_KEY = "catalog_revision"
_MATTER_ID = re.compile(r"^D\d{2}-\d{2,3}$")
OPEN_STAGES = ("collecting", "review", "revising")


def new_matter_id_problem(matter_id: str, catalog: Catalog) -> str | None:
    """Why ``matter_id`` cannot name a new matter of ``catalog`` (``None``: it can)."""
    if not _MATTER_ID.match(matter_id):
        return f"事项编号“{matter_id}”应写作“D04-09”（领域编号-序号）"
    if matter_id in catalog.matters_by_id:
        return f"事项编号 {matter_id} 已被“{catalog.matters_by_id[matter_id].name}”使用"
    return None


class MatterRejected(FieldErrors):
    """A matter edit with problems, by form field; nothing was stored."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.field_errors = errors
        super().__init__({k: "；".join(v) for k, v in errors.items()}, "事项未保存：")


@dataclass(frozen=True)
class OpinionTask:
    """A unit's open consultation task with the revision it belongs to."""

    task_id: str
    unit: str
    revision: RevisionRecord
    opinion: OpinionRecord | None


class CatalogDesk:
    def __init__(self, host: WorkflowHost, calendars: CalendarProvider | None = None) -> None:
        self.host = host
        self.services = RevisionServices(calendars or CalendarProvider())
        host.runtime.register_services(self.services.operations())
        host.runtime.register_projector(PROCESS_KEY, project_revision)

    # -- helpers -------------------------------------------------------------------------
    def _step(self, fn: Any) -> Any:
        return run_step(self.host.session_factory, fn)

    def _now(self) -> datetime:
        return self.host.clock.now()

    def today(self) -> date:
        return self._now().astimezone(CHINA_TZ).date()

    # -- versions and drafts --------------------------------------------------------------
    def versions(self, *, county: str = DEFAULT_COUNTY) -> list[VersionInfo]:
        with self.host.session_factory() as session:
            return list_versions(county=county, session=session)

    def catalog(self, label: str, *, county: str = DEFAULT_COUNTY) -> Catalog:
        with self.host.session_factory() as session:
            return load_version(label, county=county, session=session)

    def published(self, *, county: str = DEFAULT_COUNTY) -> Catalog | None:
        with self.host.session_factory() as session:
            return drafts.current_published(county=county, session=session)

    def create_draft(self, label: str, *, actor: str, county: str = DEFAULT_COUNTY) -> Catalog:
        return self._step(
            lambda s: drafts.create_draft(
                label, county=county, actor=actor, now=self._now(), session=s
            )
        )

    def import_draft(
        self, source: IO[bytes], *, label: str | None, actor: str, county: str = DEFAULT_COUNTY
    ) -> Catalog:
        """A new draft from an uploaded workbook.

        :raises CatalogInvalid: every bad cell (sheet, row, column); nothing is stored.
        :raises NothingPublished: no organisation tree to read the workbook with.
        """
        return import_workbook(self.host, source, label=label, actor=actor, county=county)

    # -- amendment proposals from joint consultations ---------------------------------------
    def proposal_ids(self, *, matter_id: str, county: str = DEFAULT_COUNTY) -> list[int]:
        """The amendment proposals made for ``matter_id``, newest first."""
        with self.host.session_factory() as session:
            found = feedback.proposals(county=county, session=session, matter_id=matter_id)
            return [p.proposal.id for p in found]

    def accept_proposal(
        self, proposal_id: int, label: str, *, actor: str, county: str = DEFAULT_COUNTY
    ) -> str | None:
        """Take a proposal into the draft ``label``; returns the matter it is about.

        :raises EngineError: no such proposal, already accepted, or not a draft.
        """
        return self._step(
            lambda s: (
                feedback.accept_proposal(
                    proposal_id, label, county=county, actor=actor, now=self._now(), session=s
                ).matter_id
            )
        )

    def check_matter(
        self, label: str, matter_id: str, fields: dict[str, Any], *, county: str = DEFAULT_COUNTY
    ) -> MatterEdit:
        """The validator's verdict on an edit, stored nowhere (for live validation)."""
        return matter_from_fields(matter_id, fields, self.catalog(label, county=county))

    def save_matter(
        self,
        label: str,
        matter_id: str,
        fields: dict[str, Any],
        *,
        domain_id: str | None = None,
        actor: str,
        county: str = DEFAULT_COUNTY,
    ) -> Catalog:
        """Save an edited matter, or a new one when ``domain_id`` is given.

        :raises MatterRejected: by form field; :raises CatalogLifecycleError: not a draft.
        """
        catalog = self.catalog(label, county=county)
        if domain_id is not None:
            problem = new_matter_id_problem(matter_id, catalog)
            if problem:
                raise MatterRejected({"id": [problem]})
        if catalog.status is not Status.DRAFT:
            raise CatalogLifecycleError(
                f"版本 {label} 当前为“{catalog.status.label}”，不能修改"
                + (
                    "；请在审核时选择“修改后重新征求意见”"
                    if catalog.status is Status.CONSULTATION
                    else ""
                )
            )
        edit = matter_from_fields(matter_id, fields, catalog)
        if not edit.ok or edit.matter is None:
            raise MatterRejected(edit.errors)
        matter = edit.matter
        return self._step(
            lambda s: drafts.save_matter(
                label,
                matter,
                domain_id=domain_id,
                county=county,
                actor=actor,
                now=self._now(),
                session=s,
            )
        )

    def remove_matter(
        self, label: str, matter_id: str, *, actor: str, county: str = DEFAULT_COUNTY
    ) -> Catalog:
        """:raises CatalogLifecycleError: not a draft or no such matter."""
        return self._step(
            lambda s: drafts.remove_matter(
                label, matter_id, county=county, actor=actor, now=self._now(), session=s
            )
        )

    # -- consultation -----------------------------------------------------------------------
    def send_for_consultation(
        self,
        label: str,
        *,
        opinion_days: int,
        note: str = "",
        actor: str,
        county: str = DEFAULT_COUNTY,
    ) -> int:
        """Start the consultation on a draft; returns the revision id.

        :raises FieldErrors: bad number of days; :raises CatalogInvalid: the draft has
            problems; :raises CatalogLifecycleError: not a draft or already being consulted on.
        """
        if not 1 <= opinion_days <= MAX_OPINION_DAYS:
            raise FieldErrors(
                {"opinion_days": f"反馈期限应为 1 到 {MAX_OPINION_DAYS} 个工作日"}, "未发出："
            )
        catalog = self.catalog(label, county=county)
        if catalog.status is not Status.DRAFT:
            raise CatalogLifecycleError(
                f"版本 {label} 当前为“{catalog.status.label}”，不能发出征求意见"
            )
        problems = validate(catalog)
        if problems:
            raise CatalogInvalid(problems)
        now = self._now()

        def step(session: Session) -> int:
            if self._open_revision(label, county=county, session=session) is not None:
                raise CatalogLifecycleError(f"草稿 {label} 已在征求意见中")
            revision = CatalogRevision(
                county=county,
                label=label,
                opinion_days=opinion_days,
                note=note.strip() or None,
                created_at=now,
                created_by=actor,
                updated_at=now,
            )
            start_for_row(
                revision,
                PROCESS_KEY,
                lambda row: {
                    "revision_id": row.id,
                    "label": label,
                    "opinion_days": opinion_days,
                    "county": county,
                },
                runtime=self.host.runtime,
                now=now,
                actor=actor,
                county=county,
                business_key=f"catalog:{label}",
                session=session,
            )
            return revision.id

        return run_step_then_notify(self.host, step)

    def _open_revision(
        self, label: str, *, county: str, session: Session
    ) -> CatalogRevision | None:
        return session.scalars(
            select(CatalogRevision).where(
                CatalogRevision.county == county,
                CatalogRevision.label == label,
                CatalogRevision.stage.in_(OPEN_STAGES),
            )
        ).first()

    def revisions(
        self, *, county: str = DEFAULT_COUNTY, label: str | None = None
    ) -> list[RevisionRecord]:
        with self.host.session_factory() as session:
            stmt = select(CatalogRevision).where(CatalogRevision.county == county)
            if label is not None:
                stmt = stmt.where(CatalogRevision.label == label)
            rows = session.scalars(stmt.order_by(CatalogRevision.id.desc()))
            return [RevisionRecord.of(r) for r in rows]

    def revision(self, revision_id: int) -> RevisionRecord:
        with self.host.session_factory() as session:
            revision = session.get(CatalogRevision, revision_id)
            if revision is None:
                raise EngineError(f"征求意见 {revision_id} 不存在")
            return RevisionRecord.of(revision)

    def opinions(self, revision_id: int, round_: int | None = None) -> list[OpinionRecord]:
        """Opinions of a revision, latest round first, objections first within a round."""
        order = {"object": 0, "pending": 1, "none": 2, "agree": 3}
        with self.host.session_factory() as session:
            stmt = select(CatalogOpinion).where(CatalogOpinion.revision_id == revision_id)
            if round_ is not None:
                stmt = stmt.where(CatalogOpinion.round == round_)
            rows = [OpinionRecord.of(o) for o in session.scalars(stmt)]
        return sorted(rows, key=lambda o: (-o.round, order.get(o.opinion, 9), o.unit))

    def department_task(self, revision: RevisionRecord, name: str) -> str | None:
        """The ready ``review`` or ``revise`` task of the revision, if any."""
        if revision.instance_id is None:
            return None
        for task in self.host.ready_tasks(instance_id=revision.instance_id, county=revision.county):
            if task.task_name == name:
                return task.id
        return None

    def opinion_tasks(self, unit: str, *, county: str = DEFAULT_COUNTY) -> list[OpinionTask]:
        """The unit's open consultation tasks (its own page lists them)."""
        with self.host.session_factory() as session:
            rows = session.execute(
                select(HumanTask.id, HumanTask.candidate_groups, CatalogRevision)
                .join(CatalogRevision, CatalogRevision.instance_id == HumanTask.instance_id)
                .where(
                    HumanTask.county == county,
                    HumanTask.state == "ready",
                    HumanTask.task_name == "give_opinion",
                )
                .order_by(HumanTask.created_at)
            ).all()
            found = []
            for task_id, groups, revision in rows:
                if unit not in groups:
                    continue
                opinion = session.scalars(
                    select(CatalogOpinion).where(
                        CatalogOpinion.revision_id == revision.id,
                        CatalogOpinion.round == revision.round,
                        CatalogOpinion.unit == unit,
                    )
                ).first()
                found.append(
                    OpinionTask(
                        task_id,
                        unit,
                        RevisionRecord.of(revision),
                        OpinionRecord.of(opinion) if opinion is not None else None,
                    )
                )
        return found

    def answered_opinions(
        self, unit: str, *, county: str = DEFAULT_COUNTY, limit: int = 20
    ) -> list[tuple[OpinionRecord, RevisionRecord]]:
        """What the unit said (or let lapse) in earlier rounds, newest first."""
        with self.host.session_factory() as session:
            rows = session.execute(
                select(CatalogOpinion, CatalogRevision)
                .join(CatalogRevision, CatalogRevision.id == CatalogOpinion.revision_id)
                .where(
                    CatalogOpinion.county == county,
                    CatalogOpinion.unit == unit,
                    CatalogOpinion.opinion != "pending",
                )
                .order_by(CatalogOpinion.answered_at.desc(), CatalogOpinion.id.desc())
                .limit(limit)
            ).all()
            return [(OpinionRecord.of(o), RevisionRecord.of(r)) for o, r in rows]

    def give_opinion(
        self, task_id: str, form: dict[str, Any], *, actor: str, groups: frozenset[str]
    ) -> None:
        """:raises FormRejected, NotPermitted, TaskAlreadyCompleted: see the host."""
        self.host.complete_task(task_id, form, actor=actor, groups=groups)

    def review(
        self, revision_id: int, form: dict[str, Any], *, actor: str, groups: frozenset[str]
    ) -> None:
        """The department's decision on the opinions: publish, revise or withdraw.

        :raises FieldErrors: an effective date in the past; :raises CatalogInvalid: the draft
            cannot be published; plus the host's task errors.
        """
        revision = self.revision(revision_id)
        task_id = self.department_task(revision, "review")
        if task_id is None:
            raise EngineError("该征求意见当前不在审核环节")
        if form.get("review_decision") == "publish" and form.get("effective"):
            try:
                effective = date.fromisoformat(str(form["effective"]))
            except ValueError:
                raise FieldErrors({"effective": "应为日期（YYYY-MM-DD）"}, "未公布：") from None
            if effective < self.today():
                raise FieldErrors(
                    {
                        "effective": f"生效日期不能早于今天（{self.today().isoformat()}）："
                        "已受理的诉求不会重新派单"
                    },
                    "未公布：",
                )
            problems = validate(self.catalog(revision.label, county=revision.county))
            if problems:
                raise CatalogInvalid(problems)
        self.host.complete_task(task_id, form, actor=actor, groups=groups)

    def resend(
        self, revision_id: int, form: dict[str, Any], *, actor: str, groups: frozenset[str]
    ) -> None:
        """Send the revised draft out again (a new round to the then-affected units)."""
        revision = self.revision(revision_id)
        task_id = self.department_task(revision, "revise")
        if task_id is None:
            raise EngineError("该征求意见当前不在修改环节")
        days = str(form.get("opinion_days") or "")
        if not days.isdigit() or not 1 <= int(days) <= MAX_OPINION_DAYS:
            raise FieldErrors(
                {"opinion_days": f"反馈期限应为 1 到 {MAX_OPINION_DAYS} 个工作日"}, "未发出："
            )
        problems = validate(self.catalog(revision.label, county=revision.county))
        if problems:
            raise CatalogInvalid(problems)
        self.host.complete_task(task_id, form, actor=actor, groups=groups)
