"""The dispatcher console: unrouted and contested queues, approvals, overdue, consultations."""

from web.console import actions, approvals, consultations, contested, supervision, views
from web.console.blueprint import bp

__all__ = ["actions", "approvals", "bp", "consultations", "contested", "supervision", "views"]
