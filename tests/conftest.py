"""Shared fixtures: sites, in-process apps, real servers on loopback ports, a driven clock."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser

from sightline.app import create_app, server_config
from sightline.clock import ManualClock
from sightline.meta import db
from sightline.meta.sites import Site, Sites
from sightline.runtime import Runtime
from sightline.settings import Settings

DESKTOP_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
UK_IP = "81.2.69.142"  # in the bundled country table as GB
US_IP = "8.8.8.8"
PID = "AAAAAAAAAAA1"
FIXTURES = Path(__file__).resolve().parent / "fixtures"  # copied from shared/fixtures
SWETRIX_CAPTURE = FIXTURES / "swetrix-4.6.1-capture.jsonl"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_serving(port: int, process: subprocess.Popen[Any], timeout: float = 120) -> None:
    """Return once a `sightline` process answers /healthz; fail if it exits or takes too long."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("the server did not start") from None
            time.sleep(0.1)


def add_site(settings: Settings, pid: str = PID, **options: Any) -> Site:
    return Sites(db.connect(settings.meta_path)).create(
        options.pop("name", "Test site"), pid=pid, **options
    )


def capture() -> list[dict[str, Any]]:
    """The real Swetrix tracker's requests, in the order the browser sent them."""
    return [json.loads(line) for line in SWETRIX_CAPTURE.read_text().splitlines() if line]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, once for the whole run."""
    from browser import chromium  # browser.py uses this module's helpers

    with chromium() as launched:
        yield launched


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data", trust_proxy=True, journal_commit_ms=1.0, writer_flush_ms=50.0
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 10, 12, 0, tzinfo=UTC))


@dataclass
class LiveServer:
    """The real app on a loopback port, run by uvicorn in a thread of this process."""

    base_url: str
    runtime: Runtime
    http: httpx.Client

    def post(
        self, path: str, body: object, *, ip: str = UK_IP, ua: str = DESKTOP_CHROME, **headers: str
    ) -> httpx.Response:
        return self.http.post(
            path, json=body, headers={"user-agent": ua, "x-forwarded-for": ip, **headers}
        )

    def rows(self, sql: str, **params: object) -> list[dict[str, Any]]:
        """Query the store after everything accepted so far has been written."""
        if not self.runtime.ingest.flush():
            raise TimeoutError("the store writer did not catch up")
        return self.runtime.store.query(sql, params)


@pytest.fixture
def live_server(settings: Settings, clock: ManualClock) -> Iterator[LiveServer]:
    add_site(settings)
    with serve(settings, clock) as server:
        yield server


@contextmanager
def serve(settings: Settings, clock: ManualClock | None = None) -> Iterator[LiveServer]:
    app = create_app(settings, clock)
    port = free_port()
    server = uvicorn.Server(
        server_config(app, settings, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("server did not start")
        time.sleep(0.02)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            yield LiveServer(f"http://127.0.0.1:{port}", app.state.runtime, http)
    finally:
        server.should_exit = True
        thread.join(30)
