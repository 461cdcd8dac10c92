"""The JSON API over the same service layer, with its OpenAPI document."""

from web.api.views import bp

__all__ = ["bp"]
