"""Profiles list (SPEC 3.1): the visitors active in the period, newest activity first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sightline.queries.filters import filter_sql
from sightline.queries.identity import display_name, resolve, sessions_with_profiles, traits_of
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
    """Profiles counted over their sessions that start in the period and match the filters.

    The page of profiles is chosen first; then only its profiles' latest sessions are read
    for location and device, and only its profiles are checked for live activity.
    """
    matched = filter_sql(scope.filters, events_since="{period_start:DateTime64(3, 'UTC')}")
    sessions = sessions_with_profiles(f"{in_period('s.start')} AND {matched.sql()}")
    rows = store.query(
        "SELECT profile, count() AS session_count, sum(pageviews) AS pageview_count,"
        " sum(custom_events) AS custom_count, sum(errors) AS error_count,"
        " min(start) AS first_start, max(last_activity) AS last_active,"
        " argMax(session_id, start) AS latest_session, count() OVER () AS total"
        f" FROM ({sessions}) WHERE {TYPE_CONDITION[profile_type]}"
        " GROUP BY profile ORDER BY last_active DESC, profile"
        " LIMIT {limit:UInt32} OFFSET {offset:UInt32}",
        {
            "site": scope.site,
            **scope.period.params(),
            **matched.params,
            "limit": scope.page.limit,
            "offset": scope.page.offset,
        },
    )
    profile_ids = [row["profile"] for row in rows]
    places = latest_places(store, scope.site, [row["latest_session"] for row in rows])
    traits = traits_of(store, scope.site, [p for p in profile_ids if not p.startswith("anon_")])
    active = last_activity_now(store, scope.site, profile_ids, scope.now)
    return ProfilesPage(
        site=scope.site,
        period=PeriodInfo.of(scope.period),
        filters=scope.filters.to_json(),
        type=profile_type,
        total=rows[0]["total"] if rows else 0,
        limit=scope.page.limit,
        offset=scope.page.offset,
        profiles=[
            ProfileRow(
                profile_id=row["profile"],
                display_name=display_name(traits.get(row["profile"], {})),
                identified=not row["profile"].startswith("anon_"),
                status=status_of(active.get(row["profile"], row["last_active"]), scope.now),
                **places[row["latest_session"]],
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


PLACE_AND_DEVICE = ("country", "region", "city", "os", "browser", "device")


def latest_places(store: Store, site: str, session_ids: list[int]) -> dict[int, dict[str, str]]:
    """Location and device of sessions; these come from a session's first event, so any
    stored state of the session has them."""
    if not session_ids:
        return {}
    rows = store.query(
        f"SELECT session_id, {', '.join(PLACE_AND_DEVICE)} FROM sessions"
        " WHERE site = {site:String} AND session_id IN {ids:Array(UInt64)}"
        " LIMIT 1 BY session_id",
        {"site": site, "ids": session_ids},
    )
    return {row["session_id"]: {name: row[name] for name in PLACE_AND_DEVICE} for row in rows}


def last_activity_now(
    store: Store, site: str, profile_ids: list[str], now: datetime
) -> dict[str, datetime]:
    """Last activity of those of `profile_ids` active lately, whatever the period asked."""
    if not profile_ids:
        return {}
    rows = store.query(
        "SELECT profile_id, max(last_activity) AS last_active FROM sessions"
        " WHERE site = {site:String} AND last_activity >= {since:DateTime64(3, 'UTC')}"
        " AND start >= {since:DateTime64(3, 'UTC')} - INTERVAL 2 DAY GROUP BY profile_id",
        {"site": site, "since": now - RECENT_WITHIN},
    )
    owners = resolve(store, site, [row["profile_id"] for row in rows])
    wanted = set(profile_ids)
    latest: dict[str, datetime] = {}
    for row in rows:
        owner = owners[row["profile_id"]]
        if owner in wanted and (owner not in latest or row["last_active"] > latest[owner]):
            latest[owner] = row["last_active"]
    return latest
