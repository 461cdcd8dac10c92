"""Agricultural expert consultation pages (issue 11, ADR 0008)."""

from __future__ import annotations

from flask.blueprints import BlueprintSetupState

from web.agri.blueprint import bp
from web.agri.common import LABELS, is_bureau


@bp.record_once
def _wire(state: BlueprintSetupState) -> None:
    """The agriculture desk is the one the app wired (engine.desks)."""
    app = state.app
    app.extensions["juhaoban.agri"] = app.extensions["juhaoban"].desks.agri
    app.jinja_env.globals["agri_open_count"] = expert_views.open_count
    app.jinja_env.globals["agri_labels"] = LABELS
    app.jinja_env.globals["is_agri_bureau"] = is_bureau


from web.agri import (  # noqa: E402  (views register on the blueprint)
    consultation_views,
    expert_views,
    grower_views,
    push_views,
)

__all__ = ["bp", "consultation_views", "expert_views", "grower_views", "push_views"]
