"""Service operations of ``bpmn/catalog_revision.bpmn`` (ADR 0006).

Each runs inside an engine step: it reads the step's instant and transaction, changes the
draft's status and the revision's projections, and returns plain data for the process.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select

from engine.catalog_revision.drafts import current_published, set_status
from engine.catalog_revision.models import CatalogOpinion, CatalogRevision
from engine.catalog_store import load_version, publish_version
from engine.core.notifications import notify
from engine.core.runtime import current_step
from engine.core.scripting import ServiceOperation
from engine.working_calendar.store import CalendarProvider
from responsibility_catalog import Status, affected_units
from rules import schedule_working_days

ACTOR = "catalog_revision"
MAX_OPINION_DAYS = 30


def _revision(data: Mapping[str, Any]) -> CatalogRevision:
    step = current_step()
    revision = step.session.get(CatalogRevision, int(data["revision_id"]))
    if revision is None:
        raise ValueError(f"征求意见记录 {data.get('revision_id')} 不存在")
    return revision


def _pending(revision: CatalogRevision) -> list[CatalogOpinion]:
    session = current_step().session
    return list(
        session.scalars(
            select(CatalogOpinion).where(
                CatalogOpinion.revision_id == revision.id,
                CatalogOpinion.round == revision.round,
                CatalogOpinion.opinion == "pending",
            )
        )
    )


class RevisionServices:
    def __init__(self, calendars: CalendarProvider) -> None:
        self.calendars = calendars

    def operations(self) -> dict[str, ServiceOperation]:
        return {
            "open_revision_round": self.open_revision_round,
            "schedule_opinion_deadline": self.schedule_opinion_deadline,
            "remind_pending_units": self.remind_pending_units,
            "record_lapsed_opinions": self.record_lapsed_opinions,
            "publish_revision": self.publish_revision,
            "set_revision_status": self.set_revision_status,
        }

    def open_revision_round(
        self, params: Mapping[str, Any], data: dict[str, Any]
    ) -> dict[str, Any]:
        """Freeze the draft for the round and list the units its changes affect."""
        step = current_step()
        session = step.session
        revision = _revision(data)
        set_status(
            revision.label,
            Status.CONSULTATION,
            county=step.county,
            actor=ACTOR,
            now=step.now,
            session=session,
        )
        draft = load_version(revision.label, county=step.county, session=session)
        base = current_published(county=step.county, session=session)
        concerned = affected_units(base, draft)
        revision.round += 1
        revision.stage = "collecting" if concerned else "review"
        revision.deadline = None
        revision.updated_at = step.now
        for unit, matters in concerned.items():
            session.add(
                CatalogOpinion(
                    county=step.county,
                    revision_id=revision.id,
                    round=revision.round,
                    unit=unit,
                    matters=list(matters),
                )
            )
        return {"number": revision.round, "units": list(concerned)}

    def schedule_opinion_deadline(
        self, params: Mapping[str, Any], data: dict[str, Any]
    ) -> dict[str, Any]:
        """Close of business after ``days`` working days; the reminder at 80 % of the way."""
        step = current_step()
        days = int(params["days"])
        calendar = self.calendars.calendar(county=step.county, session=step.session)
        deadline = schedule_working_days(step.now, days, calendar)
        revision = _revision(data)
        revision.deadline = deadline.due
        return deadline.to_dict()

    def remind_pending_units(
        self, params: Mapping[str, Any], data: dict[str, Any]
    ) -> dict[str, Any]:
        step = current_step()
        revision = _revision(data)
        pending = _pending(revision)
        for opinion in pending:
            opinion.reminded_at = step.now
        deadline = data.get("opinion_deadline", {}).get("due", "")
        sent = notify(
            [o.unit for o in pending],
            county=step.county,
            kind="catalog_consultation_reminder",
            title=f"责任清单草稿 {revision.label} 征求意见即将截止，请尽快反馈",
            body=deadline,
            instance_id=step.instance_id,
            now=step.now,
            session=step.session,
        )
        return {"reminded": sorted(o.unit for o in pending), "sent": sent}

    def record_lapsed_opinions(
        self, params: Mapping[str, Any], data: dict[str, Any]
    ) -> dict[str, Any]:
        """Units that did not answer by the deadline are recorded as having no opinion."""
        step = current_step()
        revision = _revision(data)
        lapsed = _pending(revision)
        for opinion in lapsed:
            opinion.opinion = "none"
            opinion.comment = "逾期未反馈，视为无意见"
            opinion.answered_at = step.now
        return {"units": sorted(o.unit for o in lapsed)}

    def publish_revision(self, params: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        step = current_step()
        revision = _revision(data)
        effective = date.fromisoformat(str(params["effective"]))
        superseded = publish_version(
            revision.label,
            effective,
            county=step.county,
            actor=str(data.get("published_by") or ACTOR),
            now=step.now,
            session=step.session,
        )
        revision.effective = effective
        notify(
            ["dispatcher"],
            county=step.county,
            kind="catalog_published",
            title=f"责任清单 {revision.label} 已公布，自 {effective.isoformat()} 起施行",
            instance_id=step.instance_id,
            now=step.now,
            session=step.session,
        )
        return {
            "label": revision.label,
            "effective": effective.isoformat(),
            "superseded": superseded,
        }

    def set_revision_status(
        self, params: Mapping[str, Any], data: dict[str, Any]
    ) -> dict[str, Any]:
        step = current_step()
        revision = _revision(data)
        status = Status(str(params["status"]))
        set_status(
            revision.label,
            status,
            county=step.county,
            actor=ACTOR,
            now=step.now,
            session=step.session,
        )
        return {"status": status.value}
