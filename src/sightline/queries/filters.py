"""Filters: one parser, one representation, one way to SQL — used by every view.

`filters` is a JSON list of `[dimension, operator, [values...]]`, e.g.
`[["country", "is", ["DE", "FR"]], ["page", "contains", ["/blog"]]]`. Values of one
dimension are ORed, dimensions are ANDed. Filters select sessions: a session matches when its
own attributes match and, for page and event filters, when it contains a matching event
(`is not` / `does not contain`: when it contains none).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum

from sightline.queries.params import ParamError

MAX_CONDITIONS = 20
MAX_VALUES = 50
MAX_VALUE_LENGTH = 2048


class Operator(StrEnum):
    IS = "is"
    IS_NOT = "is_not"
    CONTAINS = "contains"
    NOT_CONTAINS = "not_contains"

    @property
    def negated(self) -> bool:
        return self in (Operator.IS_NOT, Operator.NOT_CONTAINS)


@dataclass(frozen=True)
class SessionColumn:
    """A dimension that is an attribute of the session row."""

    column: str


@dataclass(frozen=True)
class EventColumn:
    """A dimension that a session matches when one of its events of `kind` matches."""

    kind: str
    column: str


@dataclass(frozen=True)
class EventMetadata:
    """`key=value` pairs of custom event metadata."""


Dimension = SessionColumn | EventColumn | EventMetadata

# The closed mapping from a dimension's public name to where it lives.
DIMENSIONS: dict[str, Dimension] = {
    "country": SessionColumn("country"),
    "region": SessionColumn("region"),
    "city": SessionColumn("city"),
    "browser": SessionColumn("browser"),
    "os": SessionColumn("os"),
    "device": SessionColumn("device"),
    "source": SessionColumn("source"),
    "medium": SessionColumn("utm_medium"),
    "campaign": SessionColumn("utm_campaign"),
    "term": SessionColumn("utm_term"),
    "content": SessionColumn("utm_content"),
    "entry_page": SessionColumn("entry_page"),
    "exit_page": SessionColumn("exit_page"),
    "page": EventColumn("pageview", "page"),
    "event": EventColumn("custom", "name"),
    "meta": EventMetadata(),
}


@dataclass(frozen=True)
class Condition:
    dimension: str
    operator: Operator
    values: tuple[str, ...]


@dataclass(frozen=True)
class SessionBounds:
    """The Sessions view's extra filters on a session's own numbers."""

    min_duration: int | None = None
    max_duration: int | None = None
    min_pageviews: int | None = None
    max_pageviews: int | None = None
    has_errors: bool | None = None


@dataclass(frozen=True)
class Filters:
    conditions: tuple[Condition, ...] = ()
    bounds: SessionBounds = SessionBounds()

    def to_json(self) -> list[list[object]]:
        return [[c.dimension, c.operator.value, list(c.values)] for c in self.conditions]


def parse_filters(raw: str | None, bounds: SessionBounds | None = None) -> Filters:
    if raw is None or raw.strip() == "":
        return Filters(bounds=bounds or SessionBounds())
    try:
        items = json.loads(raw)
    except ValueError as exc:
        raise ParamError("filters", "must be JSON: [[dimension, operator, [values]], ...]") from exc
    if not isinstance(items, list) or len(items) > MAX_CONDITIONS:
        raise ParamError("filters", f"must be a list of at most {MAX_CONDITIONS} conditions")
    conditions = []
    for position, item in enumerate(items):
        conditions.append(_condition(item, f"filters[{position}]"))
    return Filters(tuple(conditions), bounds or SessionBounds())


def _condition(item: object, where: str) -> Condition:
    if not isinstance(item, list) or len(item) != 3:
        raise ParamError(where, "must be [dimension, operator, [values]]")
    dimension, operator, values = item
    if not isinstance(dimension, str) or dimension not in DIMENSIONS:
        raise ParamError(where, f"dimension must be one of {', '.join(DIMENSIONS)}")
    try:
        op = Operator(operator)
    except ValueError as exc:
        raise ParamError(where, f"operator must be one of {', '.join(Operator)}") from exc
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list) or not values or len(values) > MAX_VALUES:
        raise ParamError(where, f"values must be a list of 1 to {MAX_VALUES} strings")
    if not all(isinstance(v, str) and len(v) <= MAX_VALUE_LENGTH for v in values):
        raise ParamError(where, f"values must be strings of at most {MAX_VALUE_LENGTH} characters")
    if isinstance(DIMENSIONS[dimension], EventMetadata) and not all("=" in v for v in values):
        raise ParamError(where, "meta values must be key=value")
    return Condition(dimension, op, tuple(values))


@dataclass
class SqlFilter:
    """WHERE conditions on the sessions table (alias `s`), with their bound parameters."""

    where: list[str]
    params: dict[str, object]

    def sql(self) -> str:
        return " AND ".join(self.where) if self.where else "1"


def _match(column: str, operator: Operator, name: str) -> str:
    """The positive form of `operator` for `column` against the array parameter `name`."""
    if operator in (Operator.IS, Operator.IS_NOT):
        return f"{column} IN {{{name}:Array(String)}}"
    return f"multiSearchAnyCaseInsensitiveUTF8({column}, {{{name}:Array(String)}})"


def filter_sql(filters: Filters, *, events_since: str | None = None) -> SqlFilter:
    """Filters as conditions on `sessions` rows (alias `s`); event dimensions become semi-joins.

    `events_since` is a SQL time bound for the semi-joins: the sessions are those starting in
    the period, so none of their events is older than its start.
    """
    since = f" AND time >= {events_since}" if events_since else ""
    where: list[str] = []
    params: dict[str, object] = {}
    for index, condition in enumerate(filters.conditions):
        name = f"filter_{index}"
        dimension = DIMENSIONS[condition.dimension]
        operator = condition.operator
        if isinstance(dimension, SessionColumn):
            params[name] = list(condition.values)
            matched = _match(f"s.{dimension.column}", operator, name)
            where.append(f"NOT ({matched})" if operator.negated else matched)
            continue
        if isinstance(dimension, EventColumn):
            params[name] = list(condition.values)
            event_match = (
                f"kind = '{dimension.kind}' AND {_match(dimension.column, operator, name)}"
            )
        else:
            alternatives = []
            for position, pair in enumerate(condition.values):
                key, value = pair.split("=", 1)
                params[f"{name}_k{position}"], params[f"{name}_v{position}"] = key, [value]
                alternatives.append(
                    _match(f"meta[{{{name}_k{position}:String}}]", operator, f"{name}_v{position}")
                )
            event_match = "kind = 'custom' AND (" + " OR ".join(alternatives) + ")"
        membership = "NOT IN" if operator.negated else "IN"
        where.append(
            f"s.session_id {membership} (SELECT session_id FROM events"
            f" WHERE site = {{site:String}}{since} AND {event_match})"
        )
    bounds = filters.bounds
    duration = "dateDiff('second', s.start, s.last_activity)"
    for param, limit, sql in (
        ("min_duration", bounds.min_duration, f"{duration} >= {{min_duration:UInt32}}"),
        ("max_duration", bounds.max_duration, f"{duration} <= {{max_duration:UInt32}}"),
        ("min_pageviews", bounds.min_pageviews, "s.pageviews >= {min_pageviews:UInt32}"),
        ("max_pageviews", bounds.max_pageviews, "s.pageviews <= {max_pageviews:UInt32}"),
    ):
        if limit is not None:
            where.append(sql)
            params[param] = limit
    if bounds.has_errors is not None:
        where.append("s.errors > 0" if bounds.has_errors else "s.errors = 0")
    return SqlFilter(where, params)
