"""The HTML pictures load in headless Chromium (Debian `chromium`) with no console message, no page
error and no network request: the page is the whole picture.

Chromium is driven over the DevTools protocol by Playwright's Python package, with the system browser
(no browser download), through the `load_page` fixture of tests/conftest.py. Where Chromium is
missing the test skips, unless KGTOOL_REQUIRE_TOOLS=1 (as .ci/run sets it), which makes a missing
browser a failure: CI never passes without the check.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_timeline_page_loads_with_no_console_message_and_no_request(load_page, drawn, tmp_path, event_labels):
    path = tmp_path / "timeline.html"
    path.write_bytes(drawn.html)
    seen = load_page(path.as_uri())
    assert seen["console"] == [] and seen["errors"] == [] and seen["failed"] == []
    assert seen["requests"] == [path.as_uri()]  # the page itself, nothing else
    assert int(seen["svg"][0]) >= 1
    for label in event_labels:
        assert label in seen["text"][0]


def test_table_view_loads_with_no_request(load_page, cli, tmp_path):
    path = tmp_path / "figures.html"
    assert cli(["query", "troop-figures", "--view", "-o", path]).exit_code == 0
    seen = load_page(path.as_uri())
    assert seen["console"] == [] and seen["errors"] == [] and seen["requests"] == [path.as_uri()]
    assert "more than 20,000" in seen["text"][0]


def test_an_outside_reference_would_be_caught(load_page, tmp_path):
    """The check can fail: a page that fetches something is seen doing so."""
    path = tmp_path / "leaky.html"
    path.write_text('<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png"></body></html>')
    seen = load_page(path.as_uri())
    assert "http://127.0.0.1:9/x.png" in seen["requests"]
