"""What-if replays as background jobs (ADR 0022): a job's state is a JSON file in the
instance folder, written by the job as it goes and read by the status page; a lock file per
draft keeps a second replay of the same draft from starting; one worker thread per web
process runs the jobs one after another."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# A running job writes its progress at least once per replayed 1 % of requests; a job whose
# file has not changed for this long died with its process (a restart, a crash).
STALE_AFTER_S = 30 * 60
# Finished replays kept per draft (its page lists them; older ones are deleted).
KEPT_PER_DRAFT = 5
STATUS_LABELS = {"queued": "排队中", "running": "回放中", "done": "已完成", "failed": "未完成"}

Runner = Callable[[Callable[[], None]], None]


class AlreadyRunning(Exception):
    def __init__(self, job: Job) -> None:
        super().__init__(job.id)
        self.job = job


@dataclass(frozen=True)
class Job:
    id: str
    county: str
    label: str
    base_label: str
    start: str
    end: str
    months: int
    scale: float
    requested_by: str
    requested_at: str
    status: str = "queued"
    progress: float = 0.0
    message: str = ""
    error: str | None = None
    report: dict[str, Any] | None = None
    # Wall-clock seconds of the last write: operational bookkeeping of this process, not a
    # business time (those come from the engine's clock).
    touched: float = field(default_factory=time.time)

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def percent(self) -> int:
        return int(self.progress * 100)


class JobStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()

    def _path(self, job_id: str) -> Path:
        return self.folder / f"{job_id}.json"

    def _lock_path(self, county: str, label: str) -> Path:
        digest = hashlib.sha256(f"{county}\0{label}".encode()).hexdigest()[:24]
        return self.folder / f"running-{digest}.lock"

    def get(self, job_id: str) -> Job | None:
        if not job_id.isalnum() or len(job_id) > 32:
            return None
        try:
            data = json.loads(self._path(job_id).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        job = Job(**data)
        if not job.finished and time.time() - job.touched > STALE_AFTER_S:
            return replace(job, status="failed", error="回放中断（服务重启或进程退出），请重新开始")
        return job

    def _write(self, job: Job) -> None:
        path = self._path(job.id)
        scratch = path.with_suffix(f".{threading.get_ident()}.tmp")
        scratch.write_text(json.dumps(asdict(job), ensure_ascii=False), encoding="utf-8")
        os.replace(scratch, path)  # readers see the old state or the new one, never half

    def create(self, job: Job) -> Job:
        """Store a new queued job, unless one of the same draft is queued or running.

        :raises AlreadyRunning: with that job.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        lock = self._lock_path(job.county, job.label)
        with self._lock:
            for _attempt in range(2):
                try:
                    fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                except FileExistsError:
                    holder = self.get(lock.read_text(encoding="utf-8").strip())
                    if holder is not None and not holder.finished:
                        raise AlreadyRunning(holder) from None
                    lock.unlink(missing_ok=True)  # a dead job's lock
                    continue
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(job.id)
                self._write(job)
                self._prune(job.county, job.label)
                return job
        raise AlreadyRunning(job)  # pragma: no cover - another process won the race twice

    def update(self, job_id: str, **changes: Any) -> Job:
        with self._lock:
            current = self.get(job_id)
            assert current is not None, job_id
            job = replace(current, touched=time.time(), **changes)
            self._write(job)
        if job.finished:
            self._lock_path(job.county, job.label).unlink(missing_ok=True)
        return job

    def _prune(self, county: str, label: str) -> None:
        """Forget the draft's finished jobs beyond the newest :data:`KEPT_PER_DRAFT`: the
        draft page lists only those, and every page view reads the folder."""
        finished = [j for j in self.of_label(county, label, limit=None) if j.finished]
        for old in finished[KEPT_PER_DRAFT:]:
            self._path(old.id).unlink(missing_ok=True)

    def of_label(self, county: str, label: str, limit: int | None = 5) -> list[Job]:
        """The draft's latest jobs, newest first."""
        if not self.folder.exists():
            return []
        found = []
        for path in self.folder.glob("*.json"):
            job = self.get(path.stem)
            if job is not None and job.county == county and job.label == label:
                found.append(job)
        return sorted(found, key=lambda j: j.requested_at, reverse=True)[:limit]


_queue: queue.Queue[Callable[[], None]] = queue.Queue()
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def _work() -> None:
    while True:
        job = _queue.get()
        try:
            job()
        except Exception:  # the job records its own failure; this keeps the worker alive
            log.exception("what-if job failed outside its own handling")
        finally:
            _queue.task_done()


def wait_until_idle() -> None:
    """Block until every queued job has run (for tests and an orderly shutdown)."""
    _queue.join()


def thread_runner(job: Callable[[], None]) -> None:
    """Queue the job for this process's single what-if worker: the simulator tunes the
    process's garbage collector while it runs, so two replays must not overlap."""
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="whatif-replay", daemon=True)
            _worker.start()
    _queue.put(job)


def new_job_id() -> str:
    return secrets.token_hex(8)
