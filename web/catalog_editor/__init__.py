"""The organisation department's catalog editor: drafts, consultation, publication,
contested matters (issue 7, ADR 0006)."""

from __future__ import annotations

from flask.blueprints import BlueprintSetupState

from engine.catalog_revision import CatalogDesk
from web.catalog_editor.blueprint import bp
from web.catalog_editor.common import display_title


@bp.record_once
def _wire(state: BlueprintSetupState) -> None:
    """The catalog desk shares the app's host and working calendar."""
    app = state.app
    platform = app.extensions["juhaoban"]
    app.extensions["juhaoban.catalog"] = CatalogDesk(platform.host, platform.desk.calendars)
    app.jinja_env.globals["opinion_tasks_count"] = opinions.open_count
    app.jinja_env.globals["catalog_title"] = display_title


from web.catalog_editor import (  # noqa: E402  (views register on the blueprint)
    browse,
    consultation,
    edit,
    feedback,
    opinions,
    versions,
)

__all__ = ["bp", "browse", "consultation", "edit", "feedback", "opinions", "versions"]
