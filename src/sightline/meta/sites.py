"""Sites: create, list, look up (cached, since every tracked event needs one)."""

from __future__ import annotations

import ipaddress
import json
import secrets
import sqlite3
import string
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PID_ALPHABET = string.ascii_letters + string.digits
PID_LENGTH = 12
BOT_PROTECTION_LEVELS = ("off", "basic")
# A session may be continued after a salt rotation for this long (the salts' grace period).
MAX_SESSION_TIMEOUT_MINUTES = 120
_CACHE_SECONDS = 10.0
_MISS_RELOAD_SECONDS = 1.0

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Site:
    pid: str
    name: str
    timezone: str = "UTC"
    origins: tuple[str, ...] = ()
    blocked_ips: tuple[Network, ...] = field(default=())
    blocked_countries: frozenset[str] = frozenset()
    bot_protection: str = "basic"
    session_timeout_minutes: int = 30
    active: bool = True

    def allows_origin(self, origin: str | None) -> bool:
        """No list means every origin; `*.example.com` also covers example.com's subdomains."""
        if not self.origins:
            return True
        if not origin:
            return False
        host = origin.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
        for allowed in self.origins:
            if allowed.startswith("*."):
                if host == allowed[2:] or host.endswith(allowed[1:]):
                    return True
            elif host == allowed:
                return True
        return False


def is_valid_pid(pid: str) -> bool:
    return (
        len(pid) == PID_LENGTH
        and all(c in PID_ALPHABET or c == "-" for c in pid)
        and "--" not in pid
    )


class SiteError(ValueError):
    pass


class Sites:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()
        self._cache: dict[str, Site] = {}
        self._loaded_at = 0.0

    def create(
        self,
        name: str,
        *,
        timezone: str = "UTC",
        pid: str | None = None,
        origins: list[str] | None = None,
        blocked_ips: list[str] | None = None,
        blocked_countries: list[str] | None = None,
        bot_protection: str = "basic",
        session_timeout_minutes: int = 30,
    ) -> Site:
        pid = pid or "".join(secrets.choice(PID_ALPHABET) for _ in range(PID_LENGTH))
        if not is_valid_pid(pid):
            raise SiteError(f"pid {pid!r} must be 12 characters of A-Z, a-z, 0-9 and '-'")
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise SiteError(f"unknown time zone {timezone!r}") from exc
        if not 1 <= session_timeout_minutes <= MAX_SESSION_TIMEOUT_MINUTES:
            raise SiteError(f"session timeout must be 1 to {MAX_SESSION_TIMEOUT_MINUTES} minutes")
        if bot_protection not in BOT_PROTECTION_LEVELS:
            raise SiteError(f"bot protection must be one of {', '.join(BOT_PROTECTION_LEVELS)}")
        try:
            networks = [str(ipaddress.ip_network(n, strict=False)) for n in blocked_ips or []]
        except ValueError as exc:
            raise SiteError(str(exc)) from exc
        with self._lock:
            try:
                self._conn.execute(
                    "INSERT INTO sites (pid, name, timezone, origins, blocked_ips,"
                    " blocked_countries, bot_protection, session_timeout_minutes, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        pid,
                        name,
                        timezone,
                        json.dumps([o.lower() for o in origins or []]),
                        json.dumps(networks),
                        json.dumps([c.upper() for c in blocked_countries or []]),
                        bot_protection,
                        session_timeout_minutes,
                        datetime.now(UTC).isoformat(),
                    ),
                )
            except sqlite3.IntegrityError as exc:
                raise SiteError(f"a site with pid {pid!r} exists already") from exc
            self._loaded_at = 0.0
        site = self.get(pid)
        if site is None:
            raise SiteError("site vanished after creation")
        return site

    def get(self, pid: str) -> Site | None:
        """Cached; a miss reloads at most once per refresh period so unknown pids stay cheap."""
        with self._lock:
            age = time.monotonic() - self._loaded_at
            if age > _CACHE_SECONDS or (pid not in self._cache and age > _MISS_RELOAD_SECONDS):
                self._reload()
            return self._cache.get(pid)

    def list(self) -> list[Site]:
        with self._lock:
            self._reload()
            return sorted(self._cache.values(), key=lambda s: s.name)

    def _reload(self) -> None:
        rows = self._conn.execute("SELECT * FROM sites").fetchall()
        self._cache = {row["pid"]: _site_from_row(row) for row in rows}
        self._loaded_at = time.monotonic()


def _site_from_row(row: sqlite3.Row) -> Site:
    return Site(
        pid=row["pid"],
        name=row["name"],
        timezone=row["timezone"],
        origins=tuple(json.loads(row["origins"])),
        blocked_ips=tuple(ipaddress.ip_network(n) for n in json.loads(row["blocked_ips"])),
        blocked_countries=frozenset(json.loads(row["blocked_countries"])),
        bot_protection=row["bot_protection"],
        session_timeout_minutes=row["session_timeout_minutes"],
        active=bool(row["active"]),
    )
