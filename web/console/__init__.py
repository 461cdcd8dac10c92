"""The dispatcher console: unrouted and contested queues, approvals, overdue, consultations."""

from web.console.views import bp

__all__ = ["bp"]
