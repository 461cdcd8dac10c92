"""The analytics blueprint and who may see what."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("analytics", __name__, url_prefix="/analytics")

# County leaders and the big-data centre's head run analytics; the organisation department
# reads them (it convenes the units the lists name).
LEADERS = ("leader", "dispatch_lead", "orgdept", "admin")
# Who may publish a list or generate a report on demand.
PUBLISHERS = ("leader", "dispatch_lead", "admin")
# Units read published lists and reports (they are sent to every unit); the figures' cases
# only for their own unit.
UNITS = ("unit_staff", "unit_lead")
