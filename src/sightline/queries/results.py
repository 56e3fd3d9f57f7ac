"""Result types shared by several views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sightline.ingest.ids import session_id_text
from sightline.queries.params import Period

ONLINE_WITHIN = timedelta(minutes=5)
RECENT_WITHIN = timedelta(minutes=30)
LIVE_WITHIN = timedelta(minutes=2)


class NotFoundError(LookupError):
    """The site has no such profile or session."""


class Status(StrEnum):
    ONLINE = "online"
    RECENTLY_ACTIVE = "recently_active"
    OFFLINE = "offline"


def status_of(last_activity: datetime | None, now: datetime) -> Status:
    if last_activity is None:
        return Status.OFFLINE
    idle = now - last_activity
    if idle < ONLINE_WITHIN:
        return Status.ONLINE
    if idle < RECENT_WITHIN:
        return Status.RECENTLY_ACTIVE
    return Status.OFFLINE


@dataclass(frozen=True)
class PeriodInfo:
    name: str
    start: datetime
    end: datetime
    timezone: str

    @classmethod
    def of(cls, period: Period) -> PeriodInfo:
        return cls(period.name.value, period.start, period.end, period.timezone)


def parse_session_id(text: str) -> int | None:
    if len(text) != 16:
        return None
    try:
        return int(text, 16)
    except ValueError:
        return None


@dataclass(frozen=True)
class SessionRow:
    session_id: str
    profile_id: str
    start: datetime
    end: datetime
    duration: int  # seconds, last activity minus first event
    entry_page: str
    exit_page: str
    pageviews: int
    custom_events: int
    errors: int
    revenue: dict[str, float]  # currency -> amount
    revenue_events: int
    country: str
    region: str
    city: str
    browser: str
    os: str
    device: str
    source: str
    live: bool

    @classmethod
    def of(cls, row: dict[str, Any], now: datetime) -> SessionRow:
        return cls(
            session_id=session_id_text(row["session_id"]),
            profile_id=row["profile"],
            start=row["start"],
            end=row["last_activity"],
            duration=int((row["last_activity"] - row["start"]).total_seconds()),
            entry_page=row["entry_page"],
            exit_page=row["exit_page"],
            pageviews=row["pageviews"],
            custom_events=row["custom_events"],
            errors=row["errors"],
            revenue=dict(row["revenue"]),
            revenue_events=row["revenue_events"],
            country=row["country"],
            region=row["region"],
            city=row["city"],
            browser=row["browser"],
            os=row["os"],
            device=row["device"],
            source=row["source"],
            live=now - row["last_activity"] < LIVE_WITHIN,
        )


# The columns of `sessions` (alias `s`) that SessionRow.of reads, besides the resolved profile.
STORED_SESSION_COLUMNS = ", ".join(
    f"s.{name}"
    for name in [
        "session_id",
        "profile_id",
        "start",
        "last_activity",
        "entry_page",
        "exit_page",
        "pageviews",
        "custom_events",
        "errors",
        "revenue",
        "revenue_events",
        "country",
        "region",
        "city",
        "browser",
        "os",
        "device",
        "source",
    ]
)
