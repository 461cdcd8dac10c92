"""The case page and the case names beside tasks and notifications, read for a page."""

from __future__ import annotations

from collections.abc import Iterable

from engine.complaints.case_view import CaseRef, CaseView, case_refs, load_case
from engine.core.host import WorkflowHost


def case_view(host: WorkflowHost, complaint_id: int) -> CaseView | None:
    """The complaint, its stages, timeline and open tasks; None when there is no such case."""
    with host.session_factory() as session:
        return load_case(complaint_id, session=session)


def case_names(host: WorkflowHost, instance_ids: Iterable[int | None]) -> dict[int, CaseRef]:
    """The case (code and short title) behind each instance that carries a complaint."""
    with host.session_factory() as session:
        return case_refs(instance_ids, session=session)
