"""Live sessions: the visitors active within their site's timeout, kept in memory.

A visitor is recognised by the key of their salted hash, so events with or without a profile
id, before and after identification, continue one session. Nothing here depends on the
calendar: a session runs across midnight and across a salt rotation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(slots=True)
class LiveSession:
    site: str
    session_id: int
    visitor: int
    profile_id: str
    start: int  # epoch milliseconds, like every time in the ingest path
    last_activity: int
    entry_page: str = ""
    exit_page: str = ""
    pageviews: int = 0
    custom_events: int = 0
    errors: int = 0
    revenue: dict[str, float] = field(default_factory=dict)  # currency -> amount
    revenue_events: int = 0
    referrer: str = ""
    source: str = ""
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    utm_term: str = ""
    utm_content: str = ""
    country: str = ""
    region: str = ""
    city: str = ""
    browser: str = ""
    browser_version: str = ""
    os: str = ""
    os_version: str = ""
    device: str = ""

    def snapshot(self) -> dict[str, Any]:
        state = {name: getattr(self, name) for name in SNAPSHOT_FIELDS}
        state["revenue"] = dict(self.revenue)
        return state

    @classmethod
    def from_snapshot(cls, row: dict[str, Any]) -> LiveSession:
        state = {name: row[name] for name in SNAPSHOT_FIELDS if name in row}
        state["revenue"] = dict(state.get("revenue") or {})  # the store gives (key, value) pairs
        return cls(**state)

    def touch(self, time_ms: int) -> None:
        self.last_activity = max(self.last_activity, time_ms)


SNAPSHOT_FIELDS = tuple(f.name for f in fields(LiveSession))


class SessionTracker:
    def __init__(self) -> None:
        self._live: dict[tuple[str, int], LiveSession] = {}

    def __len__(self) -> int:
        return len(self._live)

    def find(
        self, site: str, keys: Iterable[int], time_ms: int, timeout_ms: int
    ) -> LiveSession | None:
        """The visitor's live session under any of their keys, filed under the first key."""
        keys = list(keys)
        for key in keys:
            session = self._live.get((site, key))
            if session is None:
                continue
            if time_ms - session.last_activity > timeout_ms:
                del self._live[(site, key)]
                continue
            if key != keys[0]:
                del self._live[(site, key)]
                session.visitor = keys[0]
                self._live[(site, keys[0])] = session
            return session
        return None

    def add(self, session: LiveSession) -> None:
        self._live[(session.site, session.visitor)] = session

    def restore(self, snapshot: dict[str, Any]) -> None:
        """Take a stored or journaled state, keeping the newest state of each session."""
        session = LiveSession.from_snapshot(snapshot)
        current = self._live.get((session.site, session.visitor))
        if current is None or current.last_activity <= session.last_activity:
            self._live[(session.site, session.visitor)] = session

    def sweep(self, time_ms: int, timeout_ms_of: dict[str, int], default_ms: int) -> int:
        """Forget sessions past their timeout; return how many."""
        expired = [
            key
            for key, s in self._live.items()
            if time_ms - s.last_activity > timeout_ms_of.get(s.site, default_ms)
        ]
        for key in expired:
            del self._live[key]
        return len(expired)
