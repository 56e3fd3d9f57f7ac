"""Charts drawn on the server as SVG: the traffic chart and the activity calendar."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from markupsafe import Markup

from sightline.queries.overview import Point
from sightline.queries.profile import CalendarDay

CELL, GAP = 11, 3
LEVELS = 4  # colour steps above "nothing"
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "")


def _level(count: int, top: int) -> int:
    if count <= 0 or top <= 0:
        return 0
    return min(LEVELS, 1 + (count - 1) * LEVELS // top)


def activity_calendar(days: Sequence[CalendarDay]) -> Markup:
    """A GitHub-style heat map: a column a week, a row a weekday, a tooltip a cell."""
    if not days:
        return Markup("")
    top = max(d.count for d in days)
    first = days[0].day
    offset = first.weekday()  # Monday is row 0
    weeks = (offset + len(days) + 6) // 7
    left, head = 30, 16
    width, height = left + weeks * (CELL + GAP), head + 7 * (CELL + GAP) + 24
    parts = [
        f'<svg class="calendar" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" aria-label="Activity over {len(days)} days">'
    ]
    for row, name in enumerate(WEEKDAYS):
        if name:
            y = head + row * (CELL + GAP) + CELL - 2
            parts.append(f'<text class="label" x="0" y="{y}">{name}</text>')
    last_month = None
    for index, entry in enumerate(days):
        column, row = divmod(index + offset, 7)
        x, y = left + column * (CELL + GAP), head + row * (CELL + GAP)
        if index == 0 or (row == 0 and entry.day.month != last_month):
            parts.append(f'<text class="label" x="{x}" y="10">{entry.day:%b}</text>')
            last_month = entry.day.month
        noun = "action" if entry.count == 1 else "actions"
        parts.append(
            f'<rect class="l{_level(entry.count, top)}" x="{x}" y="{y}" width="{CELL}" '
            f'height="{CELL}" rx="2" data-day="{entry.day.isoformat()}" '
            f'data-count="{entry.count}"><title>{entry.count} {noun} on '
            f"{entry.day:%a %d %b %Y}</title></rect>"
        )
    y = head + 7 * (CELL + GAP) + 8
    parts.append(f'<text class="label" x="{left}" y="{y + 9}">Less</text>')
    for level in range(LEVELS + 1):
        parts.append(
            f'<rect class="l{level}" x="{left + 32 + level * (CELL + GAP)}" y="{y}" '
            f'width="{CELL}" height="{CELL}" rx="2"/>'
        )
    parts.append(
        f'<text class="label" x="{left + 38 + (LEVELS + 1) * (CELL + GAP)}" y="{y + 9}">'
        "More</text></svg>"
    )
    return Markup("".join(parts))  # noqa: S704 - numbers, dates and escaped text only


def _bucket_label(bucket: datetime | date, granularity: str, zone: ZoneInfo) -> str:
    if isinstance(bucket, datetime):
        return bucket.astimezone(zone).strftime("%d %b %H:00")
    return bucket.strftime("%b %Y" if granularity == "month" else "%a %d %b %Y")


def traffic_chart(series: Sequence[Point], granularity: str, zone: ZoneInfo) -> Markup:
    """Bars of visitors per bucket, with sessions and pageviews in each bar's tooltip."""
    if not series:
        return Markup("")
    width, height, bottom = 960, 220, 24
    top = max(p.visitors for p in series) or 1
    step = width / len(series)
    bar = max(1.0, step * 0.75)
    parts = [
        f'<svg class="traffic" role="img" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="none" aria-label="Visitors over time">'
    ]
    for fraction in (0.5, 1.0):
        y = (height - bottom) * (1 - fraction)
        parts.append(f'<line class="grid" x1="0" x2="{width}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="label" x="2" y="{y + 12:.1f}">{round(top * fraction)}</text>')
    labels = max(1, len(series) // 6)
    for index, point in enumerate(series):
        h = (height - bottom) * point.visitors / top
        x = index * step + (step - bar) / 2
        label = _bucket_label(point.bucket, granularity, zone)
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{height - bottom - h:.1f}" width="{bar:.1f}" '
            f'height="{max(h, 0.5):.1f}"><title>{escape(label)}: {point.visitors} visitors, '
            f"{point.sessions} sessions, {point.pageviews} pageviews</title></rect>"
        )
        if index % labels == 0:
            short = label.rsplit(" ", 1)[0] if granularity != "hour" else label[-5:]
            parts.append(f'<text class="label" x="{x:.1f}" y="{height - 6}">{escape(short)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - numbers, dates and escaped text only
