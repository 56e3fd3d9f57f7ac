"""The store writer: moves durable journal records into the store in large Arrow batches."""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from sightline.ingest.journal import Record
from sightline.store.base import Store
from sightline.store.tables import SCHEMAS

log = logging.getLogger(__name__)
RETRY_SECONDS = 1.0


def _writable(record: Record) -> bool:
    try:
        tables_of([record])
    except (pa.ArrowException, TypeError, ValueError, UnicodeError):
        return False
    return True


def tables_of(records: list[Record]) -> dict[str, pa.Table]:
    """One Arrow table per store table for a batch of journal records."""
    events: list[Record] = []
    sessions: dict[int, Record] = {}  # a session's newest state in the batch is enough
    aliases: list[Record] = []
    traits: list[Record] = []
    for record in records:
        seq = record["seq"]
        if "event" in record:
            events.append({**record["event"], "seq": seq})
        if "session" in record:
            sessions[record["session"]["session_id"]] = {**record["session"], "version": seq}
        if "alias" in record:
            aliases.append({**record["alias"], "seq": seq})
        if "traits" in record:
            traits.append({**record["traits"], "seq": seq})
    rows = {
        "events": events,
        "sessions": list(sessions.values()),
        "aliases": aliases,
        "traits": traits,
    }
    return {
        name: pa.Table.from_pylist(table_rows, schema=SCHEMAS[name])
        for name, table_rows in rows.items()
        if table_rows
    }


class Writer:
    def __init__(
        self,
        store: Store,
        on_written: Callable[[int], None],
        quarantine: Path,
        batch_rows: int = 20_000,
        flush_ms: float = 500.0,
    ) -> None:
        self._store = store
        self._quarantine = quarantine
        self._on_written = on_written
        self._batch_rows = batch_rows
        self._flush_s = flush_ms / 1000
        self._queue: queue.Queue[list[Record] | None] = queue.Queue()
        self._written_seq = 0
        self._submitted_seq = 0
        self._progress = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="store-writer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def submit(self, records: list[Record]) -> None:
        if records:
            with self._progress:
                self._submitted_seq = max(self._submitted_seq, records[-1]["seq"])
            self._queue.put(records)

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until everything submitted so far is in the store."""
        with self._progress:
            target = self._submitted_seq
            return self._progress.wait_for(lambda: self._written_seq >= target, timeout)

    def _without_unwritable(self, batch: list[Record]) -> dict[str, pa.Table]:
        """Set aside records the store can never take, so they cannot block the rest.

        The parser should let no such record through; this is the last line of defence.
        """
        good: list[Record] = []
        bad: list[Record] = []
        for record in batch:
            (good if _writable(record) else bad).append(record)
        log.error("%d journal records cannot be stored; kept in %s", len(bad), self._quarantine)
        self._quarantine.parent.mkdir(parents=True, exist_ok=True)
        with self._quarantine.open("a", encoding="utf-8", errors="backslashreplace") as file:
            for record in bad:
                file.write(json.dumps(record, ensure_ascii=True) + "\n")
        return tables_of(good) if good else {}

    def stop(self) -> None:
        """Write what is queued, then stop."""
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is None:
                return
            batch = list(first)
            deadline = time.monotonic() + self._flush_s
            while len(batch) < self._batch_rows:
                try:
                    more = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    break
                if more is None:
                    stopping = True
                    break
                batch.extend(more)
            self._write(batch)

    def _write(self, batch: list[Record]) -> None:
        try:
            pending = tables_of(batch)
        except (pa.ArrowException, TypeError, ValueError, UnicodeError):
            pending = self._without_unwritable(batch)
        while pending:
            name, table = next(iter(pending.items()))
            try:
                self._store.insert(name, table)
            except Exception:  # the batch stays in the journal; keep trying, never drop it
                log.exception("insert into %s failed; retrying in %.0f s", name, RETRY_SECONDS)
                time.sleep(RETRY_SECONDS)
                continue
            del pending[name]
        last = batch[-1]["seq"]
        self._on_written(last)
        with self._progress:
            self._written_seq = max(self._written_seq, last)
            self._progress.notify_all()
