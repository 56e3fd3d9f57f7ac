"""A `sightline serve` process for the benchmarks, started and stopped around a block."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(data: Path, *flags: str) -> Iterator[str]:
    """Serve `data` on a free port; yields the base URL, stops the server gracefully after."""
    port = free_port()
    command = [
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
        *flags,
    ]
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(120)
