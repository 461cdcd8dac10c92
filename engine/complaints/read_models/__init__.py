"""Reads of the complaint domain for pages: each takes the host, opens its own read session
and returns frozen dataclasses, so a caller never holds a database row."""
