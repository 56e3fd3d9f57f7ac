"""Real Chromium (Debian's), driven by Playwright, and small test sites for it to visit."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, sync_playwright

from conftest import DESKTOP_CHROME, free_port

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium keeps calling out to a network this machine does not have.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
# Trackers send nothing under automation; the test browser says it is not automated.
NOT_AUTOMATED = "Object.defineProperty(navigator, 'webdriver', {get: () => false})"
SWETRIX_VERSION = "4.6.1"


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def visitor_context(browser: Browser, **options: Any) -> BrowserContext:
    """A browser context that looks like an ordinary desktop visitor."""
    context = browser.new_context(user_agent=DESKTOP_CHROME, **options)
    context.add_init_script(NOT_AUTOMATED)
    return context


def install_swetrix(folder: Path) -> Path:
    """The real tracker from the npm registry; returns its UMD build."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed to install the swetrix tracker")
    subprocess.run(
        [
            npm,
            "install",
            "--no-audit",
            "--no-fund",
            "--silent",
            "--prefix",
            str(folder),
            f"swetrix@{SWETRIX_VERSION}",
        ],
        check=True,
        timeout=300,
    )
    return folder / "node_modules" / "swetrix" / "dist" / "swetrix.js"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def static_site(folder: Path, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve `folder` on a loopback port; any path without a file gets index.html (an SPA)."""

    class Handler(_Quiet):
        def send_head(self):  # type: ignore[no-untyped-def]
            if not Path(self.translate_path(self.path)).exists():
                self.path = "/index.html"
            return super().send_head()

    port = free_port()
    server = http.server.ThreadingHTTPServer(
        (host, port), functools.partial(Handler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
