"""What the designer's editor costs a browser on the wire: measured in real Chromium.

The editor page pulls bpmn-js and the properties panel (2.5 MB uncompressed alone). A designer
on a county network opening it with an empty cache must transfer at most 1 MB; opening it again
must fetch none of the versioned assets (they are served from the browser's cache).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.browser import login_page

pytestmark = pytest.mark.slow
LIMIT = 1024 * 1024


class Wire:
    """Bytes received per request, from Chromium's own network log (headers and body as
    they arrived: compressed if the server compressed them, nothing for a cache hit)."""

    def __init__(self, context: Any, page: Any) -> None:
        self.urls: dict[str, str] = {}
        self.received: dict[str, int] = {}
        cdp = context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.send("Network.enable")

    def _sent(self, event: dict[str, Any]) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]

    def _finished(self, event: dict[str, Any]) -> None:
        # data: URLs (the icon font inside bpmn-js's CSS) are decoded locally, not transferred.
        if not self.urls.get(event["requestId"], "").startswith("data:"):
            self.received[event["requestId"]] = int(event["encodedDataLength"])

    def reset(self) -> None:
        self.urls.clear()
        self.received.clear()

    def total(self) -> int:
        return sum(self.received.values())

    def by_url(self) -> dict[str, int]:
        return {self.urls.get(rid, rid): size for rid, size in self.received.items()}


def test_editor_page_transfers_at_most_one_megabyte_and_nothing_again(browser, live_url) -> None:
    # Sign in and open a draft of the complaint diagram in one browser context ...
    page = login_page(browser, live_url, "designer", width=1500)
    page.goto(f"{live_url}/designer/")
    page.locator("#process-complaint tr.version").first.get_by_role(
        "button", name="编辑为新草稿"
    ).click()
    page.wait_for_selector("body[data-ready='1']")
    editor_url = page.url
    state = page.context.storage_state()
    page.context.close()

    # ... then load the editor in a fresh context (same session cookie, empty cache).
    context = browser.new_context(
        storage_state=state, viewport={"width": 1500, "height": 1000}, locale="zh-CN"
    )
    page = context.new_page()
    wire = Wire(context, page)
    page.goto(editor_url)
    page.wait_for_selector("body[data-ready='1']")
    page.wait_for_load_state("networkidle")
    first = wire.total()
    print(f"\neditor, empty cache: {first} bytes")
    for url, size in sorted(wire.by_url().items(), key=lambda item: -item[1]):
        print(f"  {size:>9}  {url}")
    assert first <= LIMIT, f"编辑器首次加载传输 {first} 字节，超过 1 MB"

    wire.reset()
    page.goto(editor_url)
    page.wait_for_selector("body[data-ready='1']")
    page.wait_for_load_state("networkidle")
    again = wire.by_url()
    print(f"editor, second load: {wire.total()} bytes: {[u for u, n in again.items() if n]}")
    # Only the page itself, the draft's diagram and the panel's pick lists (the county's units
    # and the registered operations) come again; every script, style sheet and the camunda
    # schema is taken from the browser's cache without asking the server.
    # (A cache hit receives 0 bytes; even a 304 would count its headers.)
    assert {url.removeprefix(live_url) for url, size in again.items() if size > 0} == {
        editor_url.removeprefix(live_url),
        f"{editor_url.removeprefix(live_url)}.bpmn",
        "/designer/panel-options.json",
    }
    context.close()
