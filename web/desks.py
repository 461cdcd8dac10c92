"""Every domain desk wired onto a host, for processes without the web app (``juhaoban
worker``): a timer that fires a service task (a reminder, an escalation, a scheduled push)
needs the domain's service operations registered on the host that sweeps it."""

from __future__ import annotations

from dataclasses import dataclass

from engine.agri import AgriDesk
from engine.catalog_revision import CatalogDesk
from engine.complaints.desk import ComplaintDesk
from engine.core.host import WorkflowHost


@dataclass(frozen=True)
class Desks:
    complaints: ComplaintDesk
    catalog: CatalogDesk
    agri: AgriDesk


def wire_desks(host: WorkflowHost) -> Desks:
    complaints = ComplaintDesk(host)
    return Desks(
        complaints,
        CatalogDesk(host, complaints.calendars),
        AgriDesk(host, complaints.calendars, complaints.catalogs),
    )
