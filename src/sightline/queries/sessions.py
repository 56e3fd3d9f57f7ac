"""Sessions list (SPEC 3.3): every session in the period, newest first; also one profile's."""

from __future__ import annotations

from dataclasses import dataclass

from sightline.queries.filters import filter_sql
from sightline.queries.identity import resolve
from sightline.queries.params import in_period
from sightline.queries.results import STORED_SESSION_COLUMNS, PeriodInfo, SessionRow
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

    `profile` narrows to one profile: (its id, the ids stored on its sessions). Which
    sessions match never depends on identity, so the page is chosen from the session rows
    alone and only its profiles are resolved through the aliases.
    """
    matched = filter_sql(scope.filters, events_since="{period_start:DateTime64(3, 'UTC')}")
    where = ["s.site = {site:String}", in_period("s.start"), matched.sql()]
    params: dict[str, object] = {
        "site": scope.site,
        **scope.period.params(),
        **matched.params,
        "limit": scope.page.limit,
        "offset": scope.page.offset,
    }
    if profile is not None:
        where.append("s.profile_id IN {stored_ids:Array(String)}")
        params["stored_ids"] = profile[1]
    condition = " AND ".join(where)
    rows = store.query(
        f"SELECT {STORED_SESSION_COLUMNS} FROM sessions AS s FINAL WHERE {condition}"
        " ORDER BY s.start DESC, s.session_id LIMIT {limit:UInt32} OFFSET {offset:UInt32}",
        params,
    )
    total = store.query(
        f"SELECT count() AS total FROM sessions AS s FINAL WHERE {condition}", params
    )[0]["total"]
    owners = (
        {row["profile_id"]: profile[0] for row in rows}
        if profile is not None
        else resolve(store, scope.site, [row["profile_id"] for row in rows])
    )
    return SessionsPage(
        site=scope.site,
        period=PeriodInfo.of(scope.period),
        filters=scope.filters.to_json(),
        total=total,
        limit=scope.page.limit,
        offset=scope.page.offset,
        sessions=[
            SessionRow.of({**row, "profile": owners[row["profile_id"]]}, scope.now) for row in rows
        ],
    )
