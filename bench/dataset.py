"""Benchmark data sets: generated visits through the real pipeline, then copied in the store.

    python bench/dataset.py --events 1000000 --data bench/.data/1m

A base of realistic traffic goes through the ingest pipeline (journal, writer, store) like
the demo's; it is then copied inside the engine, each copy with its own profile and session
ids, until the site holds the asked number of events: a busier site with the same shape.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from pathlib import Path

from sightline.demo import load_history
from sightline.meta import db
from sightline.meta.sites import Sites
from sightline.runtime import Runtime
from sightline.settings import Settings
from sightline.store.base import Store
from sightline.traffic import TrafficPlan, plan_traffic

PID = "BENCHsite001"
BASE_PROFILES = 20_000
COPY_SEQ = 10**12  # copies' sequence numbers start here, one block per copy
# How a copy changes ids: a different session id, and a profile id of the same kind.
COPY_COLUMNS = {
    "events": "session_id, profile_id, seq",
    "sessions": "session_id, profile_id, version",
    "aliases": "anon_id, profile_id, seq",
    "traits": "profile_id, seq",
}
REPLACE = {
    "session_id": "bitXor(session_id, {k:UInt64} * 11400714819323198485) AS session_id",
    "profile_id": "concat(profile_id, '~', toString({k:UInt64})) AS profile_id",
    "anon_id": "concat(anon_id, '~', toString({k:UInt64})) AS anon_id",
    "seq": "seq + {k:UInt64} * 1000000000000 AS seq",
    "version": "version + {k:UInt64} * 1000000000000 AS version",
}
SEQ_COLUMN = {"events": "seq", "sessions": "version", "aliases": "seq", "traits": "seq"}


def count_events(store: Store) -> int:
    return int(store.query("SELECT count() AS n FROM events")[0]["n"])


def build(data: Path, events: int, base_profiles: int = BASE_PROFILES) -> None:
    settings = Settings(data_dir=data)
    sites = Sites(db.connect(settings.meta_path))
    if sites.get(PID) is None:
        sites.create("Bench shop", pid=PID, timezone="Europe/Berlin")
    runtime = Runtime.open(settings)
    try:
        store = runtime.store
        if count_events(store) == 0:
            started = time.monotonic()
            end = datetime.now(UTC)
            visits = plan_traffic(TrafficPlan(PID, base_profiles, 180, seed=42), end)
            accepted = load_history(runtime.ingest, visits, end)
            print(
                f"base: {accepted:,} requests through the pipeline in "
                f"{time.monotonic() - started:.0f} s, {count_events(store):,} events"
            )
        base = int(
            store.query(
                "SELECT count() AS n FROM events WHERE seq < {copy:UInt64}", {"copy": COPY_SEQ}
            )[0]["n"]
        )
        copies = max(1, round(events / base))
        present = int(
            store.query(
                "SELECT intDiv(max(seq), {copy:UInt64}) + 1 AS n FROM events", {"copy": COPY_SEQ}
            )[0]["n"]
        )
        started = time.monotonic()
        for k in range(present, copies):
            for table, columns in COPY_COLUMNS.items():
                replaced = ", ".join(REPLACE[c] for c in columns.split(", "))
                originals = f"{SEQ_COLUMN[table]} < {{copy:UInt64}}"
                store.query(
                    # The filter sits in a subquery: REPLACE's new seq would shadow the old one.
                    f"INSERT INTO {table} SELECT * REPLACE ({replaced}) FROM (SELECT * FROM"
                    f" {table} WHERE site = {{site:String}} AND {originals})",
                    {"k": k, "site": PID, "copy": COPY_SEQ},
                )
        for table in COPY_COLUMNS:
            store.query(f"OPTIMIZE TABLE {table} FINAL")
        print(
            f"{copies} copies of {base:,} events: {count_events(store):,} events "
            f"({time.monotonic() - started:.0f} s to copy and merge)"
        )
    finally:
        runtime.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--base-profiles", type=int, default=BASE_PROFILES)
    args = parser.parse_args()
    build(args.data, args.events, args.base_profiles)


if __name__ == "__main__":
    main()
