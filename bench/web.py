"""Latency of the unit inbox and the dispatcher console under load; prints one JSON object.

Builds a SQLite database with N open complaints (10,000 by default) through the real intake
and process, serves the app as README's production section does (gunicorn, one worker
process per core) on loopback, and has 20 concurrent keep-alive clients (signed in as a unit
user and as a dispatcher) fetch the inbox and the console for a fixed number of requests each.

Usage: ``python bench/web.py [--quick]``
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cli.demo.users import DEMO_PASSWORD, create_demo_users  # noqa: E402
from engine import VirtualClock, WorkflowHost  # noqa: E402
from engine.catalog_store import seed_versions  # noqa: E402
from engine.complaints.desk import ComplaintDesk  # noqa: E402
from engine.complaints.intake import ComplaintReport, submit_report  # noqa: E402
from engine.core.persistence import create_schema, make_engine, make_session_factory  # noqa: E402
from engine.core.transactions import run_step  # noqa: E402
from engine.maintenance import optimize_database  # noqa: E402
from responsibility_catalog import load_catalogs, shipped_data_path  # noqa: E402

# Reports arrive one a second over the last three hours: a realistic spread of matters and
# villages (few likely duplicates), most still within their sign-for limits.
T0 = datetime.now(UTC) - timedelta(hours=3)
WARMUP = 3
WATER_MATTERS = ["D07-01", "D07-02", "D07-07"]


def build(instance_dir: Path, count: int, seed: int = 11) -> None:
    """``count`` open complaints waiting for sign-for, spread over villages and matters."""
    url = f"sqlite:///{instance_dir / 'juhaoban.sqlite'}"
    db = make_engine(url)
    create_schema(db)
    clock = VirtualClock(T0)
    host = WorkflowHost(make_session_factory(db), clock)
    catalogs = load_catalogs(shipped_data_path())
    run_step(
        host.session_factory,
        lambda s: seed_versions(catalogs, county="julu", actor="bench", now=T0, session=s),
    )
    create_demo_users(host)
    host.deploy_file(ROOT / "bpmn" / "complaint.bpmn", actor="bench")
    desk = ComplaintDesk(host)
    villages = [v.id for v in catalogs[-1].organisation.villages]
    matters = [m.id for m in catalogs[-1].matters()]
    rng = random.Random(seed)

    # A fifth of the reports concern water, so the water centre's inbox is a heavy one.
    def chunk(session, size: int) -> None:
        for _ in range(size):
            clock.advance(timedelta(seconds=1))
            water = rng.random() < 0.2
            report = ComplaintReport(
                channel="app",
                village_id=rng.choice(villages),
                matter_id=rng.choice(WATER_MATTERS if water else matters),
                description="压测诉求",
                reporter_account="bench",
            )
            submit_report(
                report,
                runtime=host.runtime,
                registry=desk.catalogs,
                county="julu",
                actor="bench",
                now=clock.now(),
                session=session,
            )

    for offset in range(0, count, 500):
        size = min(500, count - offset)
        run_step(host.session_factory, lambda s, n=size: chunk(s, n))
    optimize_database(db)  # what the scheduler's hourly job does on a running platform


def serve(instance_dir: str, port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    """The production set-up of README: gunicorn, one worker process per core, threads."""
    env = dict(os.environ, JUHAOBAN_INSTANCE_DIR=instance_dir, JUHAOBAN_SECRET_KEY="bench")
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "web:create_app()",
        ],
        env=env,
        cwd=ROOT,
    )


def _wait_until_serving(server: subprocess.Popen[bytes], port: int) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode} before serving")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not answer /healthz within 30 s")


def _wait_until_models_fitted(port: int, *, timeout_s: float = 600) -> None:
    """Each worker fits the matter-suggestion models in the background when it starts (9-29 s of
    CPU, issue 20). Measured before they are fitted, the pages would be timed against that CPU,
    not against their own work: wait until the suggestion answer stops saying ``pending`` on
    enough consecutive requests that every worker has answered."""
    query = "/report/suggest?" + urllib.parse.urlencode({"text": "路灯坏了好几天了"})
    deadline = time.monotonic() + timeout_s
    ready = 0
    while ready < 20:
        if time.monotonic() > deadline:
            raise SystemExit("the suggestion models were not fitted in time")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", query)
        answer = json.loads(conn.getresponse().read())
        ready = 0 if answer.get("pending") else ready + 1
        time.sleep(0.25)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, port: int, username: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""
        page = self.request("GET", "/auth/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode(
            {"username": username, "password": DEMO_PASSWORD, "csrf_token": token}
        )
        self.request("POST", "/auth/login", body, expect=302)

    def request(self, method: str, path: str, body: str | None = None, expect: int = 200) -> str:
        headers = {"Cookie": self.cookie}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                self.cookie = value.split(";", 1)[0]
        if response.status != expect:
            raise RuntimeError(f"{method} {path}: {response.status}")
        return text


def load(port: int, clients: int, per_client: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {"inbox": [], "console": []}
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def run(n: int) -> None:
        kind, user, path = (
            ("inbox", "water", "/inbox/") if n % 2 == 0 else ("console", "dispatcher", "/console/")
        )
        client = Client(port, user)
        # Warm-up, not measured: each worker process loads the catalog versions and the
        # calendar once; the figures are for a server that has been running.
        for _ in range(WARMUP):
            client.request("GET", path)
        start.wait()
        mine = []
        for _ in range(per_client):
            t = time.perf_counter()
            client.request("GET", path)
            mine.append((time.perf_counter() - t) * 1000)
        with lock:
            samples[kind].extend(mine)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return samples


WRK_SCRIPT = r"""
local threads = {}
setup = function(thread) table.insert(threads, thread) end
init = function(args) bad = 0 end
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
done = function(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do not_ok = not_ok + thread:get("bad") end
  io.write(string.format('{"p50_ms": %.1f, "p95_ms": %.1f, "requests": %d, "not_ok": %d}\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.requests, not_ok))
end
"""


def load_with_wrk(port: int, clients: int, seconds: int, workdir: Path) -> dict[str, dict]:
    """Half the connections on the inbox, half on the console, at the same time, from wrk
    (a C load generator: the clients take almost no CPU from the server they measure)."""
    script = workdir / "report.lua"
    script.write_text(WRK_SCRIPT.replace("\\\\n", "\\n"), encoding="utf-8")
    runs = {}
    for kind, user, path in (("inbox", "water", "/inbox/"), ("console", "dispatcher", "/console/")):
        client = Client(port, user)
        for _ in range(WARMUP):
            client.request("GET", path)
        runs[kind] = subprocess.Popen(
            [
                "wrk",
                "-t1",
                f"-c{clients // 2}",
                f"-d{seconds}s",
                "--timeout",
                "5s",
                "-H",
                f"Cookie: {client.cookie}",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}{path}",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
    results = {}
    for kind, process in runs.items():
        out, _ = process.communicate(timeout=seconds + 60)
        line = next(line for line in out.splitlines() if line.startswith("{"))
        results[kind] = json.loads(line)
        if results[kind]["not_ok"]:
            raise SystemExit(f"{kind}: {results[kind]['not_ok']} responses were not 200")
    return results


def _pct(values: list[float], q: float) -> float:
    return round(statistics.quantiles(values, n=100)[int(q) - 1], 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 tasks, fewer requests")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--client",
        choices=["wrk", "python"],
        default="wrk",
        help="load generator: wrk (Debian package) or Python threads",
    )
    args = parser.parse_args()
    if args.client == "wrk" and shutil.which("wrk") is None:
        raise SystemExit(
            "wrk is not installed (Debian: apt-get install wrk); or use --client python"
        )
    logging.disable(logging.WARNING)
    count, per_client = (2000, 10) if args.quick else (10_000, 25)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp), count)
        built = time.perf_counter() - started
        port = _free_port()
        workers = args.workers
        server = serve(tmp, port, workers, args.threads)
        _wait_until_serving(server, port)
        _wait_until_models_fitted(port)
        try:
            if args.client == "wrk":
                results = load_with_wrk(port, 20, 8 if args.quick else 20, Path(tmp))
                figures = {
                    f"{kind}_{key}": value
                    for kind, result in results.items()
                    for key, value in result.items()
                    if key != "not_ok"
                }
            else:
                samples = load(port, 20, per_client)
                figures = {
                    f"{kind}_{name}_ms": _pct(values, q)
                    for kind, values in samples.items()
                    for name, q in (("p50", 50), ("p95", 95))
                } | {"requests": sum(len(v) for v in samples.values())}
        finally:
            server.terminate()
            server.wait(timeout=30)
    report = {
        "quick": args.quick,
        "open_tasks": count,
        "clients": 20,
        "client": args.client,
        "server_workers": args.workers,
        "server_threads": args.threads,
    }
    report |= figures
    report |= {"build_s": round(built, 1), "wall_s": round(time.perf_counter() - started, 1)}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
