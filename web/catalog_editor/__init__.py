"""The organisation department's catalog editor: drafts, consultation, publication,
contested matters (issue 7, ADR 0006)."""

from __future__ import annotations

from flask.blueprints import BlueprintSetupState

from web.catalog_editor.blueprint import bp
from web.catalog_editor.common import display_title


@bp.record_once
def _wire(state: BlueprintSetupState) -> None:
    """The catalog desk is the one the app wired (engine.desks)."""
    app = state.app
    app.extensions["juhaoban.catalog"] = app.extensions["juhaoban"].desks.catalog
    app.jinja_env.globals["opinion_tasks_count"] = opinions.open_count
    app.jinja_env.globals["catalog_title"] = display_title
    app.jinja_env.globals["whatif_for"] = whatif.whatif_context


from web.catalog_editor import (  # noqa: E402  (views register on the blueprint)
    browse,
    consultation,
    edit,
    feedback,
    opinions,
    versions,
    whatif,
)

__all__ = ["bp", "browse", "consultation", "edit", "feedback", "opinions", "versions", "whatif"]
