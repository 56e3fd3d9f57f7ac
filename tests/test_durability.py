"""Every event that got a 2xx survives kill -9 of the server, exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from conftest import DESKTOP_CHROME, PID, UK_IP, add_site, free_port, wait_until_serving
from sightline.settings import Settings
from sightline.store.embedded import EmbeddedStore

SENDERS = 4


def start_server(data: Path, port: int, **env: str) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "SIGHTLINE_TRUST_PROXY": "1", **env}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sightline",
            "serve",
            "--data",
            str(data),
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=environment,
        stderr=subprocess.PIPE,
    )
    wait_until_serving(port, process)
    return process


def send_until_failure(
    base: str,
    sender: int,
    acknowledged: list[str],
    stop: threading.Event,
) -> None:
    with httpx.Client(base_url=base, timeout=5) as http:
        n = 0
        while not stop.is_set():
            mark = f"{sender}-{n}"
            n += 1
            try:
                answer = http.post(
                    "/log/custom",
                    json={"pid": PID, "pg": "/", "ev": "tick", "meta": {"mark": mark}},
                    headers={"user-agent": DESKTOP_CHROME, "x-forwarded-for": f"81.2.69.{sender}"},
                )
            except httpx.HTTPError:
                return
            if answer.status_code == 201:
                acknowledged.append(mark)


def test_kill_minus_nine_loses_nothing_and_duplicates_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    add_site(Settings(data_dir=data))
    port = free_port()
    # A slow writer: at the kill most acknowledged events are only in the journal.
    server = start_server(data, port, SIGHTLINE_WRITER_FLUSH_MS="3000")
    acknowledged: list[str] = []
    stop = threading.Event()
    senders = [
        threading.Thread(
            target=send_until_failure, args=(f"http://127.0.0.1:{port}", i, acknowledged, stop)
        )
        for i in range(SENDERS)
    ]
    for thread in senders:
        thread.start()
    time.sleep(2.5)
    server.send_signal(signal.SIGKILL)
    server.wait(10)
    stop.set()
    for thread in senders:
        thread.join(10)
    assert len(acknowledged) > 100, "the server should have taken traffic before the kill"
    print(f"{len(acknowledged)} events acknowledged before the kill")

    restarted = start_server(data, port)
    after = httpx.post(
        f"http://127.0.0.1:{port}/log/custom",
        json={"pid": PID, "pg": "/", "ev": "tick", "meta": {"mark": "after"}},
        headers={"user-agent": DESKTOP_CHROME, "x-forwarded-for": UK_IP},
    )
    assert after.status_code == 201
    acknowledged.append("after")
    restarted.send_signal(signal.SIGTERM)  # a graceful stop writes everything out
    # uvicorn re-raises the signal once its graceful shutdown is done
    assert restarted.wait(60) in {0, -signal.SIGTERM}
    log = restarted.stderr.read().decode() if restarted.stderr else ""
    assert "replaying" in log
    # After a graceful stop everything is in the store and the journal is empty.
    assert list((data / "journal").glob("segment-*.log")) == []

    store = EmbeddedStore(data / "store")
    try:
        rows = store.query("SELECT meta['mark'] AS mark, count() AS n FROM events GROUP BY mark")
    finally:
        store.close()
    counts = {row["mark"]: row["n"] for row in rows}
    missing = [mark for mark in acknowledged if mark not in counts]
    duplicated = {mark: n for mark, n in counts.items() if n > 1}
    assert missing == []
    assert duplicated == {}
    # Requests that were in flight at the kill may or may not have landed, but nothing else.
    assert len(counts) <= len(acknowledged) + SENDERS
