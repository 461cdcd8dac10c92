"""Where the processes' log records go and in what shape.

``JUHAOBAN_LOG_FORMAT=json`` writes each record as one JSON line (for a log shipper):
``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message`` and, when the record was emitted
during a workflow step, ``process_key``, ``instance_id``, ``case_id`` (the complaint's tracking
code) and ``element`` (:mod:`engine.core.log_context`); ``exception`` holds a traceback. Any other
value (default ``text``) writes readable lines with the same ids in brackets.
``JUHAOBAN_LOG_LEVEL`` (default ``INFO``) filters; each step writes one line at ``DEBUG``
(``engine.steps``), so ``INFO`` keeps a busy county's log to sweeps, failures and warnings.

The formatter is the standard library's ``json`` over a fixed set of fields: ``ensure_ascii``
off keeps Chinese messages readable, and nothing else (arbitrary ``extra=`` fields, renaming)
is needed that a library such as python-json-logger would add.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import IO

from engine.core import LOG_FIELDS as FIELDS
from engine.core import StepContextFilter

FORMAT_ENV = "JUHAOBAN_LOG_FORMAT"
LEVEL_ENV = "JUHAOBAN_LOG_LEVEL"
_MARK = "_juhaoban_handler"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        ids = " ".join(
            f"{name}={value}"
            for name in FIELDS
            if (value := getattr(record, name, None)) is not None
        )
        return f"{line} [{ids}]" if ids else line


def configure_logging(
    log_format: str | None = None, *, level: str | None = None, stream: IO[str] | None = None
) -> logging.Handler:
    """Install the process's log handler on the root logger (replacing one installed before,
    so calling it again is harmless)."""
    log_format = (log_format or os.environ.get(FORMAT_ENV) or "text").lower()
    if log_format not in ("json", "text"):
        raise ValueError(f"{FORMAT_ENV}={log_format} 无效：只能是 json 或 text")
    level = (level or os.environ.get(LEVEL_ENV) or "INFO").upper()
    if level not in logging.getLevelNamesMapping():
        raise ValueError(f"{LEVEL_ENV}={level} 无效：可用 DEBUG、INFO、WARNING、ERROR")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(StepContextFilter())
    setattr(handler, _MARK, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def configure_from_env() -> None:
    """At start-up: install the handler unless something (a test runner, gunicorn's
    ``--log-config``) already configured the root logger — an explicit
    ``JUHAOBAN_LOG_FORMAT`` always wins."""
    root = logging.getLogger()
    ours = any(getattr(h, _MARK, False) for h in root.handlers)
    if (os.environ.get(FORMAT_ENV) and not ours) or not root.handlers:
        configure_logging()


__all__ = ["JsonFormatter", "TextFormatter", "configure_from_env", "configure_logging"]
