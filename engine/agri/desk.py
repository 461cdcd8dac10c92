"""The agriculture desk: consultations and guidance pushes wired onto a workflow host.

Pages, the CLI and tests call these methods; each is one transaction. Every change of a
consultation or push advances its workflow (ADR 0008); registers (growers, the specialty
table) and read receipts are plain rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.agri import experts, growers
from engine.agri.models import Consultation, ConsultationMessage, Grower
from engine.agri.projection import project_consultation, project_push
from engine.agri.push_desk import PUSH_PROCESS, PushDesk
from engine.agri.records import (
    ConsultationRecord,
    GrowerRecord,
    MessageRecord,
    SpecialtyRecord,
)
from engine.agri.services import AgriServices
from engine.agri.vocabulary import CROPS, RATINGS, SYMPTOMS
from engine.catalog_store import CatalogRegistry
from engine.core.errors import EngineError, FieldErrors
from engine.core.host import WorkflowHost
from engine.core.persistence.models import HumanTask
from engine.core.row_processes import run_step_then_notify, start_for_row
from engine.core.tenancy import DEFAULT_COUNTY
from engine.core.transactions import run_step
from engine.working_calendar.store import CalendarProvider
from responsibility_catalog import Organisation

CONSULTATION_PROCESS = "agri_consultation"
MAX_TEXT = 2000
MAX_PHOTOS = 6


@dataclass(frozen=True)
class OpenTask:
    """A consultation waiting for someone in the given groups."""

    task_id: str
    task_name: str
    consultation: ConsultationRecord


class AgriDesk(PushDesk):
    def __init__(
        self,
        host: WorkflowHost,
        calendars: CalendarProvider | None = None,
        catalogs: CatalogRegistry | None = None,
    ) -> None:
        self.host = host
        self.catalogs = catalogs or CatalogRegistry()
        self.services = AgriServices(self.catalogs, calendars or CalendarProvider())
        host.runtime.register_services(self.services.operations())
        host.runtime.register_projector(CONSULTATION_PROCESS, project_consultation)
        host.runtime.register_projector(PUSH_PROCESS, project_push)

    def _step(self, fn: Any) -> Any:
        return run_step(self.host.session_factory, fn)

    def _now(self) -> datetime:
        return self.host.clock.now()

    def organisation(self, *, county: str = DEFAULT_COUNTY) -> Organisation:
        with self.host.session_factory() as session:
            catalogs = self.catalogs.in_force(county=county, session=session)
        if not catalogs:
            raise EngineError("尚无已公布的责任清单，无法确定组织架构")
        return catalogs[-1].organisation

    # -- growers ---------------------------------------------------------------------------
    def register_grower(
        self,
        *,
        name: str,
        village_id: str,
        crops: dict[str, Any],
        phone: str = "",
        username: str | None = None,
        actor: str,
        county: str = DEFAULT_COUNTY,
    ) -> int:
        """:raises GrowerRejected: naming each bad field; nothing is stored."""
        organisation = self.organisation(county=county)
        return self._step(
            lambda s: (
                growers.register_grower(
                    name=name,
                    village_id=village_id,
                    crops=crops,
                    phone=phone,
                    username=username,
                    registered_by=actor,
                    organisation=organisation,
                    county=county,
                    now=self._now(),
                    session=s,
                ).id
            )
        )

    def askable_growers(self, account: Any) -> list[GrowerRecord]:
        """Growers ``account`` may ask for: themselves, or a grid worker's growers."""
        with self.host.session_factory() as session:
            if account.role == "grower":
                own = growers.grower_of_account(account.username, session=session)
                return [GrowerRecord.of(own)] if own else []
            if account.role == "grid_worker":
                found = growers.growers_for_grid_worker(
                    account.username,
                    account.grids,
                    self.organisation(county=account.county),
                    session=session,
                )
                return [GrowerRecord.of(g) for g in found]
        return []

    def _askable(self, account: Any, grower_id: int) -> Grower | None:
        """The grower if ``account`` may ask for them (one row read, not the whole list)."""
        with self.host.session_factory() as session:
            grower = session.get(Grower, grower_id)
        if grower is None or grower.county != account.county:
            return None
        if account.role == "grower":
            return grower if grower.username == account.username else None
        if account.role == "grid_worker":
            if grower.registered_by == account.username:
                return grower
            villages = growers.villages_of_grids(
                account.grids, self.organisation(county=account.county)
            )
            return grower if grower.village_id in villages else None
        return None

    # -- consultations -----------------------------------------------------------------------
    def ask(
        self,
        *,
        grower_id: int,
        crop: str,
        symptom: str,
        description: str,
        photos: Sequence[str] = (),
        account: Any,
    ) -> int:
        """A grower's question (or a grid worker's for them) starts a consultation.

        :raises FieldErrors: naming each bad field; nothing is stored.
        """
        errors: dict[str, str] = {}
        grower = self._askable(account, grower_id)
        if grower is None:
            errors["grower_id"] = "请选择您登记的种植户"
        if crop not in CROPS:
            errors["crop"] = "请选择作物"
        if symptom not in SYMPTOMS:
            errors["symptom"] = "请选择症状"
        description = (description or "").strip()
        if not description:
            errors["description"] = "请描述看到的情况（叶子、根、虫、浇水施肥等）"
        elif len(description) > MAX_TEXT:
            errors["description"] = f"描述不超过 {MAX_TEXT} 字"
        if len(photos) > MAX_PHOTOS:
            errors["photos"] = f"最多 {MAX_PHOTOS} 张照片"
        if errors:
            raise FieldErrors(errors, "未提交：")
        assert grower is not None
        groups = []
        if grower.username:
            groups.append(f"grower:{grower.username}")
        if account.role == "grid_worker":
            groups.append(f"grid:{account.username}")
        elif not grower.username:
            groups.append(f"grid:{grower.registered_by}")
        now = self._now()
        county = account.county

        def step(session: Session) -> int:
            consultation = Consultation(
                county=county,
                grower_id=grower.id,
                asked_by=account.username,
                crop=crop,
                symptom=symptom,
                description=description,
                photos=list(photos),
                township_id=grower.township_id,
                village_id=grower.village_id,
                asked_at=now,
            )
            start_for_row(
                consultation,
                CONSULTATION_PROCESS,
                lambda row: {
                    "consultation_id": row.id,
                    "crop": crop,
                    "village_id": grower.village_id,
                    "grower_groups": list(dict.fromkeys(groups)),
                },
                runtime=self.host.runtime,
                now=now,
                actor=account.username,
                county=county,
                business_key=lambda row: f"agri:{row.id}",
                session=session,
            )
            session.add(
                ConsultationMessage(
                    county=county,
                    consultation_id=consultation.id,
                    side="grower",
                    author=account.username,
                    body=description,
                    photos=list(photos),
                    at=now,
                )
            )
            return consultation.id

        return run_step_then_notify(self.host, step)

    def consultation(self, consultation_id: int) -> ConsultationRecord:
        with self.host.session_factory() as session:
            row = session.get(Consultation, consultation_id)
            if row is None:
                raise EngineError(f"咨询 {consultation_id} 不存在")
            return ConsultationRecord.of(row)

    def messages(self, consultation_id: int) -> list[MessageRecord]:
        with self.host.session_factory() as session:
            rows = session.scalars(
                select(ConsultationMessage)
                .where(ConsultationMessage.consultation_id == consultation_id)
                .order_by(ConsultationMessage.at, ConsultationMessage.id)
            )
            return [MessageRecord.of(m) for m in rows]

    def ready_task(self, consultation: ConsultationRecord) -> tuple[str, str, list[str]] | None:
        """``(task id, task name, candidate groups)`` of the step the consultation waits on."""
        if consultation.instance_id is None:
            return None
        for task in self.host.ready_tasks(
            instance_id=consultation.instance_id, county=consultation.county
        ):
            return task.id, task.task_name, task.candidate_groups
        return None

    def _complete(
        self,
        consultation_id: int,
        name: str,
        form: dict[str, Any],
        *,
        actor: str,
        groups: frozenset[str],
    ) -> None:
        consultation = self.consultation(consultation_id)
        ready = self.ready_task(consultation)
        if ready is None or ready[1] != name:
            raise EngineError("该咨询当前不在这一步，页面可能已过期，请刷新")
        self.host.complete_task(ready[0], form, actor=actor, groups=groups)

    def expert_reply(
        self, consultation_id: int, form: dict[str, Any], *, actor: str, groups: frozenset[str]
    ) -> None:
        """Ask back, or conclude with diagnosis and guidance.

        :raises FormRejected, NotPermitted, TaskAlreadyCompleted: see the host.
        """
        form = {k: v for k, v in form.items() if v not in (None, "")}
        if form.get("reply_kind") == "ask":  # a question back carries no conclusion
            for key in ("diagnosis", "guidance", "visit_date", "widespread"):
                form.pop(key, None)
        elif "widespread" not in form and form.get("reply_kind") == "conclude":
            form["widespread"] = False
        visit = form.get("visit_date")
        if visit:
            try:
                day = datetime.fromisoformat(str(visit)).date()
            except ValueError:
                raise FieldErrors({"visit_date": "应为日期（YYYY-MM-DD）"}, "未提交：") from None
            if day < self._now().date():
                raise FieldErrors({"visit_date": "现场查看日期不能早于今天"}, "未提交：")
        self._complete(consultation_id, "expert_reply", form, actor=actor, groups=groups)

    def grower_reply(
        self,
        consultation_id: int,
        message: str,
        photos: Sequence[str] = (),
        *,
        actor: str,
        groups: frozenset[str],
    ) -> None:
        form = {"message": (message or "").strip(), "photos": ",".join(photos)}
        self._complete(consultation_id, "grower_reply", form, actor=actor, groups=groups)

    def record_visit(
        self, consultation_id: int, findings: str, *, actor: str, groups: frozenset[str]
    ) -> None:
        form = {"visit_findings": (findings or "").strip()}
        self._complete(consultation_id, "field_visit", form, actor=actor, groups=groups)

    def rate(
        self,
        consultation_id: int,
        rating: str,
        comment: str = "",
        *,
        actor: str,
        groups: frozenset[str],
    ) -> None:
        if rating not in RATINGS:
            raise FieldErrors({"rating": "请选择评价"}, "未提交：")
        form = {"rating": rating, "rating_comment": (comment or "").strip()}
        self._complete(consultation_id, "rate_help", form, actor=actor, groups=groups)

    def open_tasks(self, groups: frozenset[str], *, county: str = DEFAULT_COUNTY) -> list[OpenTask]:
        """Consultations waiting for someone in ``groups``, oldest task first."""
        with self.host.session_factory() as session:
            rows = session.execute(
                select(HumanTask.id, HumanTask.task_name, HumanTask.candidate_groups, Consultation)
                .join(Consultation, Consultation.instance_id == HumanTask.instance_id)
                .where(HumanTask.county == county, HumanTask.state == "ready")
                .order_by(HumanTask.created_at)
            ).all()
            return [
                OpenTask(task_id, name, ConsultationRecord.of(consultation))
                for task_id, name, candidates, consultation in rows
                if groups & set(candidates)
            ]

    def consultations(
        self,
        *,
        county: str = DEFAULT_COUNTY,
        grower_ids: Sequence[int] | None = None,
        expert: str | None = None,
        asked_by: str | None = None,
        limit: int = 100,
    ) -> list[ConsultationRecord]:
        with self.host.session_factory() as session:
            stmt = select(Consultation).where(Consultation.county == county)
            if grower_ids is not None:
                stmt = stmt.where(Consultation.grower_id.in_(list(grower_ids)))
            if expert is not None:
                stmt = stmt.where(Consultation.expert == expert)
            if asked_by is not None:
                stmt = stmt.where(Consultation.asked_by == asked_by)
            rows = session.scalars(stmt.order_by(Consultation.id.desc()).limit(limit))
            return [ConsultationRecord.of(c) for c in rows]

    def grower(self, grower_id: int) -> GrowerRecord | None:
        with self.host.session_factory() as session:
            row = session.get(Grower, grower_id)
            return GrowerRecord.of(row) if row is not None else None

    # -- the specialty table ---------------------------------------------------------------------
    def specialty_table(self, *, county: str = DEFAULT_COUNTY) -> list[SpecialtyRecord]:
        with self.host.session_factory() as session:
            rows = experts.specialty_table(county=county, session=session)
            return [SpecialtyRecord.of(r) for r in rows]

    def add_specialty(self, crop: str, username: str, *, county: str = DEFAULT_COUNTY) -> None:
        self._step(lambda s: experts.add_specialty(crop, username, county=county, session=s))

    def remove_specialty(self, row_id: int, *, county: str = DEFAULT_COUNTY) -> None:
        self._step(lambda s: experts.remove_specialty(row_id, county=county, session=s))
