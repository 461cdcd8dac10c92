"""The complaint domain on top of the engine: intake, services for the BPMN, projection."""

from engine.complaints.assignment import AssignmentRejected
from engine.complaints.assignment_desk import AssignmentDesk
from engine.complaints.case_view import CaseRef, CaseTask, CaseView, StageDeadline, short_title
from engine.complaints.console_queries import FormRecord, QueueItem
from engine.complaints.desk import SUPERVISION_NOTE_LIMIT, ComplaintDesk, Submitted
from engine.complaints.idempotency import MAX_KEY as MAX_IDEMPOTENCY_KEY
from engine.complaints.idempotency import Intent, KeyInFlight, KeyReused
from engine.complaints.inbox_queries import DUE_FILTERS, UNIT_STAGES, InboxFilters
from engine.complaints.intake import ComplaintReport, ReportRejected
from engine.complaints.phone_checks import MAX_FAILURES as MAX_PHONE_FAILURES
from engine.complaints.phone_checks import PhoneCheck
from engine.complaints.read_models.case_page import case_names, case_view
from engine.complaints.read_models.console import (
    approval_requests,
    console_counts,
    console_home,
    console_task,
    consultation_cases,
    contested_cases,
    contested_history,
    find_case,
    listed_ledger,
    overdue_board,
)
from engine.complaints.read_models.inbox import (
    UnitTask,
    assignment_table,
    inbox_page,
    inbox_totals,
    unit_staff,
    unit_task,
)
from engine.complaints.read_models.instance_case import CaseLink, case_of_instance
from engine.complaints.read_models.records import ComplaintRecord, TaskRecord
from engine.complaints.read_models.reporting import (
    CaseDetail,
    NotificationItem,
    TaskDetail,
    case_detail,
    notifications_of,
    public_steps,
    report_by_code,
    report_by_id,
    reports_of,
    task_detail,
    task_record,
    visible_reports,
)
from engine.complaints.read_models.task_forms import field_labels, task_forms
from engine.complaints.read_models.totals import ComplaintTotals, complaint_totals
from engine.complaints.report_queries import PublicStep, normalise_code
from engine.complaints.report_rules import (
    MAX_DESCRIPTION,
    MAX_REPORTER_NAME,
    check_report,
    text_problem,
)
from engine.complaints.visibility import can_view, reporter_actor

__all__ = [
    "DUE_FILTERS",
    "MAX_DESCRIPTION",
    "MAX_IDEMPOTENCY_KEY",
    "MAX_PHONE_FAILURES",
    "MAX_REPORTER_NAME",
    "SUPERVISION_NOTE_LIMIT",
    "UNIT_STAGES",
    "AssignmentDesk",
    "AssignmentRejected",
    "CaseDetail",
    "CaseLink",
    "CaseRef",
    "CaseTask",
    "CaseView",
    "ComplaintDesk",
    "ComplaintRecord",
    "ComplaintReport",
    "ComplaintTotals",
    "FormRecord",
    "InboxFilters",
    "Intent",
    "KeyInFlight",
    "KeyReused",
    "NotificationItem",
    "PhoneCheck",
    "PublicStep",
    "QueueItem",
    "ReportRejected",
    "StageDeadline",
    "Submitted",
    "TaskDetail",
    "TaskRecord",
    "UnitTask",
    "approval_requests",
    "assignment_table",
    "can_view",
    "case_detail",
    "case_names",
    "case_of_instance",
    "case_view",
    "check_report",
    "complaint_totals",
    "console_counts",
    "console_home",
    "console_task",
    "consultation_cases",
    "contested_cases",
    "contested_history",
    "field_labels",
    "find_case",
    "inbox_page",
    "inbox_totals",
    "listed_ledger",
    "normalise_code",
    "notifications_of",
    "overdue_board",
    "public_steps",
    "report_by_code",
    "report_by_id",
    "reporter_actor",
    "reports_of",
    "short_title",
    "task_detail",
    "task_forms",
    "task_record",
    "text_problem",
    "unit_staff",
    "unit_task",
    "visible_reports",
]
