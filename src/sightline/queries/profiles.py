"""Profiles list (SPEC 3.1): the visitors active in the period, newest activity first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sightline.queries.filters import filter_sql
from sightline.queries.identity import display_name, sessions_with_profiles, traits_of
from sightline.queries.params import ParamError, in_period
from sightline.queries.results import RECENT_WITHIN, PeriodInfo, Status, status_of
from sightline.queries.scope import ListScope
from sightline.store.base import Store


class ProfileType(StrEnum):
    ALL = "all"
    ANONYMOUS = "anonymous"
    IDENTIFIED = "identified"


TYPE_CONDITION = {
    ProfileType.ALL: "1",
    ProfileType.ANONYMOUS: "startsWith(profile, 'anon_')",
    ProfileType.IDENTIFIED: "NOT startsWith(profile, 'anon_')",
}


def parse_profile_type(raw: str | None) -> ProfileType:
    try:
        return ProfileType(raw or "all")
    except ValueError as exc:
        raise ParamError("type", "must be all, anonymous or identified") from exc


@dataclass(frozen=True)
class ProfileRow:
    profile_id: str
    display_name: str | None
    identified: bool
    status: Status
    country: str
    region: str
    city: str
    os: str
    browser: str
    device: str
    sessions: int
    pageviews: int
    custom_events: int
    errors: int
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True)
class ProfilesPage:
    site: str
    period: PeriodInfo
    filters: list[list[object]]
    type: ProfileType
    total: int
    limit: int
    offset: int
    profiles: list[ProfileRow]


def list_profiles(store: Store, scope: ListScope, profile_type: ProfileType) -> ProfilesPage:
    """Profiles counted over their sessions that start in the period and match the filters."""
    site, period, filters, page, now = (
        scope.site,
        scope.period,
        scope.filters,
        scope.page,
        scope.now,
    )
    matched = filter_sql(filters, events_since="{period_start:DateTime64(3, 'UTC')}")
    sessions = sessions_with_profiles(f"{in_period('s.start')} AND {matched.sql()}")
    params: dict[str, object] = {
        "site": site,
        **period.params(),
        **matched.params,
        "limit": page.limit,
        "offset": page.offset,
    }
    rows = store.query(
        "SELECT profile, count() AS session_count, sum(pageviews) AS pageview_count,"
        " sum(custom_events) AS custom_count, sum(errors) AS error_count,"
        " min(start) AS first_start, max(last_activity) AS last_active,"
        " argMax(country, start) AS last_country, argMax(region, start) AS last_region,"
        " argMax(city, start) AS last_city, argMax(os, start) AS last_os,"
        " argMax(browser, start) AS last_browser, argMax(device, start) AS last_device,"
        " count() OVER () AS total"
        f" FROM ({sessions}) WHERE {TYPE_CONDITION[profile_type]}"
        " GROUP BY profile ORDER BY last_active DESC, profile"
        " LIMIT {limit:UInt32} OFFSET {offset:UInt32}",
        params,
    )
    profile_ids = [row["profile"] for row in rows]
    traits = traits_of(store, site, [p for p in profile_ids if not p.startswith("anon_")])
    active = last_activity_now(store, site, profile_ids, now)
    return ProfilesPage(
        site=site,
        period=PeriodInfo.of(period),
        filters=filters.to_json(),
        type=profile_type,
        total=rows[0]["total"] if rows else 0,
        limit=page.limit,
        offset=page.offset,
        profiles=[
            ProfileRow(
                profile_id=row["profile"],
                display_name=display_name(traits.get(row["profile"], {})),
                identified=not row["profile"].startswith("anon_"),
                status=status_of(active.get(row["profile"], row["last_active"]), now),
                country=row["last_country"],
                region=row["last_region"],
                city=row["last_city"],
                os=row["last_os"],
                browser=row["last_browser"],
                device=row["last_device"],
                sessions=row["session_count"],
                pageviews=row["pageview_count"],
                custom_events=row["custom_count"],
                errors=row["error_count"],
                first_seen=row["first_start"],
                last_seen=row["last_active"],
            )
            for row in rows
        ],
    )


def last_activity_now(
    store: Store, site: str, profile_ids: list[str], now: datetime
) -> dict[str, datetime]:
    """Last activity of those of `profile_ids` active lately, whatever the period asked."""
    if not profile_ids:
        return {}
    rows = store.query(
        "SELECT profile, max(last_activity) AS last_active FROM ("
        + sessions_with_profiles(
            "s.last_activity >= {since:DateTime64(3, 'UTC')}"
            " AND s.start >= {since:DateTime64(3, 'UTC')} - INTERVAL 2 DAY"
        )
        + ") WHERE profile IN {ids:Array(String)} GROUP BY profile",
        {"site": site, "since": now - RECENT_WITHIN, "ids": profile_ids},
    )
    return {row["profile"]: row["last_active"] for row in rows}
