"""Dashboard pages against the API endpoints they render, over real HTTP.

    python bench/dataset.py --events 1000000 --data bench/.data/1m
    python bench/page_latency.py --data bench/.data/1m [--runs 20]

For each page: its median time, the median time of the JSON endpoints that give the same data
(the profile page shows the profile and its sessions: two endpoints), and the ratio.
"""

from __future__ import annotations

import argparse
import random
import statistics
from pathlib import Path

import httpx

from _server import served
from query_latency import API, PID, timed

SITE = f"/sites/{PID}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(4)
    with served(args.data) as base, httpx.Client(base_url=base, timeout=60) as http:
        profiles = http.get(f"{API}/profiles", params={"period": "90d", "limit": 200}).json()
        ids = [p["profile_id"] for p in profiles["profiles"]]
        sessions = http.get(f"{API}/sessions", params={"period": "90d", "limit": 200}).json()
        session_ids = [s["session_id"] for s in sessions["sessions"]]
        chosen_profiles = [rng.choice(ids) for _ in range(args.runs + 1)]
        chosen_sessions = [rng.choice(session_ids) for _ in range(args.runs + 1)]
        cases = {
            "overview": ([f"{API}/overview"], f"{SITE}"),
            "profiles": ([f"{API}/profiles"], f"{SITE}/profiles"),
            "profile": (
                [f"{API}/profiles/{{p}}", f"{API}/profiles/{{p}}/sessions"],
                f"{SITE}/profiles/{{p}}",
            ),
            "sessions": ([f"{API}/sessions"], f"{SITE}/sessions"),
            "session": ([f"{API}/sessions/{{s}}"], f"{SITE}/sessions/{{s}}"),
        }
        print(f"{args.data}: page vs the API endpoints it renders (median of {args.runs})")
        for name, (endpoints, page) in cases.items():

            def url(template: str, n: int) -> str:
                return template.format(p=chosen_profiles[n], s=chosen_sessions[n])

            api_times = [
                sum(parts)
                for parts in zip(
                    *(timed(http, lambda n, e=e: url(e, n), args.runs) for e in endpoints),
                    strict=True,
                )
            ]
            page_times = timed(http, lambda n, page=page: url(page, n), args.runs)
            api, shown = statistics.median(api_times), statistics.median(page_times)
            print(
                f"  {name:<10} page {shown:6.1f} ms   api {api:6.1f} ms"
                f"   ratio {shown / api:4.2f} (at most 1.5)"
            )


if __name__ == "__main__":
    main()
