"""The process designer: definitions and their versions, drafts, validation, deployment,
diffs and instance views (issue 6, ADR 0005)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("designer", __name__, url_prefix="/designer")

# Designers change diagrams; dispatchers read versions and instance views.
EDITORS = ("designer",)
READERS = ("designer", "dispatcher", "dispatch_lead", "admin")

from web.designer import (  # noqa: E402,F401  (registers routes)
    deploy,
    drafts,
    instances,
    migration,
    panel_options,
    versions,
)
