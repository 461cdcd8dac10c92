"""What every view needs: the workflow host, the desks wired on it once (engine.desks) and
where uploads go. ``init_app`` attaches them as the ``juhaoban`` extension, as Flask
extensions do; blueprints read them from there and never build a desk of their own."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from engine.complaints import ComplaintDesk
from engine.core import WorkflowHost
from engine.desks import Desks

EXTENSION = "juhaoban"


@dataclass(frozen=True)
class Platform:
    desks: Desks
    uploads_dir: Path

    @property
    def host(self) -> WorkflowHost:
        return self.desks.host

    @property
    def desk(self) -> ComplaintDesk:
        """The complaint desk (most pages' only desk)."""
        return self.desks.complaints

    def init_app(self, app: Flask) -> None:
        app.extensions[EXTENSION] = self
        app.extensions["juhaoban.host"] = self.host


def current_platform() -> Platform:
    return current_app.extensions[EXTENSION]


def current_desks() -> Desks:
    return current_platform().desks
