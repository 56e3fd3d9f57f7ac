"""The ingest service: runs a request's steps, journals the outcome, answers the tracker."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from sightline.ingest import ids, steps
from sightline.ingest.journal import Journal, Record
from sightline.ingest.pipeline import Context, Event, run
from sightline.ingest.request import EVENT_KINDS, Kind, TrackerRequest
from sightline.ingest.writer import Writer
from sightline.settings import Settings
from sightline.store.base import Store

log = logging.getLogger(__name__)
# Sessions can be continued this long after their last activity (the longest site timeout).
RESTORE_WINDOW_MS = 2 * 60 * 60 * 1000


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any] = field(default_factory=dict)


def _ms(request: TrackerRequest) -> int:
    return int(request.client.time.timestamp() * 1000)


def event_row(event: Event) -> dict[str, Any]:
    """The `events` row of an accepted event (the writer adds its sequence number)."""
    request = event.request
    session = event.session
    error = request.error
    revenue = request.revenue
    if session is None or event.software is None:
        raise RuntimeError("event rows need the session and user-agent steps")
    return {
        "site": request.pid,
        "time": event.time_ms,
        "kind": request.kind.value,
        "profile_id": event.profile_id,
        "session_id": session.session_id,
        "page": request.page,
        "name": error.name if error else request.event_name,
        "meta": request.meta,
        "message": error.message if error else "",
        "filename": error.filename if error else "",
        "lineno": error.lineno if error else 0,
        "colno": error.colno if error else 0,
        "stack": error.stack if error else "",
        "amount": revenue.amount if revenue else 0.0,
        "currency": revenue.currency if revenue else "",
        "transaction_id": revenue.transaction_id if revenue else "",
        "product": revenue.product if revenue else "",
        "query": request.query,
        "locale": request.locale,
        "browser_timezone": request.browser_timezone,
        "perf": request.perf,
        **event.attributes(),
    }


def journal_record(event: Event) -> Record | None:
    """What must survive a crash for this request, or None when it changes nothing."""
    request = event.request
    record: Record = {}
    if request.kind in EVENT_KINDS:
        record["event"] = event_row(event)
    if event.session is not None and request.kind not in {Kind.PROFILE_ID, Kind.SESSION_ID}:
        record["session"] = event.session.snapshot()
    if event.alias_of is not None:
        record["alias"] = {
            "site": request.pid,
            "anon_id": event.alias_of,
            "profile_id": event.profile_id,
            "time": event.time_ms,
        }
    if request.kind is Kind.IDENTIFY and request.traits:
        record["traits"] = {
            "site": request.pid,
            "profile_id": event.profile_id,
            "traits": request.traits,
            "time": event.time_ms,
        }
    return record or None


def answer_of(event: Event, ctx: Context) -> Answer:
    kind = event.request.kind
    if kind is Kind.IDENTIFY:
        return Answer(201, {"profileId": event.profile_id})
    if kind is Kind.PROFILE_ID:
        profile_id, _ = steps.resolve_profile(event, ctx)
        known = ctx.aliases.identified_as(event.request.pid, profile_id)
        return Answer(201, {"profileId": known or profile_id})
    if kind is Kind.SESSION_ID:
        session = event.session
        return Answer(
            201, {"sessionId": ids.session_id_text(session.session_id) if session else None}
        )
    return Answer(201, {})


class IngestService:
    def __init__(self, ctx: Context, store: Store, settings: Settings) -> None:
        self.ctx = ctx
        self.store = store
        self.clock = ctx.clock
        self.writer = Writer(
            store,
            on_written=self._written,
            quarantine=settings.data_dir / "quarantine.jsonl",
            batch_rows=settings.writer_batch_rows,
            flush_ms=settings.writer_flush_ms,
        )
        self._last_append: Future[int] | None = None
        self.journal = Journal(
            settings.journal_dir,
            on_durable=self.writer.submit,
            commit_ms=settings.journal_commit_ms,
        )

    def _written(self, seq: int) -> None:
        self.journal.release_through(seq)

    def start(self) -> int:
        """Recover: replay what the store lacks, restore live sessions; return records replayed."""
        leftover = self.journal.open()
        self.journal.advance_past(self._store_max_seq())
        missing = self._not_in_store(leftover)
        self._restore_live_sessions(leftover)
        self._restore_aliases(leftover)
        self.writer.start()
        self.writer.submit(missing)
        if missing:
            log.info("replaying %d journal records into the store", len(missing))
        return len(missing)

    def _store_max_seq(self) -> int:
        row = self.store.query(
            "SELECT greatest((SELECT max(seq) FROM events), (SELECT max(version) FROM sessions),"
            " (SELECT max(seq) FROM aliases), (SELECT max(seq) FROM traits)) AS top"
        )
        return int(row[0]["top"] or 0) if row else 0

    def _not_in_store(self, records: list[Record]) -> list[Record]:
        """Journal records the store lacks; only event rows could be written twice."""
        if not records:
            return []
        present = {
            row["seq"]
            for row in self.store.query(
                "SELECT seq FROM events WHERE seq >= {first:UInt64}",
                {"first": records[0]["seq"]},
            )
        }
        missing = []
        for record in records:
            needed = record
            if record["seq"] in present:
                needed = {k: v for k, v in record.items() if k != "event"}
            if len(needed) > 1:  # more than its sequence number
                missing.append(needed)
        return missing

    def _restore_live_sessions(self, leftover: list[Record]) -> None:
        since = int(self.clock.now().timestamp() * 1000) - RESTORE_WINDOW_MS
        rows = self.store.query(
            "SELECT * EXCEPT (start, last_activity, version),"
            " toUnixTimestamp64Milli(start) AS start_ms,"
            " toUnixTimestamp64Milli(last_activity) AS last_activity_ms"
            " FROM sessions WHERE last_activity >= fromUnixTimestamp64Milli({since:Int64}, 'UTC')"
            " ORDER BY version DESC LIMIT 1 BY site, session_id",
            {"since": since},
        )
        for row in rows:
            row["start"] = row.pop("start_ms")
            row["last_activity"] = row.pop("last_activity_ms")
            self.ctx.sessions.restore(row)
        for record in leftover:
            if "session" in record:
                self.ctx.sessions.restore(record["session"])

    def _restore_aliases(self, leftover: list[Record]) -> None:
        rows = self.store.query(
            "SELECT site, anon_id, argMin(profile_id, seq) AS identified FROM aliases"
            " GROUP BY site, anon_id"
        )
        for row in rows:
            self.ctx.aliases.link(row["site"], row["anon_id"], row["identified"])
        for record in leftover:
            if "alias" in record:
                alias = record["alias"]
                self.ctx.aliases.link(alias["site"], alias["anon_id"], alias["profile_id"])

    def process(self, request: TrackerRequest) -> tuple[Event, Record | None]:
        """Run the request's steps (RequestError for a refusal) and build its journal record."""
        event = Event(request=request, time_ms=_ms(request))
        run(steps.STEPS_OF_KIND[request.kind], event, self.ctx)
        if event.dropped is not None:
            return event, None
        return event, journal_record(event)

    async def handle(self, request: TrackerRequest) -> Answer:
        event, record = self.process(request)
        if record is not None:
            self._last_append = self.journal.append(record)
            await asyncio.wrap_future(self._last_append)
        return answer_of(event, self.ctx)

    def handle_now(self, request: TrackerRequest) -> Answer:
        """`handle` for callers without an event loop (bulk loads, the demo generator).

        It does not wait for the fsync; call `flush` when the batch is done.
        """
        event, record = self.process(request)
        if record is not None:
            self._last_append = self.journal.append(record)
        return answer_of(event, self.ctx)

    def flush(self, timeout: float = 60.0) -> bool:
        """Wait until everything accepted so far is durable and in the store."""
        last = self._last_append
        if last is not None:
            last.result(timeout)
        return self.writer.flush(timeout)

    def stop(self) -> None:
        """Graceful shutdown: everything accepted is made durable and written to the store,
        after which the journal has nothing left to replay."""
        self.journal.close()
        self.writer.stop()
        self.journal.forget_all()
