"""The case pages of the person who reported: my complaints, and tracking by code for anyone
who holds one (an anonymous reporter proves the phone number given to see photos and rate).

They share the ``/cases`` prefix with the staff case page: a case page is the view of a
complaint, whoever looks at it; *report* names only the act of filing one (README, vocabulary).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reporter_cases", __name__, url_prefix="/cases")
