"""The storage interface every backend implements, and how query parameters are written."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, Protocol

import pyarrow as pa

Row = dict[str, Any]


class Store(Protocol):
    def migrate(self) -> list[str]:
        """Apply the numbered schema files not yet applied; return their names."""

    def insert(self, table: str, batch: pa.Table) -> int:
        """Insert one Arrow batch into `table` as a single insert; return rows written."""

    def query(self, sql: str, params: Mapping[str, object] | None = None) -> list[Row]:
        """Run `sql` with `{name:Type}` placeholders bound from `params`."""

    def close(self) -> None: ...


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _literal(value: object) -> str:
    """A value as a ClickHouse literal, for the elements of array parameters."""
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime | date):
        return _quote(format_param(value))
    if isinstance(value, Sequence):
        return "[" + ",".join(_literal(v) for v in value) + "]"
    raise TypeError(f"cannot bind {type(value).__name__}")


def format_param(value: object) -> str:
    """A parameter value in the escaped text form ClickHouse parses for `{name:Type}`.

    Aware datetimes are sent in UTC; declare such parameters as DateTime64(3, 'UTC').
    """
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Sequence):
        return _literal(value)
    raise TypeError(f"cannot bind {type(value).__name__}")
