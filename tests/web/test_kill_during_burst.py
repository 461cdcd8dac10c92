"""kill -9 of the real server during a burst of reports (issue 18): clients that lost their
answer send the same request again, under the same ``Idempotency-Key``, until the restarted
server answers. Every report is stored exactly once, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from cli.catalog_db import seed_shipped_catalog
from engine.bootstrap import build_host
from engine.complaints.idempotency import IdempotencyKey
from engine.complaints.models import Complaint
from engine.core.config import EngineConfig
from tests.engine.complaints.conftest import BPMN_DIR
from tests.web.test_poisoned_server import _free_port

ROOT = Path(__file__).resolve().parents[2]
JUHAOBAN = Path(sys.executable).with_name("juhaoban")
CLIENTS = 4
REPORTS_EACH = 20  # 80 reports in all
KILLS_AFTER = (12, 26, 40, 54, 68)  # kill -9 once this many reports have been answered
MARKER = "断电测试"
TIMEOUT_S = 30


class Server:
    """``juhaoban serve`` as a subprocess; clients wait on :attr:`changed` while it is down."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env, self.folder = env, folder
        self.base = f"http://127.0.0.1:{_free_port()}"
        self.process: subprocess.Popen[bytes] | None = None
        self.generation = 0
        self.changed = threading.Condition()
        self.answered = 0

    def start(self) -> None:
        log = (self.folder / f"server-{self.generation}.log").open("wb")
        self.process = subprocess.Popen(
            [str(JUHAOBAN), "serve", "--port", self.base.rsplit(":", 1)[1]],
            env=self.env,
            cwd=self.folder,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 60
        while True:  # polling an external process, not waiting for a result
            assert self.process.poll() is None, self.log()
            assert time.monotonic() < deadline, "the server did not come up in 60 s"
            try:
                if requests.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.05)
        with self.changed:
            self.generation += 1
            self.changed.notify_all()

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.folder.glob("*.log")))

    def wait_answered(self, count: int) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: self.answered >= count, timeout=120), self.log()


def _client(server: Server, reports: list[tuple[str, dict]], results: dict, lost: list) -> None:
    """Send each report until it is answered; after a lost answer, wait for the restart."""
    with requests.Session() as http:
        for key, body in reports:
            while True:
                with server.changed:
                    generation = server.generation
                try:
                    answer = http.post(
                        f"{server.base}/api/complaints",
                        json=body,
                        headers={"Idempotency-Key": key},
                        timeout=TIMEOUT_S,
                    )
                except requests.RequestException:  # the server died under the request
                    lost.append(key)
                    with server.changed:
                        server.changed.wait_for(lambda g=generation: server.generation > g, 120)
                    continue
                assert answer.status_code == 201, answer.text
                results[key] = (
                    answer.json()["tracking_code"],
                    answer.headers.get("Idempotent-Replayed"),
                )
                with server.changed:
                    server.answered += 1
                    server.changed.notify_all()
                break


@pytest.mark.slow
def test_every_report_is_stored_once_when_the_server_is_killed_mid_burst(tmp_path, database_url):
    env = {
        **os.environ,
        "JUHAOBAN_INSTANCE_DIR": str(tmp_path),
        "JUHAOBAN_DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
    }
    config = EngineConfig.from_env(env)
    host = build_host(config, create_tables=True)
    seed_shipped_catalog(host)
    host.deploy_file(BPMN_DIR / "complaint.bpmn", actor="designer")

    reports = {
        f"{c}-{n}": (
            str(uuid.uuid4()),
            {
                "village_id": "xiguocheng-002",
                "matter_id": "D07-07",
                "description": f"{MARKER} 客户端{c} 第{n}件",
            },
        )
        for c in range(CLIENTS)
        for n in range(REPORTS_EACH)
    }
    server = Server(env, tmp_path)
    results: dict[str, tuple[str, str | None]] = {}
    lost: list[str] = []
    began = time.monotonic()
    server.start()
    try:
        clients = [
            threading.Thread(
                target=_client,
                args=(server, [reports[f"{c}-{n}"] for n in range(REPORTS_EACH)], results, lost),
            )
            for c in range(CLIENTS)
        ]
        for thread in clients:
            thread.start()
        for count in KILLS_AFTER:
            server.wait_answered(count)
            server.kill()  # mid-burst: every client has a request in flight or on its way
            server.start()
        for thread in clients:
            thread.join(timeout=120)
        assert not any(t.is_alive() for t in clients), server.log()
    finally:
        if server.process is not None and server.process.poll() is None:
            server.process.terminate()
            server.process.wait(timeout=15)
    elapsed = time.monotonic() - began

    with host.session_factory() as session:
        stored = session.execute(
            select(Complaint.description, Complaint.tracking_code).where(
                Complaint.description.like(f"{MARKER}%")
            )
        ).all()
        keys = session.scalar(select(func.count(IdempotencyKey.id)))
    host.session_factory.kw["bind"].dispose()
    replayed = sum(1 for _, flag in results.values() if flag == "true")
    print(
        f"{len(reports)} reports, {len(KILLS_AFTER)} kill -9, {len(lost)} answers lost, "
        f"{replayed} of them already stored (answered from the key), {elapsed:.1f} s"
    )
    assert lost, "no request was in flight at a kill: the test proved nothing"
    by_description: dict[str, list[str]] = {}
    for description, code in stored:
        by_description.setdefault(description, []).append(code)
    twice = {d: codes for d, codes in by_description.items() if len(codes) > 1}
    assert not twice, f"stored twice: {twice}"
    assert len(stored) == len(reports) == keys
    # Each client holds the tracking code of the one stored report it sent.
    for _, (key, body) in reports.items():
        assert by_description[body["description"]] == [results[key][0]]
