"""Sessions list (SPEC 3.3): every session in the period, newest first; also one profile's."""

from __future__ import annotations

from dataclasses import dataclass

from sightline.queries.filters import filter_sql
from sightline.queries.identity import sessions_with_profiles
from sightline.queries.params import in_period
from sightline.queries.results import SESSION_COLUMNS, PeriodInfo, SessionRow
from sightline.queries.scope import ListScope
from sightline.store.base import Store


@dataclass(frozen=True)
class SessionsPage:
    site: str
    period: PeriodInfo
    filters: list[list[object]]
    total: int
    limit: int
    offset: int
    sessions: list[SessionRow]


def list_sessions(
    store: Store, scope: ListScope, *, profile: tuple[str, list[str]] | None = None
) -> SessionsPage:
    """Sessions starting in the period that match the filters, newest first.

    `profile` narrows to one profile: (its id, the ids stored on its sessions).
    """
    site, period, filters, page, now = (
        scope.site,
        scope.period,
        scope.filters,
        scope.page,
        scope.now,
    )
    matched = filter_sql(filters, events_since="{period_start:DateTime64(3, 'UTC')}")
    where = [in_period("s.start"), matched.sql()]
    params: dict[str, object] = {
        "site": site,
        **period.params(),
        **matched.params,
        "limit": page.limit,
        "offset": page.offset,
    }
    outer = "1"
    if profile is not None:
        where.append("s.profile_id IN {stored_ids:Array(String)}")
        outer = "profile = {profile:String}"
        params.update(profile=profile[0], stored_ids=profile[1])
    rows = store.query(
        f"SELECT {SESSION_COLUMNS}, count() OVER () AS total"
        f" FROM ({sessions_with_profiles(' AND '.join(where))}) WHERE {outer}"
        " ORDER BY start DESC, session_id LIMIT {limit:UInt32} OFFSET {offset:UInt32}",
        params,
    )
    total = rows[0]["total"] if rows else _count(store, where, outer, params)
    return SessionsPage(
        site=site,
        period=PeriodInfo.of(period),
        filters=filters.to_json(),
        total=total,
        limit=page.limit,
        offset=page.offset,
        sessions=[SessionRow.of(row, now) for row in rows],
    )


def _count(store: Store, where: list[str], outer: str, params: dict[str, object]) -> int:
    """The total when the page is past the end (the window count needs a row to ride on)."""
    if params["offset"] == 0:
        return 0
    rows = store.query(
        f"SELECT count() AS total FROM ({sessions_with_profiles(' AND '.join(where))})"
        f" WHERE {outer}",
        params,
    )
    return int(rows[0]["total"])
