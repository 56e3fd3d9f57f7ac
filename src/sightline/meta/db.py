"""Opening the metadata database and bringing its schema up to date."""

from __future__ import annotations

import sqlite3
from pathlib import Path

MIGRATIONS = [
    """
    CREATE TABLE sites (
        pid TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        timezone TEXT NOT NULL DEFAULT 'UTC',
        origins TEXT NOT NULL DEFAULT '[]',
        blocked_ips TEXT NOT NULL DEFAULT '[]',
        blocked_countries TEXT NOT NULL DEFAULT '[]',
        bot_protection TEXT NOT NULL DEFAULT 'basic',
        session_timeout_minutes INTEGER NOT NULL DEFAULT 30,
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE salts (
        period TEXT PRIMARY KEY,
        salt BLOB NOT NULL
    )
    """,
]


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=5000")
    _migrate(conn)
    return conn


def _migrate(conn: sqlite3.Connection) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for number, statement in enumerate(MIGRATIONS[version:], start=version + 1):
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
