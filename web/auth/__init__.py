"""Sign-in for staff, grid workers and residents; who is signed in; role checks."""

from web.auth.access import current_account, login_required, roles_required
from web.auth.views import bp

__all__ = ["bp", "current_account", "login_required", "roles_required"]
