"""The workflow host a command works on: the database named by the environment, its tables
created or checked (``JUHAOBAN_DATABASE_URL`` and friends, see ``EngineConfig``)."""

from __future__ import annotations

from engine import WorkflowHost
from engine.bootstrap import build_host
from engine.core import EngineConfig


def open_host() -> WorkflowHost:
    return build_host(EngineConfig.from_env(), create_tables=True)
