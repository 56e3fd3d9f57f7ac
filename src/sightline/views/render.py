"""Turning a view's typed result into JSON: times in the view's zone, ISO 8601."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo


def jsonable(value: Any, zone: ZoneInfo) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name), zone) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.astimezone(zone).isoformat(timespec="milliseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): jsonable(v, zone) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v, zone) for v in value]
    return value
