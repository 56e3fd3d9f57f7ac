"""The Arrow shape of each table the ingest writer fills; must match the schema files."""

from __future__ import annotations

import pyarrow as pa

_TEXT = pa.string()
_TIME = pa.timestamp("ms", tz="UTC")
_TEXT_MAP = pa.map_(pa.string(), pa.string())

_PLACE_AND_DEVICE = [
    ("country", _TEXT),
    ("region", _TEXT),
    ("city", _TEXT),
    ("browser", _TEXT),
    ("browser_version", _TEXT),
    ("os", _TEXT),
    ("os_version", _TEXT),
    ("device", _TEXT),
]
_ACQUISITION = [
    ("referrer", _TEXT),
    ("source", _TEXT),
    ("utm_source", _TEXT),
    ("utm_medium", _TEXT),
    ("utm_campaign", _TEXT),
    ("utm_term", _TEXT),
    ("utm_content", _TEXT),
]

EVENTS = pa.schema(
    [
        ("site", _TEXT),
        ("seq", pa.uint64()),
        ("time", _TIME),
        ("kind", _TEXT),
        ("profile_id", _TEXT),
        ("session_id", pa.uint64()),
        ("page", _TEXT),
        ("name", _TEXT),
        ("meta", _TEXT_MAP),
        ("message", _TEXT),
        ("filename", _TEXT),
        ("lineno", pa.uint32()),
        ("colno", pa.uint32()),
        ("stack", _TEXT),
        ("amount", pa.float64()),
        ("currency", _TEXT),
        ("transaction_id", _TEXT),
        ("product", _TEXT),
        *_ACQUISITION,
        ("query", _TEXT),
        ("locale", _TEXT),
        ("browser_timezone", _TEXT),
        *_PLACE_AND_DEVICE,
        ("perf", pa.map_(pa.string(), pa.float32())),
    ]
)

SESSIONS = pa.schema(
    [
        ("site", _TEXT),
        ("session_id", pa.uint64()),
        ("version", pa.uint64()),
        ("visitor", pa.uint64()),
        ("profile_id", _TEXT),
        ("start", _TIME),
        ("last_activity", _TIME),
        ("entry_page", _TEXT),
        ("exit_page", _TEXT),
        ("pageviews", pa.uint32()),
        ("custom_events", pa.uint32()),
        ("errors", pa.uint32()),
        ("revenue", pa.map_(pa.string(), pa.float64())),
        ("revenue_events", pa.uint32()),
        *_ACQUISITION,
        *_PLACE_AND_DEVICE,
    ]
)

ALIASES = pa.schema(
    [
        ("site", _TEXT),
        ("anon_id", _TEXT),
        ("profile_id", _TEXT),
        ("time", _TIME),
        ("seq", pa.uint64()),
    ]
)

TRAITS = pa.schema(
    [
        ("site", _TEXT),
        ("profile_id", _TEXT),
        ("traits", _TEXT_MAP),
        ("time", _TIME),
        ("seq", pa.uint64()),
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "events": EVENTS,
    "sessions": SESSIONS,
    "aliases": ALIASES,
    "traits": TRAITS,
}
