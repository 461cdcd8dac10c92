"""The complaint domain on top of the engine: intake, services for the BPMN, projection."""

from engine.complaints.desk import ComplaintDesk, Submitted
from engine.complaints.read_models.instance_case import CaseLink, case_of_instance
from engine.complaints.read_models.totals import ComplaintTotals, complaint_totals

__all__ = [
    "CaseLink",
    "ComplaintDesk",
    "ComplaintTotals",
    "Submitted",
    "case_of_instance",
    "complaint_totals",
]
