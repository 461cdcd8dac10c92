"""Keep the revision's stage and the units' opinions in step with its workflow."""

from __future__ import annotations

from sqlalchemy import select

from engine.catalog_revision.models import CatalogOpinion, CatalogRevision
from engine.core.instance_state import element_id, workflow_view
from engine.core.notifications import notify
from engine.core.persistence.models import CatalogVersion
from engine.core.projection import StepOutcome

# Which ready task tells the revision's stage.
_STAGE_OF_TASK = (("revise", "revising"), ("review", "review"), ("give_opinion", "collecting"))


def project_revision(outcome: StepOutcome) -> None:
    session = outcome.session
    view = workflow_view(outcome.workflow)
    revision_id = view.get("revision_id")
    revision = session.get(CatalogRevision, int(revision_id)) if revision_id else None
    if revision is None:
        return
    if revision.instance_id is None and outcome.record.id is not None:
        revision.instance_id = outcome.record.id
    task = outcome.completed_task
    if task is not None and element_id(task) == "give_opinion":
        _record_opinion(revision, task.data, outcome)
    if (
        task is not None
        and element_id(task) == "review"
        and task.data.get("review_decision") == "publish"
    ):
        # The service that published cannot know who decided; the step does.
        version = session.scalars(
            select(CatalogVersion).where(
                CatalogVersion.county == revision.county, CatalogVersion.label == revision.label
            )
        ).one()
        version.published_by = outcome.actor
    ready = {element_id(t) for t in outcome.ready.values()}
    stage = next((s for name, s in _STAGE_OF_TASK if name in ready), None)
    if outcome.workflow.completed:
        stage = "published" if view.get("review_decision") == "publish" else "withdrawn"
    if stage is not None and stage != revision.stage:
        if stage == "review":
            notify(
                ["orgdept"],
                county=revision.county,
                kind="catalog_review",
                title=f"责任清单草稿 {revision.label} 征求意见已结束，请审核",
                instance_id=outcome.record.id,
                now=outcome.now,
                session=session,
            )
        revision.stage = stage
    revision.updated_at = outcome.now


def _record_opinion(revision: CatalogRevision, data: dict, outcome: StepOutcome) -> None:
    opinion = outcome.session.scalars(
        select(CatalogOpinion).where(
            CatalogOpinion.revision_id == revision.id,
            CatalogOpinion.round == revision.round,
            CatalogOpinion.unit == data.get("opinion_unit"),
        )
    ).first()
    if opinion is None:
        return
    opinion.opinion = str(data.get("opinion"))
    opinion.comment = (data.get("comment") or "").strip() or None
    opinion.answered_at = outcome.now
    opinion.answered_by = outcome.actor
