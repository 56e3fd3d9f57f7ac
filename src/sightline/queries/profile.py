"""Profile details (SPEC 3.2): one visitor, all time, with an activity calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sightline.queries.identity import display_name, identified_as, stored_ids_of, traits_of
from sightline.queries.results import NotFoundError, Status, status_of
from sightline.store.base import Store

CALENDAR_DAYS = 183  # six months and a little
TOP_PAGES = 10


class MergedProfileError(LookupError):
    """An anonymous profile that was identified: it now lives under `identified`."""

    def __init__(self, identified: str) -> None:
        super().__init__(f"merged into {identified}")
        self.identified = identified


@dataclass(frozen=True)
class CalendarDay:
    day: date
    count: int  # pageviews + custom events that day, in the requested time zone


@dataclass(frozen=True)
class PageCount:
    page: str
    pageviews: int


@dataclass(frozen=True)
class ProfileDetail:
    site: str
    profile_id: str
    display_name: str | None
    identified: bool
    status: Status
    first_seen: datetime
    last_seen: datetime
    revenue: dict[str, float]  # currency -> total
    sessions: int
    pageviews: int
    custom_events: int
    errors: int
    revenue_events: int
    average_session_duration: float  # seconds
    country: str
    region: str
    city: str
    os: str
    browser: str
    device: str
    traits: dict[str, str]
    merged_ids: list[str]  # the anonymous profiles that became this one
    top_pages: list[PageCount]
    calendar_timezone: str
    calendar: list[CalendarDay]


def profile_ids(store: Store, site: str, profile_id: str) -> list[str]:
    """The ids stored on the profile's sessions; MergedProfileError if the profile was an
    anonymous one that has since been identified."""
    if profile_id.startswith("anon_"):
        identified = identified_as(store, site, profile_id)
        if identified is not None:
            raise MergedProfileError(identified)
    return stored_ids_of(store, site, profile_id)


def existing_profile_ids(store: Store, site: str, profile_id: str) -> list[str]:
    """`profile_ids`, and NotFoundError when the profile has no session at all."""
    ids = profile_ids(store, site, profile_id)
    found = store.query(
        "SELECT 1 AS found FROM sessions WHERE site = {site:String}"
        " AND profile_id IN {ids:Array(String)} LIMIT 1",
        {"site": site, "ids": ids},
    )
    if not found:
        raise NotFoundError("no profile with this id")
    return ids


def profile_detail(
    store: Store,
    site: str,
    profile_id: str,
    *,
    timezone: str,
    now: datetime,
    calendar_days: int = CALENDAR_DAYS,
) -> ProfileDetail:
    ids = profile_ids(store, site, profile_id)
    params: dict[str, object] = {
        "site": site,
        "ids": ids,
        "tz": timezone,
        "now": now,
        "days": calendar_days - 1,
    }
    summary = store.query(
        "SELECT count() AS session_count, sum(pageviews) AS pageview_count,"
        " sum(custom_events) AS custom_count, sum(errors) AS error_count,"
        " sum(revenue_events) AS revenue_count, sumMap(revenue) AS revenue_total,"
        " min(start) AS first_start, max(last_activity) AS last_active,"
        " avg(dateDiff('millisecond', start, last_activity)) / 1000 AS average_duration,"
        " argMax(country, start) AS last_country, argMax(region, start) AS last_region,"
        " argMax(city, start) AS last_city, argMax(os, start) AS last_os,"
        " argMax(browser, start) AS last_browser, argMax(device, start) AS last_device,"
        " toDate({now:DateTime64(3, 'UTC')}, {tz:String}) AS today"
        " FROM sessions FINAL WHERE site = {site:String} AND profile_id IN {ids:Array(String)}"
        " HAVING count() > 0",
        params,
    )
    if not summary:
        raise NotFoundError("no profile with this id")
    row = summary[0]
    profile_sessions = (
        "SELECT session_id FROM sessions"
        " WHERE site = {site:String} AND profile_id IN {ids:Array(String)}"
    )
    pages = store.query(
        "SELECT page, count() AS views FROM events"
        f" WHERE site = {{site:String}} AND session_id IN ({profile_sessions})"
        " AND kind = 'pageview' GROUP BY page ORDER BY views DESC, page LIMIT {top:UInt32}",
        {**params, "top": TOP_PAGES},
    )
    days = store.query(
        "SELECT toDate(time, {tz:String}) AS day, count() AS actions FROM events"
        f" WHERE site = {{site:String}} AND session_id IN ({profile_sessions})"
        " AND kind IN ('pageview', 'custom')"
        " AND time >= toDateTime(toDate({now:DateTime64(3, 'UTC')}, {tz:String}) - {days:UInt32},"
        " {tz:String}) GROUP BY day",
        params,
    )
    traits = traits_of(store, site, [profile_id]).get(profile_id, {})
    return ProfileDetail(
        site=site,
        profile_id=profile_id,
        display_name=display_name(traits),
        identified=not profile_id.startswith("anon_"),
        status=status_of(row["last_active"], now),
        first_seen=row["first_start"],
        last_seen=row["last_active"],
        revenue={currency: round(amount, 2) for currency, amount in row["revenue_total"]},
        sessions=row["session_count"],
        pageviews=row["pageview_count"],
        custom_events=row["custom_count"],
        errors=row["error_count"],
        revenue_events=row["revenue_count"],
        average_session_duration=round(row["average_duration"], 1),
        country=row["last_country"],
        region=row["last_region"],
        city=row["last_city"],
        os=row["last_os"],
        browser=row["last_browser"],
        device=row["last_device"],
        traits=traits,
        merged_ids=ids[1:],
        top_pages=[PageCount(p["page"], p["views"]) for p in pages],
        calendar_timezone=timezone,
        calendar=calendar(row["today"], calendar_days, {d["day"]: d["actions"] for d in days}),
    )


def calendar(last_day: date, length: int, counts: dict[date, int]) -> list[CalendarDay]:
    """One entry for each of the `length` days ending `last_day`, zero where nothing happened."""
    first = last_day - timedelta(days=length - 1)
    return [
        CalendarDay(first + timedelta(days=n), counts.get(first + timedelta(days=n), 0))
        for n in range(length)
    ]
