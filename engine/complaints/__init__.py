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

# Reporting: the one report validator, intake's input, and the reporter's reads.
from engine.complaints.case_view import CaseTask, StageDeadline  # noqa: E402
from engine.complaints.idempotency import Intent, KeyReused  # noqa: E402
from engine.complaints.intake import ComplaintReport, ReportRejected  # noqa: E402
from engine.complaints.phone_checks import MAX_FAILURES as MAX_PHONE_FAILURES  # noqa: E402
from engine.complaints.phone_checks import PhoneCheck  # noqa: E402
from engine.complaints.read_models.records import ComplaintRecord  # noqa: E402
from engine.complaints.read_models.reporting import (  # noqa: E402
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
from engine.complaints.report_queries import PublicStep, normalise_code  # noqa: E402
from engine.complaints.report_rules import (  # noqa: E402
    MAX_DESCRIPTION,
    MAX_REPORTER_NAME,
    check_report,
    text_problem,
)
from engine.complaints.visibility import can_view, reporter_actor  # noqa: E402

__all__ += [
    "MAX_DESCRIPTION",
    "MAX_PHONE_FAILURES",
    "MAX_REPORTER_NAME",
    "CaseDetail",
    "CaseTask",
    "ComplaintRecord",
    "ComplaintReport",
    "StageDeadline",
    "case_detail",
    "NotificationItem",
    "PublicStep",
    "TaskDetail",
    "normalise_code",
    "notifications_of",
    "public_steps",
    "report_by_code",
    "report_by_id",
    "reports_of",
    "task_detail",
    "task_record",
    "visible_reports",
    "Intent",
    "KeyReused",
    "PhoneCheck",
    "ReportRejected",
    "can_view",
    "check_report",
    "reporter_actor",
    "text_problem",
]

# The dispatcher console, the unit inbox and the case page: reads for pages, and the unit
# lead's desk for its table of who handles what.
from engine.complaints.assignment import AssignmentRejected  # noqa: E402
from engine.complaints.assignment_desk import AssignmentDesk  # noqa: E402
from engine.complaints.case_view import CaseRef, CaseView, short_title  # noqa: E402
from engine.complaints.console_queries import FormRecord, QueueItem  # noqa: E402
from engine.complaints.desk import SUPERVISION_NOTE_LIMIT  # noqa: E402
from engine.complaints.idempotency import MAX_KEY as MAX_IDEMPOTENCY_KEY  # noqa: E402
from engine.complaints.idempotency import KeyInFlight  # noqa: E402
from engine.complaints.inbox_queries import DUE_FILTERS, UNIT_STAGES, InboxFilters  # noqa: E402
from engine.complaints.read_models.case_page import case_names, case_view  # noqa: E402
from engine.complaints.read_models.console import (  # noqa: E402
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
from engine.complaints.read_models.inbox import (  # noqa: E402
    UnitTask,
    assignment_table,
    inbox_page,
    inbox_totals,
    unit_staff,
    unit_task,
)
from engine.complaints.read_models.records import TaskRecord  # noqa: E402
from engine.complaints.read_models.task_forms import field_labels, task_forms  # noqa: E402

__all__ += [
    "DUE_FILTERS",
    "MAX_IDEMPOTENCY_KEY",
    "SUPERVISION_NOTE_LIMIT",
    "UNIT_STAGES",
    "AssignmentDesk",
    "AssignmentRejected",
    "CaseRef",
    "CaseView",
    "FormRecord",
    "InboxFilters",
    "KeyInFlight",
    "QueueItem",
    "TaskRecord",
    "UnitTask",
    "assignment_table",
    "case_names",
    "approval_requests",
    "case_view",
    "console_counts",
    "console_home",
    "console_task",
    "consultation_cases",
    "contested_cases",
    "contested_history",
    "find_case",
    "listed_ledger",
    "overdue_board",
    "field_labels",
    "inbox_page",
    "inbox_totals",
    "short_title",
    "task_forms",
    "unit_staff",
    "unit_task",
]
