"""Tracker requests per second over real HTTP against a `sightline serve` process.

    python bench/ingest_http.py [--seconds 10] [--connections 32]

Load comes from wrk (Debian package `wrk`) replaying realistic visits, each request with its
visitor's IP and user agent. wrk runs on the same machine and takes CPU from the server, so
the figures are a floor. After the run the server is stopped gracefully and the store is
counted, so "stored" is what really landed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from _server import served
from sightline.meta import db
from sightline.meta.sites import Sites
from sightline.store.embedded import EmbeddedStore
from sightline.traffic import make_visit, make_visitors
from sightline.web.tracker import ENDPOINTS

PID = "BENCHsite001"
PATH_OF = {kind: f"/log{suffix}" for suffix, kind in ENDPOINTS.items()}


def lua_script(count: int) -> str:
    """A wrk script that cycles through `count` requests of generated visits, in visit order."""
    rng = random.Random(5)
    visitors = make_visitors(rng, 5000, identified_share=0.2)
    lines = []
    while len(lines) < count:
        visitor = rng.choice(visitors)
        visit = make_visit(rng, PID, visitor, datetime.now(UTC), identify=False, logged_in=False)
        for hit in visit.hits:
            headers = {
                "Content-Type": "application/json",
                "User-Agent": visitor.user_agent,
                "X-Forwarded-For": visitor.ip,
            }
            path, body = _lua_string(PATH_OF[hit.kind]), _lua_string(json.dumps(hit.body))
            lines.append(f"wrk.format('POST', {path}, {_lua_table(headers)}, {body})")
    requests = ",\n".join(lines[:count])
    return (
        "local requests = {\n" + requests + "\n}\nlocal i = 0\n"
        "request = function()\n  i = i % #requests + 1\n  return requests[i]\nend\n"
    )


def _lua_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _lua_table(values: dict[str, str]) -> str:
    return (
        "{" + ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in values.items()) + "}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        Sites(db.connect(data / "meta.sqlite3")).create("Bench", pid=PID)
        script = Path(folder) / "visits.lua"
        script.write_text(lua_script(50_000))
        with served(data, "--trust-proxy") as base:
            report = subprocess.run(
                [
                    "wrk",
                    "-t1",
                    f"-c{args.connections}",
                    f"-d{args.seconds}s",
                    "--latency",
                    "-s",
                    str(script),
                    base,
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        store = EmbeddedStore(data / "store")
        stored = store.query("SELECT count() AS n FROM events")[0]["n"]
        store.close()
    rate = re.search(r"Requests/sec:\s+([\d.]+)", report)
    refused = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    p50 = re.search(r"50%\s+(\S+)", report)
    p99 = re.search(r"99%\s+(\S+)", report)
    print(f"ingest over HTTP, {args.connections} connections, {args.seconds} s:")
    print(
        f"  {float(rate.group(1)) if rate else 0:,.0f} requests/s answered "
        f"({refused.group(1) if refused else 0} refused, e.g. heartbeats of ended sessions)"
    )
    print(f"  {stored / args.seconds:,.0f} events/s stored ({stored:,} events)")
    print(f"  latency p50 {p50.group(1) if p50 else '?'}, p99 {p99.group(1) if p99 else '?'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
