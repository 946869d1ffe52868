"""Browser tests: Playwright's sync API driving the machine's Chromium (Debian's `chromium`), headless.

No browser is downloaded: Playwright is pointed at /usr/bin/chromium (../shared/STACK.md). A missing
Chromium fails the test with the command that installs it; it never skips, so CI cannot pass without
having walked the pages.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOT_FOLDERS = pytest.StashKey[list[Path]]()


@pytest.fixture
def browser(monkeypatch) -> Iterator:
    if not CHROMIUM.exists():
        pytest.fail(
            f"浏览器测试需要 Chromium（{CHROMIUM}），但本机没有安装。"
            "请运行 scripts/system-deps.sh test（或 sudo apt-get install -y chromium）后重试。",
            pytrace=False,
        )
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=10_000)  # a busy CI machine: the default 5 s is short for a page and a swap

    # Playwright's sync API keeps an event loop running in this thread, so Django takes every ORM call
    # the test makes between two clicks for one made from async code and refuses it. The calls are
    # plain synchronous ones (the loop only waits for the browser): allow them, for this test only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
            # The test's code resumes from Playwright's greenlets in another contextvars context, where
            # Django's connections (context-local) are connections of their own: close them here, in
            # that context, or PostgreSQL refuses to drop the test database ("being accessed by other
            # users").
            connections.close_all()


@pytest.fixture
def screenshots(request) -> Path:
    """test-artifacts/browser/<test module>/ (e.g. test_walkthrough), emptied first; its path is printed
    at the end of the run."""
    folder = request.config.rootpath / "test-artifacts" / "browser" / request.path.stem
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    request.config.stash.setdefault(SCREENSHOT_FOLDERS, []).append(folder)
    return folder


def pytest_sessionfinish(session) -> None:
    # Under pytest-xdist (`make test TEST_WORKERS=2`) a worker hands its folders to the main process,
    # which prints them (tests/conftest.py).
    if hasattr(session.config, "workeroutput"):
        folders = session.config.stash.get(SCREENSHOT_FOLDERS, [])
        session.config.workeroutput["screenshot_folders"] = [str(folder) for folder in folders]


def pytest_terminal_summary(terminalreporter, config) -> None:
    for folder in config.stash.get(SCREENSHOT_FOLDERS, []):
        shots = len(list(folder.glob("*.png")))
        terminalreporter.write_line(f"浏览器测试截图 / browser screenshots ({shots}): {folder}")
