"""Helpers for the browser tests: the staff accounts' password, screenshots, signing in to the staff pages.

The `browser` (one Chromium for the whole run) and `staff` fixtures are in conftest.py.
"""
from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "var" / "screenshots"
PASSWORD = "e2e password long enough"


PHONE = {"width": 375, "height": 812}


def sign_in(browser, network, role: str, path: str = "/", viewport: dict | None = None, javascript: bool = True):
    """A new browser context signed in as `e2e.<role>` on `path` (a desk's screen unless `viewport`)."""
    page = browser.new_context(viewport=viewport or {"width": 1280, "height": 900},
                               java_script_enabled=javascript).new_page()
    page.goto(network.urls["web"] + path)
    expect(page).to_have_url(re.compile(r"/login"))
    page.fill("#username", f"e2e.{role}")
    page.fill("#password", PASSWORD)
    page.screenshot(path=str(SHOTS / "login.png"))
    page.click("form[action='/login'] button[type=submit]")
    return page


def shot(page, name: str):
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
