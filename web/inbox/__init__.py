"""The unit inbox: tasks for my unit, the task page with the stage's actions, and the
unit's own table of who handles what."""

from web.inbox import assignment_views, task_views  # noqa: F401  (routes on bp)
from web.inbox.views import bp

__all__ = ["bp"]
