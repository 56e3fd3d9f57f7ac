"""The data function of each view: request parameters in, a typed result out.

The JSON API and the dashboard pages both call these, so what a person sees and what a script
fetches are the same object.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sightline.meta.sites import Site
from sightline.queries.filters import SessionBounds, parse_filters
from sightline.queries.overview import overview
from sightline.queries.params import (
    PeriodName,
    optional_bool,
    optional_int,
    parse_page,
    parse_timezone,
    resolve_period,
)
from sightline.queries.profile import existing_profile_ids, profile_detail
from sightline.queries.profiles import list_profiles, parse_profile_type
from sightline.queries.results import NotFoundError, parse_session_id
from sightline.queries.scope import ListScope
from sightline.queries.session import session_detail
from sightline.queries.sessions import list_sessions
from sightline.runtime import Runtime

MAX_DURATION = 10 * 365 * 86400
MAX_PAGEVIEWS = 1_000_000


@dataclass(frozen=True)
class ViewResult:
    data: Any
    timezone: str  # the zone every time of `data` is shown in


def list_scope(
    runtime: Runtime,
    site: Site,
    query: Mapping[str, str],
    *,
    default_period: PeriodName = PeriodName.LAST_30D,
    bounds: SessionBounds | None = None,
) -> ListScope:
    """Period, time zone, filters and page of a list view, parsed the same for every list."""
    timezone = parse_timezone(query.get("timezone"), site.timezone)
    now = runtime.clock.now()
    period = resolve_period(
        runtime.store, query, timezone=timezone, now=now, default=default_period
    )
    filters = parse_filters(query.get("filters"), bounds)
    return ListScope(site.pid, period, filters, parse_page(query), now)


def session_bounds(query: Mapping[str, str]) -> SessionBounds:
    return SessionBounds(
        min_duration=optional_int(query, "min_duration", 0, MAX_DURATION),
        max_duration=optional_int(query, "max_duration", 0, MAX_DURATION),
        min_pageviews=optional_int(query, "min_pageviews", 0, MAX_PAGEVIEWS),
        max_pageviews=optional_int(query, "max_pageviews", 0, MAX_PAGEVIEWS),
        has_errors=optional_bool(query, "has_errors"),
    )


def profiles_view(
    runtime: Runtime, site: Site, query: Mapping[str, str], path: Mapping[str, str]
) -> ViewResult:
    scope = list_scope(runtime, site, query)
    result = list_profiles(runtime.store, scope, parse_profile_type(query.get("type")))
    return ViewResult(result, scope.period.timezone)


def profile_view(
    runtime: Runtime, site: Site, query: Mapping[str, str], path: Mapping[str, str]
) -> ViewResult:
    timezone = parse_timezone(query.get("timezone"), site.timezone)
    result = profile_detail(
        runtime.store, site.pid, path["profile_id"], timezone=timezone, now=runtime.clock.now()
    )
    return ViewResult(result, timezone)


def profile_sessions_view(
    runtime: Runtime, site: Site, query: Mapping[str, str], path: Mapping[str, str]
) -> ViewResult:
    scope = list_scope(
        runtime, site, query, default_period=PeriodName.ALL, bounds=session_bounds(query)
    )
    profile_id = path["profile_id"]
    ids = existing_profile_ids(runtime.store, site.pid, profile_id)
    result = list_sessions(runtime.store, scope, profile=(profile_id, ids))
    return ViewResult(result, scope.period.timezone)


def sessions_view(
    runtime: Runtime, site: Site, query: Mapping[str, str], path: Mapping[str, str]
) -> ViewResult:
    scope = list_scope(runtime, site, query, bounds=session_bounds(query))
    return ViewResult(list_sessions(runtime.store, scope), scope.period.timezone)


def overview_view(
    runtime: Runtime, site: Site, query: Mapping[str, str], path: Mapping[str, str]
) -> ViewResult:
    scope = list_scope(runtime, site, query)
    return ViewResult(overview(runtime.store, scope), scope.period.timezone)


def session_view(
    runtime: Runtime, site: Site, query: Mapping[str, str], path: Mapping[str, str]
) -> ViewResult:
    timezone = parse_timezone(query.get("timezone"), site.timezone)
    session_id = parse_session_id(path["session_id"])
    if session_id is None:
        raise NotFoundError("session ids are 16 hexadecimal digits")
    return ViewResult(
        session_detail(runtime.store, site.pid, session_id, runtime.clock.now()), timezone
    )


View = Callable[[Runtime, Site, Mapping[str, str], Mapping[str, str]], ViewResult]
