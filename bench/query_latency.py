"""Median latency of each query endpoint over real HTTP, on a data set from bench/dataset.py.

    python bench/dataset.py --events 10000000 --data bench/.data/10m
    python bench/query_latency.py --data bench/.data/10m [--runs 30]

Each endpoint is called `runs` times (different profiles and sessions where it takes one)
after one warm-up call; the figures are server round trips as a client sees them.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from _server import served

PID = "BENCHsite001"
API = f"/api/v1/sites/{PID}"
TARGETS_MS = {
    "profiles list (30 d)": 150,
    "profile detail": 50,
    "sessions list (30 d)": 100,
    "session timeline": 20,
}


def timed(http: httpx.Client, paths: Callable[[int], str], runs: int) -> list[float]:
    http.get(paths(0)).raise_for_status()
    times = []
    for n in range(runs):
        started = time.perf_counter()
        http.get(paths(n + 1)).raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(3)
    two_filters = json.dumps(
        [["country", "is", ["US", "DE", "GB"]], ["browser", "is", ["Chrome", "Mobile Safari"]]]
    )
    page_filter = json.dumps([["page", "contains", ["/checkout"]]])
    with served(args.data) as base, httpx.Client(base_url=base, timeout=60) as http:
        everything = http.get(f"{API}/sessions", params={"period": "all", "limit": 1}).json()
        profiles = http.get(f"{API}/profiles", params={"period": "90d", "limit": 500}).json()
        ids = [p["profile_id"] for p in profiles["profiles"]]
        sessions = http.get(f"{API}/sessions", params={"period": "90d", "limit": 500}).json()
        session_ids = [s["session_id"] for s in sessions["sessions"]]
        cases: dict[str, Callable[[int], str]] = {
            "profiles list (30 d)": lambda n: f"{API}/profiles?period=30d",
            "profiles list (30 d, 2 filters)": lambda n: (
                f"{API}/profiles?period=30d&filters={two_filters}"
            ),
            "profiles list (30 d, page filter)": lambda n: (
                f"{API}/profiles?period=30d&filters={page_filter}"
            ),
            "profile detail": lambda n: f"{API}/profiles/{rng.choice(ids)}",
            "profile sessions": lambda n: f"{API}/profiles/{rng.choice(ids)}/sessions",
            "sessions list (30 d)": lambda n: f"{API}/sessions?period=30d",
            "sessions list (30 d, errors, 3+ pages)": lambda n: (
                f"{API}/sessions?period=30d&has_errors=true&min_pageviews=3"
            ),
            "session timeline": lambda n: f"{API}/sessions/{rng.choice(session_ids)}",
        }
        print(f"{args.data}: {everything['total']:,} sessions in all")
        for name, paths in cases.items():
            times = timed(http, paths, args.runs)
            target = TARGETS_MS.get(name)
            goal = f"  (target {target} ms)" if target else ""
            print(
                f"  {name:<40} median {statistics.median(times):6.1f} ms"
                f"   p90 {statistics.quantiles(times, n=10)[-1]:6.1f} ms{goal}"
            )


if __name__ == "__main__":
    main()
