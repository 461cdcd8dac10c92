"""The what-if from a draft page through the web: start (a background job), status with its
progress, the report side by side, the Excel download; bad requests refused in Chinese."""

from __future__ import annotations

import io
import re
import time

import pytest
from openpyxl import load_workbook

from cli.demo.users import DEMO_PASSWORD
from tests.web.conftest import csrf_from
from tests.web.whatif_county import DRAFT, whatif_county
from web.catalog_editor.whatif_jobs import (
    KEPT_PER_DRAFT,
    STALE_AFTER_S,
    AlreadyRunning,
    Job,
    JobStore,
    wait_until_idle,
)

START = f"/catalog/v/{DRAFT}/whatif"


@pytest.fixture
def app(tmp_path, clock, shipped_catalogs):
    app = whatif_county(tmp_path, clock, shipped_catalogs)
    jobs: list = []
    app.config["WHATIF_RUNNER"] = jobs.append  # the test runs each job when it chooses
    app.extensions["test.whatif_jobs"] = jobs
    return app


def _start(client, data):
    token = csrf_from(client.get(f"/catalog/v/{DRAFT}/").get_data(as_text=True))
    return client.post(START, data={"csrf_token": token, **data})


def test_start_progress_report_and_excel(app, login):
    jobs = app.extensions["test.whatif_jobs"]
    orgdept = login("orgdept")
    draft_page = orgdept.get(f"/catalog/v/{DRAFT}/").get_data(as_text=True)
    assert "用此草稿回放最近 3 个月" in draft_page

    started = _start(orgdept, {"months": "3", "scale": "1"})
    assert started.status_code == 303
    status_url = started.headers["Location"]
    assert len(jobs) == 1
    waiting = orgdept.get(status_url).get_data(as_text=True)
    assert "排队中" in waiting and 'http-equiv="refresh"' in waiting
    assert "2025-12-02 至 2026-03-02" in waiting and "规模 1.0（全部诉求）" in waiting

    # A second replay of the same draft while the first waits: refused, the first named.
    again = _start(orgdept, {"scale": "0.05"})
    assert again.status_code == 409
    assert "已有一次回放在进行" in again.get_data(as_text=True)
    assert len(jobs) == 1

    jobs.pop()()
    page = orgdept.get(status_url).get_data(as_text=True)
    assert "已完成" in page and 'http-equiv="refresh"' not in page
    assert "时段内共 12 件诉求，按规模 1.0 回放 12 件" in page
    contested = re.search(r'<tr class="(\w*)" data-measure="contested">(.*?)</tr>', page, re.S)
    assert contested, page
    assert contested.group(1) == "better"  # the draft's rule: fewer contested cases
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", contested.group(2))
    before, after = int(cells[0]), int(cells[1])
    assert before >= 3 and after == 0 and cells[2] == str(-before)
    assert "县城市管理综合行政执法局" in page and "小吕寨镇" in page

    excel = orgdept.get(f"{status_url}/report.xlsx")
    assert excel.status_code == 200
    book = load_workbook(io.BytesIO(excel.data))
    assert book.sheetnames == ["总览", "按单位", "按乡镇"]
    overview = {r[0]: r[1:] for r in book["总览"].iter_rows(values_only=True) if r[0]}
    assert overview["规模"][0] == 1.0
    assert overview["争议件数"][:3] == (before, 0, -before)
    rates = next(r for r in book["总览"].iter_rows() if r[0].value == "办理按时率")
    assert isinstance(rates[1].value, int | float) and 0 < rates[1].value <= 1
    assert rates[1].number_format == "0.0%"
    header = next(book["按乡镇"].iter_rows(values_only=True))
    assert header[:5] == (
        "乡镇",
        "编号",
        "诉求数·现行清单 2020-05",
        "诉求数·草稿 2026-03",
        "诉求数·差值",
    )
    townships = {r[1]: r for r in book["按乡镇"].iter_rows(min_row=2, values_only=True)}
    contested_base = header.index("争议件数·现行清单 2020-05")
    assert townships["xiaolvzhai"][contested_base] == before
    assert townships["xiaolvzhai"][contested_base + 1] == 0

    # The draft page links the replay; a new one may start now the first has finished.
    assert "回放（已完成）" in orgdept.get(f"/catalog/v/{DRAFT}/").get_data(as_text=True)
    assert _start(orgdept, {}).status_code == 303


@pytest.mark.parametrize(
    ("url", "data", "status", "message"),
    [
        ("/catalog/v/2099-01/whatif", {}, 404, "没有清单草稿“2099-01”"),
        ("/catalog/v/2020-05/whatif", {}, 400, "只有草稿可以回放比较"),
        (START, {"months": "12"}, 400, "回放时段须为 1 到 6 个月"),
        (START, {"months": "三"}, 400, "回放月数应为数字"),
        (START, {"scale": "0"}, 400, "规模须大于 0"),
        (START, {"scale": "abc"}, 400, "规模应为数字"),
    ],
)
def test_bad_requests_start_nothing(app, login, url, data, status, message):
    orgdept = login("orgdept")
    token = csrf_from(orgdept.get(f"/catalog/v/{DRAFT}/").get_data(as_text=True))
    answer = orgdept.post(url, data={"csrf_token": token, **data})
    assert answer.status_code == status
    assert message in answer.get_data(as_text=True)
    assert app.extensions["test.whatif_jobs"] == []


def test_only_the_department_starts_a_replay(app, login):
    dispatcher = login("dispatcher")
    assert "用此草稿回放" not in dispatcher.get(f"/catalog/v/{DRAFT}/").get_data(as_text=True)
    token = csrf_from(dispatcher.get("/catalog/").get_data(as_text=True))
    assert dispatcher.post(START, data={"csrf_token": token}).status_code == 403
    assert app.extensions["test.whatif_jobs"] == []
    assert "没有这次回放" in login("orgdept").get("/catalog/whatif/0123abcd").get_data(as_text=True)


def test_a_job_that_finds_nothing_to_replay_says_so(app, login, clock):
    from tests.engine.complaints.conftest import beijing

    clock.set(beijing("2026-09-01 09:00"))  # the last month holds no request
    orgdept = login("orgdept")
    status_url = _start(orgdept, {"months": "1", "scale": "1"}).headers["Location"]
    app.extensions["test.whatif_jobs"].pop()()
    page = orgdept.get(status_url).get_data(as_text=True)
    assert "未完成" in page and "2026-08-01 至 2026-08-31 没有可重放的诉求" in page
    assert orgdept.get(f"{status_url}/report.xlsx").status_code == 404


@pytest.fixture
def threaded_app(tmp_path, clock, shipped_catalogs):
    return whatif_county(tmp_path, clock, shipped_catalogs)  # the default, threaded runner


def test_the_default_runner_answers_at_once_and_replays_in_its_thread(threaded_app):
    client = threaded_app.test_client()
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    client.post(
        "/auth/login",
        data={"username": "orgdept", "password": DEMO_PASSWORD, "csrf_token": token},
    )
    started = _start(client, {"scale": "0.5"})
    assert started.status_code == 303  # answered before the replay ends
    wait_until_idle()
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "已完成" in page and "按规模 0.5 回放" in page


def _job_fields() -> dict:
    return dict(
        county="julu",
        label=DRAFT,
        base_label="2020-05",
        start="2025-12-02",
        end="2026-03-02",
        months=3,
        scale=0.05,
        requested_by="orgdept",
    )


def test_a_job_that_died_with_its_process_frees_its_draft(tmp_path):
    store = JobStore(tmp_path)
    fields = _job_fields() | {"requested_at": "2026-03-02T09:00:00+08:00"}
    dead = store.create(Job(id="dead01", touched=time.time() - STALE_AFTER_S - 1, **fields))
    shown = store.get(dead.id)
    assert shown.status == "failed" and "回放中断" in shown.error
    fresh = store.create(Job(id="fresh01", **fields))  # the dead job's lock is taken over
    with pytest.raises(AlreadyRunning) as refused:
        store.create(Job(id="third01", **fields))
    assert refused.value.job.id == fresh.id
    store.update(fresh.id, status="done")
    assert store.create(Job(id="fourth01", **fields)).id == "fourth01"


def test_a_draft_keeps_its_newest_finished_replays_only(tmp_path):
    """Every draft page reads the job files: old finished replays are deleted, not piled up."""
    store = JobStore(tmp_path)
    fields = _job_fields()
    for n in range(KEPT_PER_DRAFT + 3):
        job = store.create(
            Job(id=f"job{n:02d}", requested_at=f"2026-03-{n + 1:02d}T09:00", **fields)
        )
        store.update(job.id, status="done" if n % 2 else "failed")
    other = store.create(
        Job(id="other01", requested_at="2026-03-01T09:00", **(fields | {"label": "x"}))
    )
    store.update(other.id, status="done")
    newest = store.create(Job(id="newest", requested_at="2026-04-01T09:00", **fields))
    kept = [j.id for j in store.of_label("julu", DRAFT, limit=None)]
    assert kept == ["newest", *[f"job{n:02d}" for n in range(KEPT_PER_DRAFT + 2, 2, -1)]]
    assert not (tmp_path / "job00.json").exists() and not (tmp_path / "job02.json").exists()
    assert store.get(other.id) is not None  # another draft's replays are its own
    assert store.get(newest.id).status == "queued"
