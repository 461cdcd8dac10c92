"""What every view needs: the workflow host and the complaint desk of this app."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from engine.complaints.desk import ComplaintDesk
from engine.core.host import WorkflowHost


@dataclass(frozen=True)
class Platform:
    host: WorkflowHost
    desk: ComplaintDesk
    uploads_dir: Path


def current_platform() -> Platform:
    return current_app.extensions["juhaoban"]
