"""The parameters every view shares: period, time zone, paging — parsed once, typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sightline.store.base import Store

MAX_LIMIT = 500


class ParamError(ValueError):
    """A query parameter that cannot be used: answered with 400, naming the parameter."""

    def __init__(self, parameter: str, reason: str) -> None:
        super().__init__(f"{parameter}: {reason}")
        self.parameter = parameter
        self.reason = reason


class PeriodName(StrEnum):
    TODAY = "today"
    YESTERDAY = "yesterday"
    LAST_24H = "24h"
    LAST_7D = "7d"
    LAST_30D = "30d"
    LAST_90D = "90d"
    LAST_12M = "12m"
    ALL = "all"
    CUSTOM = "custom"


# Lower and upper bound of each period as ClickHouse expressions of the clock's `now` and the
# zone, so day and month boundaries (and their DST shifts) are the engine's.
_TODAY = "toDate({now:DateTime64(3, 'UTC')}, {tz:String})"
_NOW = "{now:DateTime64(3, 'UTC')}"
_BOUNDS: dict[PeriodName, tuple[str, str]] = {
    PeriodName.TODAY: (f"toDateTime({_TODAY}, {{tz:String}})", _NOW),
    PeriodName.YESTERDAY: (
        f"toDateTime({_TODAY} - 1, {{tz:String}})",
        f"toDateTime({_TODAY}, {{tz:String}})",
    ),
    PeriodName.LAST_24H: (f"{_NOW} - INTERVAL 24 HOUR", _NOW),
    PeriodName.LAST_7D: (f"toDateTime({_TODAY} - 6, {{tz:String}})", _NOW),
    PeriodName.LAST_30D: (f"toDateTime({_TODAY} - 29, {{tz:String}})", _NOW),
    PeriodName.LAST_90D: (f"toDateTime({_TODAY} - 89, {{tz:String}})", _NOW),
    PeriodName.LAST_12M: (
        f"toDateTime(toStartOfMonth({_TODAY}) - INTERVAL 11 MONTH, {{tz:String}})",
        _NOW,
    ),
    PeriodName.ALL: ("toDateTime64(0, 3, 'UTC')", _NOW),
    PeriodName.CUSTOM: (
        "toDateTime({from_day:Date}, {tz:String})",
        "toDateTime({to_day:Date} + 1, {tz:String})",
    ),
}


@dataclass(frozen=True)
class Period:
    """A resolved period: [start, end) in UTC, and how it was asked for."""

    name: PeriodName
    start: datetime
    end: datetime
    timezone: str

    def params(self) -> dict[str, object]:
        return {"period_start": self.start, "period_end": self.end}


# SQL for "this time is inside the period", for columns of DateTime64(3, 'UTC').
def in_period(column: str) -> str:
    return (
        f"{column} >= {{period_start:DateTime64(3, 'UTC')}}"
        f" AND {column} < {{period_end:DateTime64(3, 'UTC')}}"
    )


def parse_timezone(raw: str | None, default: str) -> str:
    name = raw or default
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ParamError("timezone", f"{name!r} is not an IANA time zone") from exc
    return name


FIRST_DAY, LAST_DAY = date(1970, 1, 2), date(2149, 6, 5)  # what the engine's Date can hold


def _day(raw: str, parameter: str) -> date:
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise ParamError(parameter, "must be a date like 2026-01-31") from exc
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ParamError(parameter, f"must be between {FIRST_DAY} and {LAST_DAY}")
    return day


def resolve_period(
    store: Store,
    query: Mapping[str, str],
    *,
    timezone: str,
    now: datetime,
    default: PeriodName = PeriodName.LAST_30D,
) -> Period:
    """The period named by `period`, or `from`/`to` dates, resolved by the engine."""
    raw_from, raw_to = query.get("from"), query.get("to")
    params: dict[str, object] = {"now": now, "tz": timezone}
    if raw_from or raw_to:
        if not (raw_from and raw_to):
            raise ParamError("from" if not raw_from else "to", "from and to go together")
        first, last = _day(raw_from, "from"), _day(raw_to, "to")
        if last < first:
            raise ParamError("to", "must not be before from")
        name = PeriodName.CUSTOM
        params.update(from_day=first, to_day=last)
    else:
        raw = query.get("period") or default.value
        try:
            name = PeriodName(raw)
        except ValueError as exc:
            choices = ", ".join(p.value for p in PeriodName if p is not PeriodName.CUSTOM)
            raise ParamError("period", f"must be one of {choices}, or from/to dates") from exc
        if name is PeriodName.CUSTOM:
            raise ParamError("period", "give from and to dates for a custom period")
    lower, upper = _BOUNDS[name]
    # The upper bound is inclusive of `now`: events stamped this very millisecond count.
    if upper == _NOW:
        upper = f"{_NOW} + INTERVAL 1 MILLISECOND"
    row = store.query(
        f"SELECT toDateTime64({lower}, 3, 'UTC') AS start, toDateTime64({upper}, 3, 'UTC') AS end",
        params,
    )[0]
    return Period(name, row["start"], row["end"], timezone)


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


def parse_page(query: Mapping[str, str], default_limit: int = 50) -> Page:
    return Page(
        limit=_bounded_int(query, "limit", default_limit, 1, MAX_LIMIT),
        offset=_bounded_int(query, "offset", 0, 0, 10_000_000),
    )


def _bounded_int(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ParamError(name, "must be a whole number") from exc
    if not low <= value <= high:
        raise ParamError(name, f"must be between {low} and {high}")
    return value


def optional_int(query: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    if query.get(name) in (None, ""):
        return None
    return _bounded_int(query, name, 0, low, high)


def optional_bool(query: Mapping[str, str], name: str) -> bool | None:
    raw = query.get(name)
    if raw in (None, ""):
        return None
    if raw in ("true", "1", "yes"):
        return True
    if raw in ("false", "0", "no"):
        return False
    raise ParamError(name, "must be true or false")
