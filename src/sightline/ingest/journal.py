"""The write-ahead journal: every accepted request is here, fsync'd, before it is answered.

Appends are gathered for a few milliseconds and made durable with one fsync (group commit).
Durable records are handed, in order, to `on_durable` (the store writer); segments whose
records the store has taken are deleted. Start-up reads back whatever is still here.
"""

from __future__ import annotations

import json
import logging
import os
import struct
import threading
import time
import zlib
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

Record = dict[str, Any]
HEADER = struct.Struct(">IIQ")  # payload length, CRC-32 of payload, sequence number
SEGMENT_BYTES = 32 * 1024 * 1024


class JournalClosedError(RuntimeError):
    pass


@dataclass
class _Segment:
    path: Path
    last_seq: int = 0


def read_segment(path: Path) -> list[Record]:
    """Every intact record of a segment, stopping at a torn or corrupt tail."""
    data = path.read_bytes()
    records: list[Record] = []
    offset = 0
    while offset + HEADER.size <= len(data):
        length, crc, seq = HEADER.unpack_from(data, offset)
        start = offset + HEADER.size
        payload = data[start : start + length]
        if len(payload) < length or zlib.crc32(payload) != crc:
            log.warning("journal %s: torn record after seq %s, ignoring the rest", path.name, seq)
            break
        record = json.loads(payload)
        record["seq"] = seq
        records.append(record)
        offset = start + length
    return records


class Journal:
    def __init__(
        self,
        folder: Path,
        on_durable: Callable[[list[Record]], None],
        commit_ms: float = 2.0,
        segment_bytes: int = SEGMENT_BYTES,
    ) -> None:
        self._folder = folder
        self._on_durable = on_durable
        self._commit_s = commit_ms / 1000
        self._segment_bytes = segment_bytes
        self._lock = threading.Condition()
        self._pending: list[tuple[Record, bytes, Future[int]]] = []
        self._segments: list[_Segment] = []
        self._next_seq = 1
        self._released = 0
        self._file: Any = None
        self._active: _Segment | None = None
        self._thread: threading.Thread | None = None
        self._closing = False

    def open(self) -> list[Record]:
        """Read back what an earlier run left, then start a fresh segment for new appends."""
        self._folder.mkdir(parents=True, exist_ok=True)
        records: list[Record] = []
        for path in sorted(self._folder.glob("segment-*.log")):
            found = read_segment(path)
            records.extend(found)
            self._segments.append(_Segment(path, max((r["seq"] for r in found), default=0)))
        if records:
            self._next_seq = max(r["seq"] for r in records) + 1
        self._start_segment()
        self._thread = threading.Thread(target=self._commit_loop, name="journal", daemon=True)
        self._thread.start()
        return sorted(records, key=lambda r: r["seq"])

    def advance_past(self, seq: int) -> None:
        """Never hand out a sequence number at or below `seq` (the store's highest)."""
        with self._lock:
            self._next_seq = max(self._next_seq, seq + 1)

    def _start_segment(self) -> None:
        number = len(list(self._folder.glob("segment-*.log")))
        stamp = time.time_ns()
        path = self._folder / f"segment-{stamp:020d}-{number:06d}.log"
        self._file = open(path, "ab", buffering=0)  # noqa: SIM115 - lives as long as the journal
        self._active = _Segment(path)
        self._segments.append(self._active)
        _fsync_folder(self._folder)

    def append(self, record: Record) -> Future[int]:
        """Queue `record`; the future resolves to its sequence number once it is on disk."""
        future: Future[int] = Future()
        with self._lock:
            if self._closing:
                raise JournalClosedError("the journal is closed")
            seq = self._next_seq
            self._next_seq += 1
            record["seq"] = seq
            payload = json.dumps(record, separators=(",", ":"), ensure_ascii=False).encode()
            frame = HEADER.pack(len(payload), zlib.crc32(payload), seq) + payload
            self._pending.append((record, frame, future))
            self._lock.notify()
        return future

    def _commit_loop(self) -> None:
        while True:
            with self._lock:
                while not self._pending and not self._closing:
                    self._lock.wait()
                if not self._pending and self._closing:
                    return
            if self._commit_s:
                time.sleep(self._commit_s)  # let concurrent appends join this fsync
            with self._lock:
                batch, self._pending = self._pending, []
            self._commit(batch)

    def _commit(self, batch: list[tuple[Record, bytes, Future[int]]]) -> None:
        try:
            self._file.write(b"".join(frame for _, frame, _ in batch))
            os.fsync(self._file.fileno())
        except OSError as exc:
            log.exception("journal write failed")
            for _, _, future in batch:
                future.set_exception(exc)
            return
        records = [record for record, _, _ in batch]
        active = self._active
        if active is not None:
            active.last_seq = records[-1]["seq"]
        self._on_durable(records)
        for record, _, future in batch:
            future.set_result(record["seq"])
        if self._file.tell() >= self._segment_bytes:
            with self._lock:
                self._file.close()
                self._start_segment()
                self._delete_released()

    def release_through(self, seq: int) -> None:
        """The store has every record up to `seq`: segments holding only those may go."""
        with self._lock:
            self._released = max(self._released, seq)
            self._delete_released()

    def _delete_released(self) -> None:
        keep = []
        for segment in self._segments:
            done = segment is not self._active and segment.last_seq <= self._released
            if done:
                segment.path.unlink(missing_ok=True)
            else:
                keep.append(segment)
        self._segments = keep

    def forget_all(self) -> None:
        """Delete every segment: for a closed journal whose records are all in the store."""
        if self._file is not None:
            raise RuntimeError("close the journal first")
        for segment in self._segments:
            segment.path.unlink(missing_ok=True)
        self._segments = []

    def close(self) -> None:
        """Make everything appended so far durable, then stop."""
        with self._lock:
            self._closing = True
            self._lock.notify()
        if self._thread is not None:
            self._thread.join()
        if self._file is not None:
            self._file.close()
            self._file = None


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
