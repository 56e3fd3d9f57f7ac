"""Parse a tracker's JSON body into a typed request, enforcing every limit; no I/O here."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

MAX_BODY_BYTES = 64 * 1024
MAX_PAGE = 2048
MAX_EVENT_NAME = 256
MAX_PROFILE_ID = 256
MAX_QUERY_STRING = 2048
MAX_REFERRER = 2048
MAX_UTM = 256
MAX_LOCALE = 35
MAX_TIMEZONE = 64
MAX_ERROR_NAME = 200
MAX_ERROR_MESSAGE = 2000
MAX_ERROR_FILENAME = 1000
MAX_STACK = 7500
MAX_META_KEYS = 100
MAX_META_CHARS = 2000
MAX_TRAIT_KEYS = 50
MAX_TRAIT_CHARS = 2000
MAX_CURRENCY = 3
MAX_TRANSACTION = 256
MAX_PRODUCT = 256
MAX_AMOUNT = 1e12
MAX_PERF_KEYS = 20


class Kind(StrEnum):
    PAGEVIEW = "pageview"
    CUSTOM = "custom"
    ERROR = "error"
    REVENUE = "revenue"
    HEARTBEAT = "heartbeat"
    IDENTIFY = "identify"
    PROFILE_ID = "profile_id"
    SESSION_ID = "session_id"


EVENT_KINDS = frozenset({Kind.PAGEVIEW, Kind.CUSTOM, Kind.ERROR, Kind.REVENUE})


class RequestError(Exception):
    """A request refused with a 4xx status, naming the field at fault and why."""

    def __init__(self, status: int, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.status = status
        self.field = field
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Client:
    """What the connection says about the sender; the IP is never stored."""

    ip: str
    user_agent: str
    origin: str | None
    time: datetime


@dataclass(frozen=True, slots=True)
class ErrorDetails:
    name: str
    message: str
    filename: str
    lineno: int
    colno: int
    stack: str


@dataclass(frozen=True, slots=True)
class RevenueDetails:
    amount: float
    currency: str
    transaction_id: str
    product: str


@dataclass(frozen=True, slots=True)
class TrackerRequest:
    kind: Kind
    pid: str
    client: Client
    page: str = ""
    locale: str = ""
    browser_timezone: str = ""
    referrer: str = ""
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    utm_term: str = ""
    utm_content: str = ""
    query: str = ""
    unique: bool = False
    profile_id: str | None = None
    event_name: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    perf: dict[str, float] = field(default_factory=dict)
    traits: dict[str, str] = field(default_factory=dict)
    error: ErrorDetails | None = None
    revenue: RevenueDetails | None = None


def _string(body: dict[str, Any], key: str, limit: int, *, required: bool = False) -> str:
    value = body.get(key)
    if value is None:
        if required:
            raise RequestError(400, key, "is required")
        return ""
    if not isinstance(value, str):
        raise RequestError(400, key, "must be a string")
    if required and not value.strip():
        raise RequestError(400, key, "must not be empty")
    if len(value) > limit:
        raise RequestError(400, key, f"must be at most {limit} characters")
    return value


def _integer(body: dict[str, Any], key: str) -> int:
    value = body.get(key)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise RequestError(400, key, "must be a number")
    if not 0 <= value < 2**32:
        raise RequestError(400, key, "must be between 0 and 4294967295")
    return int(value)


def _boolean(body: dict[str, Any], key: str) -> bool:
    value = body.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise RequestError(400, key, "must be true or false")
    return value


def _flat_map(body: dict[str, Any], key: str, max_keys: int, max_chars: int) -> dict[str, str]:
    """A flat map of strings; numbers and booleans are accepted and written as text."""
    value = body.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RequestError(400, key, "must be an object of string values")
    if len(value) > max_keys:
        raise RequestError(400, key, f"must have at most {max_keys} keys")
    flat: dict[str, str] = {}
    total = 0
    for name, item in value.items():
        if isinstance(item, bool):
            text = "true" if item else "false"
        elif isinstance(item, str):
            text = item
        elif isinstance(item, int | float) and math.isfinite(item):
            text = str(item)
        else:
            raise RequestError(400, f"{key}.{name}", "must be a string, number or boolean")
        total += len(name) + len(text)
        if total > max_chars:
            raise RequestError(400, key, f"must be at most {max_chars} characters in all")
        flat[name] = text
    return flat


def _perf(body: dict[str, Any]) -> dict[str, float]:
    value = body.get("perf")
    if value is None:
        return {}
    if not isinstance(value, dict) or len(value) > MAX_PERF_KEYS:
        raise RequestError(400, "perf", f"must be an object of at most {MAX_PERF_KEYS} numbers")
    timings: dict[str, float] = {}
    for name, item in value.items():
        if isinstance(item, bool) or not isinstance(item, int | float) or not math.isfinite(item):
            raise RequestError(400, f"perf.{name}", "must be a number")
        if len(name) > 64:
            raise RequestError(400, "perf", "keys must be at most 64 characters")
        timings[name] = float(item)
    return timings


def _profile_id(body: dict[str, Any]) -> str | None:
    value = body.get("profileId")
    if value is None:
        return None
    if not isinstance(value, str):
        raise RequestError(400, "profileId", "must be a string")
    if len(value) > MAX_PROFILE_ID:
        raise RequestError(400, "profileId", f"must be at most {MAX_PROFILE_ID} characters")
    return value


def _page_fields(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "page": _string(body, "pg", MAX_PAGE),
        "locale": _string(body, "lc", MAX_LOCALE),
        "browser_timezone": _string(body, "tz", MAX_TIMEZONE),
        "referrer": _string(body, "ref", MAX_REFERRER),
        "utm_source": _string(body, "so", MAX_UTM),
        "utm_medium": _string(body, "me", MAX_UTM),
        "utm_campaign": _string(body, "ca", MAX_UTM),
        "utm_term": _string(body, "te", MAX_UTM),
        "utm_content": _string(body, "co", MAX_UTM),
        "query": _string(body, "qs", MAX_QUERY_STRING),
        "profile_id": _profile_id(body),
        "meta": _flat_map(body, "meta", MAX_META_KEYS, MAX_META_CHARS),
    }


def _error(body: dict[str, Any]) -> ErrorDetails:
    return ErrorDetails(
        name=_string(body, "name", MAX_ERROR_NAME, required=True),
        message=_string(body, "message", MAX_ERROR_MESSAGE),
        filename=_string(body, "filename", MAX_ERROR_FILENAME),
        lineno=_integer(body, "lineno"),
        colno=_integer(body, "colno"),
        stack=_string(body, "stackTrace", MAX_STACK),
    )


def _revenue(body: dict[str, Any]) -> RevenueDetails:
    amount = body.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        raise RequestError(400, "amount", "is required and must be a number")
    if not math.isfinite(amount) or abs(amount) > MAX_AMOUNT:
        raise RequestError(400, "amount", f"must be a finite number within ±{MAX_AMOUNT:.0e}")
    currency = _string(body, "currency", MAX_CURRENCY, required=True).upper()
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        raise RequestError(400, "currency", "must be a three-letter ISO 4217 code")
    return RevenueDetails(
        amount=float(amount),
        currency=currency,
        transaction_id=_string(body, "transactionId", MAX_TRANSACTION),
        product=_string(body, "product", MAX_PRODUCT),
    )


def parse(kind: Kind, body: object, client: Client) -> TrackerRequest:
    """The typed request for `kind`, or RequestError naming the first field at fault."""
    if not isinstance(body, dict):
        raise RequestError(400, "body", "must be a JSON object")
    pid = _string(body, "pid", 64, required=True)
    if kind is Kind.HEARTBEAT or kind is Kind.PROFILE_ID or kind is Kind.SESSION_ID:
        return TrackerRequest(kind=kind, pid=pid, client=client, profile_id=_profile_id(body))
    if kind is Kind.IDENTIFY:
        profile_id = _profile_id(body)
        if profile_id is None:
            raise RequestError(400, "profileId", "is required")
        return TrackerRequest(
            kind=kind,
            pid=pid,
            client=client,
            profile_id=profile_id,
            traits=_flat_map(body, "traits", MAX_TRAIT_KEYS, MAX_TRAIT_CHARS),
        )
    fields = _page_fields(body)
    if kind is Kind.PAGEVIEW:
        return TrackerRequest(
            kind=kind,
            pid=pid,
            client=client,
            unique=_boolean(body, "unique"),
            perf=_perf(body),
            **fields,
        )
    if kind is Kind.CUSTOM:
        return TrackerRequest(
            kind=kind,
            pid=pid,
            client=client,
            event_name=_string(body, "ev", MAX_EVENT_NAME, required=True),
            unique=_boolean(body, "unique"),
            **fields,
        )
    if kind is Kind.ERROR:
        return TrackerRequest(kind=kind, pid=pid, client=client, error=_error(body), **fields)
    return TrackerRequest(kind=kind, pid=pid, client=client, revenue=_revenue(body), **fields)
