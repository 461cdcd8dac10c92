"""The unit inbox: tasks for my unit, the task page with the stage's actions."""

from web.inbox.views import bp

__all__ = ["bp"]
