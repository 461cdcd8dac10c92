"""Flask application: pages for each user group, the JSON API, static assets."""

from web.app import create_app

__all__ = ["create_app"]
