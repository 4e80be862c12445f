"""The HTML pictures load in headless Chromium (Debian `chromium`) with no console message, no page
error and no network request: the page is the whole picture.

Chromium is driven over the DevTools protocol by Playwright's Python package, with the system browser
(no browser download). Where Chromium is missing the test skips, unless KGTOOL_REQUIRE_TOOLS=1 (as
.ci/run sets it), which makes a missing browser a failure: CI never passes without the check.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import require_tool

CHROMIUM = os.environ.get("KGTOOL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    require_tool(Path(CHROMIUM).is_file(), f"there is no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # a fresh --user-data-dir
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
        )
        yield context
        context.close()


def load(context, path: Path) -> dict[str, list[str]]:
    """Open a file in a new tab; what it logged, threw and requested, and its visible text."""
    page = context.new_page()
    seen: dict[str, list[str]] = {"console": [], "errors": [], "requests": [], "failed": []}
    page.on("console", lambda m: seen["console"].append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("requestfailed", lambda r: seen["failed"].append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(300)  # anything late (a font, an image) would show up here
    seen["text"] = [page.inner_text("body")]
    seen["svg"] = [str(page.locator("svg").count())]
    page.close()
    return seen


def test_timeline_page_loads_with_no_console_message_and_no_request(
    browser_context, drawn, tmp_path, event_labels
):
    path = tmp_path / "timeline.html"
    path.write_bytes(drawn.html)
    seen = load(browser_context, path)
    assert seen["console"] == [] and seen["errors"] == [] and seen["failed"] == []
    assert seen["requests"] == [path.as_uri()]  # the page itself, nothing else
    assert int(seen["svg"][0]) >= 1
    for label in event_labels:
        assert label in seen["text"][0]


def test_table_view_loads_with_no_request(browser_context, cli, tmp_path):
    path = tmp_path / "figures.html"
    assert cli(["query", "troop-figures", "--view", "-o", path]).exit_code == 0
    seen = load(browser_context, path)
    assert seen["console"] == [] and seen["errors"] == [] and seen["requests"] == [path.as_uri()]
    assert "more than 20,000" in seen["text"][0]


def test_an_outside_reference_would_be_caught(browser_context, tmp_path):
    """The check can fail: a page that fetches something is seen doing so."""
    path = tmp_path / "leaky.html"
    path.write_text('<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png"></body></html>')
    seen = load(browser_context, path)
    assert "http://127.0.0.1:9/x.png" in seen["requests"]
