"""The case page for staff: routing explanation, stages, photos and the full audit trail."""

from web.cases.views import bp

__all__ = ["bp"]
