"""Shared pieces of the browser tests: a live server, Debian's Chromium, sign-in, screenshots.

The fixtures ``browser`` and ``live_url`` live in ``tests/web/conftest.py``; importing this
module skips the importing test module when Chromium is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli.demo.users import DEMO_PASSWORD
from tests.web.conftest import CHROMIUM

SHOTS = Path(os.environ.get("JUHAOBAN_SCREENSHOT_DIR", "build/screenshots"))

if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs it (see .ci/run)
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect  # noqa: E402

__all__ = ["Page", "expect", "new_page", "shot", "login_page"]


def new_page(browser: Browser, width: int = 420, height: int = 900) -> Page:
    return browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def login_page(browser: Browser, base: str, username: str, width: int = 420) -> Page:
    page = new_page(browser, width)
    page.goto(f"{base}/auth/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page
