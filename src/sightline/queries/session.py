"""Session details (SPEC 3.4): one session's attributes and its full timeline."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sightline.ingest.request import ErrorDetails, RevenueDetails
from sightline.queries.identity import resolve
from sightline.queries.results import STORED_SESSION_COLUMNS, NotFoundError, SessionRow
from sightline.store.base import Store


@dataclass(frozen=True)
class TimelineStep:
    kind: str  # pageview, custom, error, revenue
    time: datetime
    offset: float  # seconds since the session started
    page: str
    name: str  # the custom event's or the error's name
    meta: dict[str, str]
    time_on_page: float | None  # pageviews only: until the next pageview or the session's end
    error: ErrorDetails | None
    revenue: RevenueDetails | None


@dataclass(frozen=True)
class SessionDetail:
    site: str
    session: SessionRow
    timeline: list[TimelineStep]


def session_state(store: Store, site: str, session_id: int) -> dict[str, Any] | None:
    """The session's newest state; the skip index finds its few rows without FINAL."""
    rows = store.query(
        f"SELECT {STORED_SESSION_COLUMNS} FROM sessions AS s"
        " WHERE s.site = {site:String} AND s.session_id = {id:UInt64}"
        " ORDER BY s.version DESC LIMIT 1",
        {"site": site, "id": session_id},
    )
    return rows[0] if rows else None


def session_detail(store: Store, site: str, session_id: int, now: datetime) -> SessionDetail:
    state = session_state(store, site, session_id)
    if state is None:
        raise NotFoundError("no session with this id")
    stored = state["profile_id"]
    state["profile"] = resolve(store, site, [stored])[stored]
    events = store.query(
        "SELECT toString(kind) AS kind, time, page, name, meta, message, filename, lineno, colno,"
        " stack, amount, currency, transaction_id, product FROM events"
        " WHERE site = {site:String} AND session_id = {id:UInt64} ORDER BY time, seq",
        {"site": site, "id": session_id},
    )
    return SessionDetail(site, SessionRow.of(state, now), timeline(events, state))


def timeline(events: list[dict[str, Any]], state: dict[str, Any]) -> list[TimelineStep]:
    start, end = state["start"], state["last_activity"]
    pageviews = [i for i, event in enumerate(events) if event["kind"] == "pageview"]
    # A page is looked at until the next pageview, the last one until the session's end.
    until = {i: events[j]["time"] for i, j in itertools.pairwise(pageviews)}
    steps = []
    for position, event in enumerate(events):
        kind, moment = event["kind"], event["time"]
        time_on_page = None
        if kind == "pageview":
            time_on_page = max(0.0, (until.get(position, end) - moment).total_seconds())
        steps.append(
            TimelineStep(
                kind=kind,
                time=moment,
                offset=(moment - start).total_seconds(),
                page=event["page"],
                name=event["name"],
                meta=dict(event["meta"]),
                time_on_page=time_on_page,
                error=ErrorDetails(
                    event["name"],
                    event["message"],
                    event["filename"],
                    event["lineno"],
                    event["colno"],
                    event["stack"],
                )
                if kind == "error"
                else None,
                revenue=RevenueDetails(
                    event["amount"], event["currency"], event["transaction_id"], event["product"]
                )
                if kind == "revenue"
                else None,
            )
        )
    return steps
