"""The complaint domain on top of the engine: intake, services for the BPMN, projection."""

from engine.complaints.desk import ComplaintDesk, Submitted
from engine.complaints.intake import ComplaintReport
from engine.complaints.read_models.instance_case import CaseLink, case_of_instance
from engine.complaints.read_models.totals import ComplaintTotals, complaint_totals

__all__ = [
    "CaseLink",
    "ComplaintDesk",
    "ComplaintReport",
    "ComplaintTotals",
    "Submitted",
    "case_of_instance",
    "complaint_totals",
]

# Reporting: the one report validator, intake's input, and the reporter's reads.
from engine.complaints.intake import ComplaintReport, ReportRejected  # noqa: E402
from engine.complaints.report_rules import (  # noqa: E402
    MAX_DESCRIPTION,
    MAX_REPORTER_NAME,
    check_report,
    text_problem,
)
from engine.complaints.visibility import reporter_actor  # noqa: E402

__all__ += [
    "MAX_DESCRIPTION",
    "MAX_REPORTER_NAME",
    "ComplaintReport",
    "ReportRejected",
    "check_report",
    "reporter_actor",
    "text_problem",
]
