"""Case pages: the view of a complaint. Staff see routing, stages, photos and the full audit
trail (``bp``); the person who reported sees their complaints and tracks one by code
(``reporter_bp``)."""

from web.cases import mine, tracking
from web.cases.reporter_blueprint import bp as reporter_bp
from web.cases.views import bp

__all__ = ["bp", "mine", "reporter_bp", "tracking"]
