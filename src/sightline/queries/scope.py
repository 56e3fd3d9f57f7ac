"""What a list view is asked for: which site, which period, which filters, which page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sightline.queries.filters import Filters
from sightline.queries.params import Page, Period


@dataclass(frozen=True)
class ListScope:
    site: str
    period: Period
    filters: Filters
    page: Page
    now: datetime  # the clock's now: for status, live flags and relative periods
