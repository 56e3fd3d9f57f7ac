"""Overview (SPEC 3.5): traffic over time and the top pages, sources, countries, browsers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sightline.queries.filters import filter_sql
from sightline.queries.identity import sessions_with_profiles
from sightline.queries.params import in_period
from sightline.queries.results import PeriodInfo
from sightline.queries.scope import ListScope
from sightline.store.base import Store

TOP = 10
# dimension shown in a top list -> the sessions column it counts by
BREAKDOWNS = {"source": "source", "country": "country", "browser": "browser", "device": "device"}


@dataclass(frozen=True)
class Point:
    bucket: datetime | date
    visitors: int
    sessions: int
    pageviews: int


@dataclass(frozen=True)
class Ranked:
    value: str
    count: int


@dataclass(frozen=True)
class Overview:
    site: str
    period: PeriodInfo
    filters: list[list[object]]
    granularity: str  # hour, day or month
    visitors: int
    sessions: int
    pageviews: int
    average_session_duration: float
    series: list[Point]
    top_pages: list[Ranked]
    top: dict[str, list[Ranked]]  # source, country, browser, device -> sessions


def granularity_of(start: datetime, end: datetime) -> str:
    span = end - start
    if span <= timedelta(days=2):
        return "hour"
    return "day" if span <= timedelta(days=190) else "month"


# granularity -> (the bucket of a time in the zone, with %s for the time; the step between)
BUCKET = {
    "hour": ("toStartOfHour(%s, {tz:String})", "toIntervalHour(1)"),
    "day": ("toDate(%s, {tz:String})", "toIntervalDay(1)"),
    "month": ("toStartOfMonth(%s, {tz:String})", "toIntervalMonth(1)"),
}


def overview(store: Store, scope: ListScope) -> Overview:
    matched = filter_sql(scope.filters, events_since="{period_start:DateTime64(3, 'UTC')}")
    where = f"{in_period('s.start')} AND {matched.sql()}"
    period = scope.period
    first_activity = store.query(
        "SELECT min(start) AS first FROM sessions WHERE site = {site:String}",
        {"site": scope.site},
    )[0]["first"]
    # "all" starts in 1970; the chart starts at the site's first session instead.
    start = max(period.start, first_activity) if first_activity else period.start
    granularity = granularity_of(start, period.end)
    bucket_of, step = BUCKET[granularity]
    params: dict[str, Any] = {
        "site": scope.site,
        **period.params(),
        **matched.params,
        "tz": period.timezone,
        "chart_start": start,
        "top": TOP,
    }
    joined = sessions_with_profiles(where)
    first_bucket = bucket_of % "{chart_start:DateTime64(3, 'UTC')}"
    last_bucket = bucket_of % "{period_end:DateTime64(3, 'UTC')}"
    # WITH FILL gives the empty buckets too, computed by the engine in the zone.
    series = store.query(
        f"SELECT {bucket_of % 'start'} AS bucket, uniqExact(profile) AS visitors,"
        f" count() AS sessions, sum(pageviews) AS pageviews FROM ({joined})"
        f" GROUP BY bucket ORDER BY bucket WITH FILL FROM {first_bucket}"
        f" TO {last_bucket} + {step} STEP {step}",
        params,
    )
    totals = store.query(
        "SELECT uniqExact(profile) AS visitors, count() AS sessions,"
        " sum(pageviews) AS pageviews,"
        # avg() of no rows is nan, which JSON cannot carry
        " ifNotFinite(avg(dateDiff('millisecond', start, last_activity)) / 1000, 0)"
        " AS average_duration"
        f" FROM ({joined})",
        params,
    )[0]
    sessions_sql = (
        f"SELECT s.session_id FROM sessions AS s WHERE s.site = {{site:String}} AND {where}"
    )
    pages = store.query(
        "SELECT page AS value, count() AS n FROM events WHERE site = {site:String}"
        " AND kind = 'pageview' AND time >= {period_start:DateTime64(3, 'UTC')}"
        f" AND session_id IN ({sessions_sql}) GROUP BY page ORDER BY n DESC, page"
        " LIMIT {top:UInt32}",
        params,
    )
    pairs = ", ".join(f"('{name}', toString(s.{column}))" for name, column in BREAKDOWNS.items())
    ranked = store.query(
        "SELECT pair.1 AS dimension, pair.2 AS value, count() AS n FROM sessions AS s FINAL"
        f" ARRAY JOIN [{pairs}] AS pair WHERE s.site = {{site:String}} AND {where}"
        " AND value != '' GROUP BY dimension, value"
        " ORDER BY dimension, n DESC, value LIMIT {top:UInt32} BY dimension",
        params,
    )
    top: dict[str, list[Ranked]] = {name: [] for name in BREAKDOWNS}
    for row in ranked:
        top[row["dimension"]].append(Ranked(row["value"], row["n"]))
    return Overview(
        site=scope.site,
        period=PeriodInfo.of(period),
        filters=scope.filters.to_json(),
        granularity=granularity,
        visitors=totals["visitors"],
        sessions=totals["sessions"],
        pageviews=totals["pageviews"],
        average_session_duration=round(totals["average_duration"], 1),
        series=[
            Point(_moment(r["bucket"]), r["visitors"], r["sessions"], r["pageviews"])
            for r in series
        ],
        top_pages=[Ranked(r["value"], r["n"]) for r in pages],
        top=top,
    )


def _moment(bucket: int | date) -> datetime | date:
    """Hour buckets come back as seconds since the epoch; days and months as dates."""
    return datetime.fromtimestamp(bucket, UTC) if isinstance(bucket, int) else bucket
