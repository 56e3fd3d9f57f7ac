"""The `sightline` command as a user runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from conftest import free_port, wait_until_serving
from sightline.meta.sites import is_valid_pid
from sightline.store.embedded import EmbeddedStore
from sightline.traffic import TrafficPlan, plan_traffic


def sightline(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sightline", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_sites_add_prints_a_pid_and_list_shows_it(tmp_path: Path) -> None:
    added = sightline(
        "sites", "add", "My blog", "--timezone", "Europe/Berlin", "--data", str(tmp_path)
    )
    assert added.returncode == 0, added.stderr
    pid = added.stdout.strip()
    assert is_valid_pid(pid)
    listed = sightline("sites", "list", env={"SIGHTLINE_DATA_DIR": str(tmp_path)})
    assert listed.stdout.split("\n")[0].split("\t") == [pid, "My blog", "Europe/Berlin", "active"]


def test_sites_add_explains_what_is_wrong(tmp_path: Path) -> None:
    bad_zone = sightline("sites", "add", "x", "--timezone", "Mars/Olympus", "--data", str(tmp_path))
    assert bad_zone.returncode == 2
    assert "time zone" in bad_zone.stderr
    sightline("sites", "add", "x", "--pid", "abcdefghijkl", "--data", str(tmp_path))
    again = sightline("sites", "add", "y", "--pid", "abcdefghijkl", "--data", str(tmp_path))
    assert again.returncode == 2
    assert "exists" in again.stderr


def test_generated_traffic_is_the_same_for_the_same_seed() -> None:
    end = datetime(2026, 6, 1, tzinfo=UTC)
    first = plan_traffic(TrafficPlan("DEMO-shop-01", profiles=60, days=30, seed=3), end)
    second = plan_traffic(TrafficPlan("DEMO-shop-01", profiles=60, days=30, seed=3), end)
    assert first == second
    assert all(visit.start < end for visit in first)
    assert len({visit.visitor.number for visit in first}) == 60
    assert any(visit.identified_from is not None for visit in first)


def test_demo_serves_generated_history_and_live_visitors(tmp_path: Path) -> None:
    data, port = tmp_path / "demo", free_port()
    demo = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sightline",
            "demo",
            "--data",
            str(data),
            "--port",
            str(port),
            "--profiles",
            "150",
            "--days",
            "60",
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_serving(port, demo)
        serving_since = datetime.now(UTC)
        time.sleep(3)  # let the live visitors send something
    finally:
        demo.send_signal(signal.SIGTERM)
        demo.wait(60)
    assert "DEMO-shop-01" in (demo.stdout.read() if demo.stdout else "")

    store = EmbeddedStore(data / "store")
    try:
        kinds = {
            row["kind"]: row["n"]
            for row in store.query(
                "SELECT toString(kind) AS kind, count() AS n FROM events GROUP BY kind"
            )
        }
        spread = store.query(
            "SELECT dateDiff('day', min(time), max(time)) AS days,"
            " uniqExact(profile_id) AS profiles, uniqExact(session_id) AS sessions,"
            " countIf(profile_id LIKE 'usr_%') AS identified,"
            " countIf(time >= {since:DateTime64(3, 'UTC')}) AS live FROM events",
            {"since": serving_since},
        )[0]
    finally:
        store.close()
    assert set(kinds) == {"pageview", "custom", "error", "revenue"}
    assert spread["days"] >= 50
    assert spread["sessions"] > spread["profiles"] > 100
    assert spread["identified"] > 0
    assert spread["live"] > 0
