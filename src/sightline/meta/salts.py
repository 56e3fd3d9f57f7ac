"""Random salts for visitor hashes, one per UTC month; older ones are deleted.

The previous month's salt lives on for one session timeout after the month turns, so that a
visitor active at midnight keeps their session across the rotation.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
from datetime import datetime, timedelta

GRACE = timedelta(hours=2)


def period_of(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def _in_grace(moment: datetime) -> bool:
    """Whether last month's sessions may still be going on."""
    month_start = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return moment - month_start < GRACE


def _previous_period(moment: datetime) -> str:
    first = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return period_of(first - timedelta(days=1))


class Salts:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()
        self._cache: dict[str, bytes] = {}

    def current_and_previous(self, moment: datetime) -> tuple[bytes, bytes | None]:
        """The salt of `moment`'s month, and last month's while still inside the grace period."""
        current = self._salt(period_of(moment), create=True)
        previous = None
        if _in_grace(moment):
            previous = self._salt(_previous_period(moment), create=False)
        return current, previous  # type: ignore[return-value]

    def _salt(self, period: str, *, create: bool) -> bytes | None:
        cached = self._cache.get(period)
        if cached is not None:
            return cached
        with self._lock:
            row = self._conn.execute(
                "SELECT salt FROM salts WHERE period = ?", (period,)
            ).fetchone()
            if row is None and create:
                self._conn.execute(
                    "INSERT OR IGNORE INTO salts (period, salt) VALUES (?, ?)",
                    (period, secrets.token_bytes(32)),
                )
                row = self._conn.execute(
                    "SELECT salt FROM salts WHERE period = ?", (period,)
                ).fetchone()
            if row is None:
                return None
            self._cache[period] = bytes(row["salt"])
            return self._cache[period]

    def delete_expired(self, moment: datetime) -> int:
        """Delete every salt but this month's (and last month's during the grace period)."""
        keep = {period_of(moment)}
        if _in_grace(moment):
            keep.add(_previous_period(moment))
        with self._lock:
            placeholders = ",".join("?" * len(keep))
            cursor = self._conn.execute(
                f"DELETE FROM salts WHERE period NOT IN ({placeholders})", tuple(keep)
            )
            self._cache = {p: s for p, s in self._cache.items() if p in keep}
            return cursor.rowcount
