"""Profile ids: salted anonymous ids, and ids a site gives for identified visitors."""

from __future__ import annotations

import hashlib

ANONYMOUS_PREFIX = "anon_"
IDENTIFIED_PREFIX = "usr_"
# Ids that trackers send when a site has no real user id to give.
PLACEHOLDER_IDS = frozenset({"null", "undefined", "0", "anonymous", "guest", "none", "nan", "-"})


def visitor_digest(salt: bytes, site: str, ip: str, user_agent: str) -> bytes:
    """Who a visitor is this month, without keeping their IP: a keyed hash that rotates."""
    data = b"\x00".join((site.encode(), ip.encode(), user_agent.encode()))
    return hashlib.blake2b(data, key=salt, digest_size=16).digest()


def visitor_key(digest: bytes) -> int:
    """The digest as a number that fits a UInt64 column, for finding live sessions."""
    return int.from_bytes(digest[:8], "big") >> 1


def anonymous_id(digest: bytes) -> str:
    return ANONYMOUS_PREFIX + digest.hex()[:20]


def session_id_text(session_id: int) -> str:
    """How a session id is written outside the store: 16 hexadecimal digits."""
    return f"{session_id:016x}"


def identified_id(raw: str | None) -> str | None:
    """`usr_<raw>` for an id a site passed, or None for placeholders and unusable ids."""
    if raw is None:
        return None
    value = raw.strip()
    if not value or value.lower() in PLACEHOLDER_IDS or value.startswith(ANONYMOUS_PREFIX):
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return None
    return value if value.startswith(IDENTIFIED_PREFIX) else IDENTIFIED_PREFIX + value
