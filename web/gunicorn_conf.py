"""gunicorn settings for the web processes (README "Production"):
``gunicorn -c python:web.gunicorn_conf 'web:create_app()'``.

Web processes serve pages only: ``create_app()`` does not start the timer scheduler (that is
``juhaoban worker``'s job), so any number of them can run. Everything here can be overridden
on the command line or with ``GUNICORN_CMD_ARGS``.
"""

from __future__ import annotations

import os
from typing import Any

# One sync worker process per core: the GIL made threads slower (docs/BENCHMARKS.md).
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
bind = os.environ.get("JUHAOBAN_BIND", "127.0.0.1:8000")  # nginx in front (deploy/nginx.conf)
# A 30 MB photo upload over a slow village line, or the half-year report, takes a while.
timeout = 120
graceful_timeout = 30
# The app logs through ``logging`` (JUHAOBAN_LOG_FORMAT=json for JSON lines); gunicorn's own
# access log would be a second, differently shaped line per request.
accesslog = None
errorlog = "-"


def child_exit(server: Any, worker: Any) -> None:
    """A worker process ended: its live gauges must stop counting in /metrics (prometheus_client's
    multiprocess mode; its counters are kept, they are history)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker: Any) -> None:
    """Fit the matter-suggestion models in the background as each worker starts, so the first
    resident to type does not wait for it (engine.intake.models)."""
    from flask import Flask

    from web.report.suggestions import warm_up

    if isinstance(worker.wsgi, Flask):
        warm_up(worker.wsgi)
