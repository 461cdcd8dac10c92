"""Every domain desk wired onto one host: the composition the web app, the worker and the CLI
share. A desk registers its domain's service operations and projectors on the host when it is
built, so building them twice on one host would register them twice; build them here, once
per host, and hand the result around.

Besides the desks, the reference data every page reads (the catalog versions in force, the
working calendar) is read here with its own short session, so no caller holds one.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.agri import AgriDesk
from engine.catalog_revision import CatalogDesk
from engine.catalog_store import CatalogVersionDesk
from engine.complaints import AssignmentDesk
from engine.complaints.desk import ComplaintDesk
from engine.core.host import WorkflowHost
from engine.core.operator_desk import OperatorDesk
from engine.core.process_drafts import DraftDesk
from engine.open311 import Open311Desk
from engine.people import AccountDesk
from engine.service_operations import OperationDescription, describe_operations
from responsibility_catalog import Catalog
from rules import WorkingCalendar


@dataclass(frozen=True)
class Desks:
    host: WorkflowHost
    complaints: ComplaintDesk
    catalog: CatalogDesk
    agri: AgriDesk
    accounts: AccountDesk
    assignments: AssignmentDesk
    open311: Open311Desk
    catalog_versions: CatalogVersionDesk

    def drafts(self, county: str) -> DraftDesk:
        """The process designer's desk for one county (it holds no registrations)."""
        return DraftDesk(self.host, county=county)

    def operator(self, county: str) -> OperatorDesk:
        """The administrator's desk for one county's incidents and rollbacks."""
        return OperatorDesk(self.host, county=county)

    def service_operations(self) -> list[OperationDescription]:
        """The service operations diagrams may call (those the validator accepts), described
        for the designer's operation picker."""
        return describe_operations(self.host.runtime.services)

    def catalogs_in_force(self, county: str) -> tuple[Catalog, ...]:
        with self.host.session_factory() as session:
            return self.complaints.catalogs.in_force(county=county, session=session)

    def working_calendar(self, county: str) -> WorkingCalendar:
        with self.host.session_factory() as session:
            return self.complaints.calendars.calendar(county=county, session=session)


def wire_desks(host: WorkflowHost) -> Desks:
    """The desks of every domain on ``host``, sharing one catalog registry and one working
    calendar (a published catalog or holiday schedule is seen by all of them at once)."""
    complaints = ComplaintDesk(host)
    return Desks(
        host,
        complaints,
        CatalogDesk(host, complaints.calendars),
        AgriDesk(host, complaints.calendars, complaints.catalogs),
        AccountDesk(host),
        AssignmentDesk(host),
        Open311Desk(host),
        CatalogVersionDesk(host),
    )
