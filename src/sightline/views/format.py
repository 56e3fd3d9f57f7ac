"""How values read on a page: times in the view's zone, numbers, durations, flags, URLs."""

from __future__ import annotations

import json
from datetime import date, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.datastructures import URL, QueryParams


def when(moment: datetime | date | None, zone: ZoneInfo, style: str = "full") -> str:
    if moment is None:
        return "—"
    if isinstance(moment, datetime):
        local = moment.astimezone(zone)
        if style == "time":
            return local.strftime("%H:%M:%S")
        return local.strftime("%d %b %Y, %H:%M")
    return moment.strftime("%d %b %Y")


def number(value: float | int | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"


def duration(seconds: float | int | None) -> str:
    if seconds is None:
        return "—"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def flag(country: str) -> str:
    """The flag emoji of a two-letter country code ('' when there is none)."""
    if len(country) != 2 or not country.isalpha():
        return ""
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in country.upper())


def money(revenue: dict[str, float]) -> str:
    return ", ".join(f"{amount:,.2f} {currency}" for currency, amount in sorted(revenue.items()))


class Links:
    """URLs that keep the page's state (period, zone, filters, tab, page) and change a part."""

    KEPT = (
        "period",
        "from",
        "to",
        "timezone",
        "filters",
        "type",
        "limit",
        "min_duration",
        "max_duration",
        "min_pageviews",
        "max_pageviews",
        "has_errors",
    )

    def __init__(self, url: URL, query: QueryParams) -> None:
        self.url = url
        self.query = query

    def state(self, **changes: object) -> dict[str, str]:
        values = {k: v for k, v in self.query.items() if k in self.KEPT}
        for name, value in changes.items():
            key = name.rstrip("_")  # from_ for "from"
            if value is None or value == "":
                values.pop(key, None)
            else:
                values[key] = str(value)
        return values

    def to(self, path: str, **changes: object) -> str:
        values = self.state(**changes)
        return path + ("?" + urlencode(values) if values else "")

    def here(self, **changes: object) -> str:
        return self.to(self.url.path, **changes)

    def filters(self) -> list[list[object]]:
        try:
            parsed = json.loads(self.query.get("filters") or "[]")
        except ValueError:
            return []
        return parsed if isinstance(parsed, list) else []

    def with_filter(self, path: str, dimension: str, value: str) -> str:
        """Add `dimension is value` (ORed with that dimension's other `is` values)."""
        current = [f for f in self.filters() if isinstance(f, list) and len(f) == 3]
        for condition in current:
            if condition[0] == dimension and condition[1] == "is":
                values = condition[2] if isinstance(condition[2], list) else [condition[2]]
                if value not in values:
                    condition[2] = [*values, value]
                break
        else:
            current.append([dimension, "is", [value]])
        return self.to(path, filters=json.dumps(current), offset=None)

    def without_filter(self, index: int) -> str:
        current = self.filters()
        remaining = [f for i, f in enumerate(current) if i != index]
        return self.here(filters=json.dumps(remaining) if remaining else None, offset=None)
