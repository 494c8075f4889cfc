"""The browser tests' fixtures: Debian's chromium driven by Playwright, and an app served on a free port.

Every test here is skipped, with the reason, where /usr/bin/chromium or playwright is absent.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from web import create_app

CHROMIUM = "/usr/bin/chromium"
# without the networking flags the browser keeps trying to reach outside hosts (see ../shared/notes)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


def pytest_collection_modifyitems(items):
    missing = ("" if Path(CHROMIUM).exists() else f"{CHROMIUM} is absent (apt-get install chromium; .ci/run does)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = missing or "playwright is not installed (requirements-dev.txt)"
    for item in items:
        if missing and Path(__file__).parent in Path(item.fspath).parents:
            item.add_marker(pytest.mark.skip(reason=missing))


@contextmanager
def served(db: Path) -> Iterator[str]:
    """The app over database `db`, served by a thread on 127.0.0.1 at a free port: its base URL."""
    from werkzeug.serving import make_server
    httpd = make_server("127.0.0.1", 0, create_app(db), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(5)


@pytest.fixture
def page(request, tmp_path):
    """A browser tab; when the test fails, a screenshot is left in its tmp_path (failure.png)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        tab = browser.new_page(viewport={"width": 1440, "height": 900})
        yield tab
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            tab.screenshot(path=str(tmp_path / "failure.png"))
            print(f"screenshot: {tmp_path / 'failure.png'}")
        browser.close()
