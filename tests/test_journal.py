"""The journal keeps every record it acknowledged, and only those, across restarts."""

from __future__ import annotations

from pathlib import Path

from sightline.ingest.journal import Journal, Record


def journal(folder: Path, sink: list[Record]) -> Journal:
    return Journal(folder, on_durable=sink.extend, commit_ms=0.5)


def test_records_come_back_after_a_restart_in_order(tmp_path: Path) -> None:
    durable: list[Record] = []
    first = journal(tmp_path, durable)
    assert first.open() == []
    futures = [first.append({"event": {"n": n}}) for n in range(50)]
    assert [f.result(5) for f in futures] == list(range(1, 51))
    first.close()
    assert [r["event"]["n"] for r in durable] == list(range(50))

    second = journal(tmp_path, [])
    back = second.open()
    assert [r["seq"] for r in back] == list(range(1, 51))
    assert second.append({"event": {"n": 50}}).result(5) == 51
    second.close()


def test_a_torn_tail_is_ignored(tmp_path: Path) -> None:
    first = journal(tmp_path, [])
    first.open()
    for n in range(3):
        first.append({"n": n}).result(5)
    first.close()
    segment = max(tmp_path.glob("segment-*.log"))
    whole = segment.read_bytes()
    segment.write_bytes(whole + whole[:20])  # a crash in the middle of the next frame
    assert [r["n"] for r in journal(tmp_path, []).open()] == [0, 1, 2]


def test_released_segments_are_deleted(tmp_path: Path) -> None:
    small = Journal(tmp_path, on_durable=lambda records: None, commit_ms=0, segment_bytes=200)
    small.open()
    last = 0
    for n in range(20):
        last = small.append({"payload": "x" * 50, "n": n}).result(5)
    assert len(list(tmp_path.glob("segment-*.log"))) > 2
    small.release_through(last)
    # Only the segment still being written remains.
    assert len(list(tmp_path.glob("segment-*.log"))) == 1
    small.close()
