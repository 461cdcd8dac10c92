"""Grid workers without signal (issue 20, part 4), in Debian's Chromium at 390×844.

A report made offline waits on the phone (IndexedDB) with its photo, is sent when the
connection returns, and is stored exactly once -- also when the answer to a send is lost and
the same queued report goes out again under its submission token (ADR 0015).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from cli.demo.users import DEMO_PASSWORD
from tests.web.browser import Page, expect, shot
from tests.web.test_report_helpers import complaints

pytestmark = pytest.mark.slow

ROAD_PNG = Path(__file__).parent / "fixtures" / "road.png"
SERVER_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")  # web/report/views.py
MAJIAYING = ("xiguocheng", "xiguocheng-002")


def _grid_worker(browser, live_url: str, **context):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", **context)
    page = ctx.new_page()
    page.goto(f"{live_url}/auth/login")
    page.fill("#username", "gridworker")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_url}/report/new")
    expect(page.locator("#offline-queue")).to_be_visible()
    return ctx, page


def _controlled_by_the_worker(page: Page) -> None:
    # (wait_for_function would evaluate a string, which the page's CSP refuses)
    page.evaluate(
        """() => navigator.serviceWorker.controller !== null || new Promise((done) =>
          navigator.serviceWorker.addEventListener("controllerchange", () => done(true)))"""
    )


def _choose(page: Page, name: str, value: str) -> None:
    """A select of the report form set as a person's pick would set it (the pickers narrow
    each other on ``change``), whichever way the page shows it."""
    chosen = page.evaluate(
        """([name, value]) => {
          const field = document.querySelector(`#report-form select[name="${name}"]`);
          field.value = value;
          field.dispatchEvent(new Event("change", {bubbles: true}));
          return field.value;
        }""",
        [name, value],
    )
    assert chosen == value, name


def _fill(page: Page, description: str, photo: Path | None = None) -> None:
    _choose(page, "matter_id", "D07-07")
    _choose(page, "township_id", MAJIAYING[0])
    _choose(page, "village_id", MAJIAYING[1])
    page.fill("#description", description)
    page.fill("#reporter_name", "张大爷")
    page.check("input[name=consent]")
    if photo is not None:
        page.set_input_files("#photos", str(photo))


def _submit(page: Page) -> None:
    page.locator("#report-form button[type=submit]:not([name])").last.click()


def _stored(app, description: str):
    return [c for c in complaints(app) if c.description == description]


def test_offline_reports_wait_on_the_phone_and_are_sent_once_when_online(
    browser, live_url, app, tmp_path
):
    ctx, page = _grid_worker(browser, live_url)
    # The worker has installed and saved the page while there was signal.
    _controlled_by_the_worker(page)
    # Chromium reads the manifest and finds nothing against installing the page as an app
    # but the private window Playwright opens.
    cdp = ctx.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [] and manifest["manifest"]["name"] == "巨好办·我要反映"
    problems = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert {p["errorId"] for p in problems} <= {"in-incognito"}
    cdp.detach()
    ctx.set_offline(True)
    # Without signal the page still opens: the saved copy, which says so.
    page.reload()
    expect(page.locator(".offline-copy-note")).to_contain_text("没有网络")
    first_token = page.input_value("input[name=submission_token]")
    # The saved page's own token may have gone out with a report sent from it: a new one.
    saved = page.evaluate("caches.match('/report/new').then((r) => r.text())")
    saved_token = re.search(r'name="submission_token" value="([^"]+)"', saved).group(1)
    assert first_token != saved_token and SERVER_TOKEN.fullmatch(first_token)

    photo = tmp_path / "road.png"
    shutil.copy(ROAD_PNG, photo)
    first = "马家营村口路面塌陷，水管破了往外冒水，车过不去"
    _fill(page, first, photo)
    _submit(page)
    queue = page.locator("#offline-queue")
    expect(page.locator("#offline-count")).to_have_text("1")
    expect(queue).to_contain_text("马家营村口路面塌陷")
    expect(queue).to_contain_text("1 张照片")
    expect(queue).to_contain_text("待发送")
    # A blank form for the next report, under a token of its own.
    expect(page.locator("#description")).to_have_value("")
    second_token = page.input_value("input[name=submission_token]")
    assert second_token != first_token and SERVER_TOKEN.fullmatch(second_token)

    second = "马家营小学门口的路灯坏了一个多月，晚上接孩子看不见路"
    _fill(page, second)
    _submit(page)
    expect(page.locator("#offline-count")).to_have_text("2")
    expect(queue).to_contain_text("马家营小学门口的路灯")
    shot(page, "report-offline-queue-390")
    assert _stored(app, first) == [] and _stored(app, second) == []

    ctx.set_offline(False)  # the signal returns: the queue sends itself
    expect(page.locator("#offline-count")).to_have_text("0")
    expect(page.locator("#offline-sent li")).to_have_count(2)
    [report] = _stored(app, first)
    assert len(report.photos) == 1
    assert len(_stored(app, second)) == 1
    expect(page.locator("#offline-sent")).to_contain_text(report.tracking_code)
    shot(page, "report-offline-sent-390")
    # Nothing waits any more: a reload sends nothing again.
    page.reload()
    expect(page.locator("#offline-count")).to_have_text("0")
    assert len(_stored(app, first)) == 1 and len(_stored(app, second)) == 1
    ctx.close()


def test_a_queued_report_whose_answer_was_lost_is_stored_once(browser, live_url, app, tmp_path):
    # Request interception does not see what a service worker fetches: the queue is the page's.
    ctx, page = _grid_worker(browser, live_url, service_workers="block")
    ctx.set_offline(True)
    photo = tmp_path / "road.png"
    shutil.copy(ROAD_PNG, photo)
    text = "西郭城村东头垃圾池满出来半个月了，没人来拉"
    _fill(page, text, photo)
    _submit(page)
    expect(page.locator("#offline-count")).to_have_text("1")

    handled = []

    def lose_the_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        handled.append(route.fetch(max_redirects=0).status)  # the server files the report…
        route.abort("connectionreset")  # …and the phone never hears back

    page.route("**/report/new", lose_the_answer)
    ctx.set_offline(False)
    expect(page.locator("#offline-list")).to_contain_text("网络不通")
    expect(page.locator("#offline-count")).to_have_text("1")
    assert handled == [302]
    [report] = _stored(app, text)

    page.unroute("**/report/new")
    page.get_by_role("button", name="立即发送").click()
    expect(page.locator("#offline-count")).to_have_text("0")
    expect(page.locator("#offline-sent")).to_contain_text(report.tracking_code)
    [again] = _stored(app, text)
    assert again.id == report.id and len(again.photos) == 1
    ctx.close()


def test_a_send_that_fails_on_the_network_is_kept_by_the_service_worker(
    browser, live_url, app, tmp_path
):
    ctx, page = _grid_worker(browser, live_url)
    _controlled_by_the_worker(page)
    # The phone believes it has signal, so the form posts itself; the connection fails.
    page.evaluate("Object.defineProperty(navigator, 'onLine', {get: () => true})")
    ctx.set_offline(True)
    text = "马家营村自来水停了三天，一直没有来水"
    _fill(page, text)
    _submit(page)
    # The worker answered the failed post with the saved page and the queue.
    expect(page.locator("#offline-status")).to_contain_text("刚才网络断了，这条反映已存在手机上")
    expect(page).to_have_url(f"{live_url}/report/new")  # a reload will not say it again
    expect(page.locator("#offline-count")).to_have_text("1")
    expect(page.locator("#offline-list")).to_contain_text("马家营村自来水停了三天")
    assert _stored(app, text) == []
    ctx.set_offline(False)
    expect(page.locator("#offline-count")).to_have_text("0")
    assert len(_stored(app, text)) == 1
    ctx.close()


def test_a_queue_saved_under_an_old_session_gets_a_fresh_csrf_token(browser, live_url, app):
    ctx, page = _grid_worker(browser, live_url, service_workers="block")
    ctx.set_offline(True)
    text = "马家营村西头的排水沟堵了，下雨就往院里灌"
    _fill(page, text)
    _submit(page)
    expect(page.locator("#offline-count")).to_have_text("1")
    # Signed in again meanwhile (another tab, an expired session): the page's CSRF token is
    # no longer the session's.
    login = ctx.request.get(f"{live_url}/auth/login").text()
    token = login.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    signed_in = ctx.request.post(
        f"{live_url}/auth/login",
        form={"username": "gridworker", "password": DEMO_PASSWORD, "csrf_token": token},
        max_redirects=0,
    )
    assert signed_in.status == 302
    posts = []
    page.on(
        "response",
        lambda r: posts.append(r.status) if r.request.method == "POST" else None,
    )
    ctx.set_offline(False)
    expect(page.locator("#offline-count")).to_have_text("0")
    assert posts[0] == 400 and 302 in posts  # refused for its token, then sent with a new one
    assert len(_stored(app, text)) == 1
    ctx.close()


def test_a_queued_report_the_server_refuses_stays_visible_and_goes_back_into_the_form(
    browser, live_url, app, tmp_path
):
    ctx, page = _grid_worker(browser, live_url, service_workers="block")
    ctx.set_offline(True)
    photo = tmp_path / "road.png"
    shutil.copy(ROAD_PNG, photo)
    text = "马家营村后街的电线杆歪了，随时会倒"
    _fill(page, text, photo)
    page.fill("#reporter_name", "")  # forgotten in the hurry
    _submit(page)
    expect(page.locator("#offline-count")).to_have_text("1")

    ctx.set_offline(False)
    row = page.locator("#offline-list li")
    # (the refusal page's suggestions may train the shipped model first: seconds, once)
    expect(row).to_contain_text("未受理", timeout=20000)
    expect(row).to_contain_text("代群众反映须填写群众姓名")
    expect(page.locator("#offline-count")).to_have_text("1")  # kept, not dropped
    assert _stored(app, text) == []

    row.get_by_role("button", name="放回表单修改").click()
    expect(page.locator("#offline-count")).to_have_text("0")
    expect(page.locator("#description")).to_have_value(text)
    assert page.evaluate("document.getElementById('photos').files.length") == 1
    page.fill("#reporter_name", "张大爷")
    _submit(page)
    expect(page.locator(".tracking-code").first).to_be_visible()
    [report] = _stored(app, text)
    assert len(report.photos) == 1
    ctx.close()


def _queue_left(page: Page) -> int:
    """How many reports the offline queue holds, once it is empty or after 15 s (waited
    for in the page, on IndexedDB)."""
    return page.evaluate(
        """() => new Promise((done) => {
          const until = Date.now() + 15000;
          const check = () => {
            const opened = indexedDB.open("juhaoban-report-offline");
            opened.onsuccess = () => {
              const db = opened.result;
              const counted = db.transaction("queue").objectStore("queue").count();
              counted.onsuccess = () => {
                db.close();
                if (counted.result === 0 || Date.now() > until) {
                  done(counted.result);
                } else {
                  setTimeout(check, 100);
                }
              };
            };
          };
          check();
        })"""
    )


def test_with_the_page_closed_the_worker_sends_the_queue_when_the_signal_returns(
    browser, live_url, app
):
    ctx, page = _grid_worker(browser, live_url)
    _controlled_by_the_worker(page)
    ctx.set_offline(True)
    text = "马家营村南口的井盖丢了，晚上有人掉进去过"
    _fill(page, text)
    _submit(page)
    expect(page.locator("#offline-count")).to_have_text("1")
    page.close()  # the worker puts the phone away
    ctx.set_offline(False)
    assert _stored(app, text) == []

    # The browser's Background Sync wakes the worker (here: DevTools fires the sync event).
    elsewhere = ctx.new_page()
    elsewhere.goto(f"{live_url}/cases/track")
    cdp = ctx.new_cdp_session(elsewhere)
    registrations: list[dict] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(500):  # each round trip lets the session's events in
        if registrations:
            break
        elsewhere.evaluate("0")
    [registration] = [r for r in registrations if not r["isDeleted"]]
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": live_url,
            "registrationId": registration["registrationId"],
            "tag": "report-queue",
            "lastChance": False,
        },
    )
    cdp.detach()
    assert _queue_left(elsewhere) == 0
    [report] = _stored(app, text)
    assert report.reporter_name == "张大爷"
    ctx.close()


def test_a_report_first_sent_longer_ago_than_the_server_remembers_is_not_sent_blind(
    browser, live_url, app
):
    ctx, page = _grid_worker(browser, live_url, service_workers="block")
    ctx.set_offline(True)
    text = "马家营村东的小桥栏杆断了，孩子上学要过"
    _fill(page, text)
    _submit(page)
    expect(page.locator("#offline-count")).to_have_text("1")
    # Its first send was eight days ago and no answer came: the server keeps tokens 7 days.
    page.evaluate(
        """() => ReportQueue.all().then(([item]) => {
          item.tried = Date.now() - 8 * 24 * 3600 * 1000;
          return ReportQueue.put(item);
        })"""
    )
    ctx.set_offline(False)
    row = page.locator("#offline-list li")
    expect(row).to_contain_text("可能已经受理")
    expect(row.get_by_role("button", name="放回表单修改")).to_be_visible()
    assert _stored(app, text) == []
    ctx.close()
