"""Redraw docs/event-page.png, the README's picture of an event page, from the real `kgtool serve`.

Starts `kgtool serve` on a free loopback port over the shipped graph (or uses `--url` of a running
one), opens the event page in headless Chromium (Debian `chromium`, driven by Playwright, with the
browser tests' flags from tests/conftest.py) and saves the whole page as a PNG (`make screenshot`).

Usage: python docs/screenshot.py [--event 2020-01-07-trump-remarks-at-the-white-house]
       [--url http://127.0.0.1:PORT] [--output docs/event-page.png] [--width 1000]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402  (the browser tests' flags: one home)

READY = re.compile(r"serving .* at (http://\S+?)/? \(")


@contextmanager
def server(url: str | None) -> Iterator[str]:
    """The base URL of a kgtool serve: the one given, or one started here until the block ends."""
    if url:
        yield url.rstrip("/")
        return
    kgtool = shutil.which("kgtool", path=str(Path(sys.executable).parent)) or "kgtool"
    process = subprocess.Popen(
        [kgtool, "--kg", str(ROOT), "serve", "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        for line in process.stderr:
            found = READY.search(line)
            if found:
                yield found.group(1)
                return
        raise SystemExit(f"kgtool serve exited with status {process.wait()} before serving")
    finally:
        process.terminate()
        process.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--event", default="2020-01-07-trump-remarks-at-the-white-house")
    parser.add_argument("--url", help="a running kgtool serve (default: start one)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "event-page.png")
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--chromium", default=CHROMIUM)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with server(args.url) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, headless=True, args=CHROMIUM_FLAGS
        )
        page = browser.new_page(viewport={"width": args.width, "height": 800}, device_scale_factor=1)
        problems: list[str] = []
        page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}"))
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        answer = page.goto(f"{base}/iraq/event/{args.event}.html", wait_until="load")
        if answer is None or answer.status != 200:
            raise SystemExit(f"the event page answered {answer.status if answer else 'nothing'}")
        if problems:
            raise SystemExit("; ".join(problems))
        page.screenshot(path=str(args.output), full_page=True)
        browser.close()
    print(f"wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
