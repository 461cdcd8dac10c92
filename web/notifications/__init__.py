"""In-app notifications for the signed-in person and the groups they act for."""

from web.notifications.views import bp, unread_count

__all__ = ["bp", "unread_count"]
