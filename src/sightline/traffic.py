"""Realistic generated traffic: visitors, their visits, and the tracker requests they send.

Used by `sightline demo`, by tests and by the benchmarks. Everything is derived from one seed,
so the same arguments always give the same traffic.
"""

from __future__ import annotations

import heapq
import ipaddress
import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sightline.ingest.request import Client, Kind, TrackerRequest, parse

USER_AGENTS = (
    # (weight, user agent)
    (
        30,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
    ),
    (
        12,
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
        "Gecko) Version/18.1 Safari/605.1.15",
    ),
    (
        10,
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
    ),
    (8, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"),
    (
        5,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    ),
    (4, "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"),
    (
        18,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
        "like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    ),
    (
        14,
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Mobile Safari/537.36",
    ),
    (
        5,
        "Mozilla/5.0 (Linux; Android 14; SM-S928B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
    ),
    (
        4,
        "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.1 Mobile/15E148 Safari/604.1",
    ),
)
REFERRERS: tuple[tuple[int, str, dict[str, str]], ...] = (
    (40, "", {}),
    (25, "https://www.google.com/", {}),
    (5, "https://www.bing.com/", {}),
    (4, "https://duckduckgo.com/", {}),
    (6, "https://t.co/x1y2z3", {}),
    (4, "https://news.ycombinator.com/item?id=4242", {}),
    (4, "https://www.reddit.com/r/webdev/", {}),
    (3, "https://github.com/sightline", {}),
    (6, "", {"so": "newsletter", "me": "email", "ca": "winter-sale"}),
    (
        3,
        "https://www.facebook.com/",
        {"so": "facebook", "me": "cpc", "ca": "retargeting", "te": "shoes", "co": "banner-a"},
    ),
)
ENTRY_PAGES = (
    "/",
    "/",
    "/",
    "/pricing",
    "/blog/launch",
    "/blog/privacy-analytics",
    "/products/trail-runner",
    "/docs/getting-started",
)
NEXT_PAGES = (
    "/pricing",
    "/products",
    "/products/trail-runner",
    "/products/city-walker",
    "/products/summit-pro",
    "/cart",
    "/checkout",
    "/docs/getting-started",
    "/docs/api",
    "/blog",
    "/about",
    "/contact",
    "/account",
)
LOCALES = ("en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "nl-NL", "pt-BR", "ja-JP", "pl-PL")
FIRST_NAMES = (
    "Dana",
    "Alex",
    "Sam",
    "Noor",
    "Kai",
    "Lena",
    "Omar",
    "Mia",
    "Ivan",
    "Zoe",
    "Yuki",
    "Ada",
    "Luis",
    "Priya",
    "Jon",
    "Eva",
    "Tomas",
    "Aiko",
    "Ravi",
    "Nina",
)
PLANS = ("free", "starter", "pro", "team")
SKUS = ("TR-01", "CW-02", "SP-03", "SK-04")
ERRORS = (
    ("TypeError", "Cannot read properties of undefined (reading 'price')", "/static/cart.js"),
    ("ReferenceError", "analytics is not defined", "/static/app.js"),
    ("Error", "Network request failed", "/static/api.js"),
)


def _weighted(rng: random.Random, options: Iterable[tuple[Any, ...]]) -> tuple[Any, ...]:
    items = list(options)
    return rng.choices(items, weights=[o[0] for o in items], k=1)[0]


def _public_ip(rng: random.Random) -> str:
    while True:
        address = ipaddress.IPv4Address(rng.randint(0x01000000, 0xDFFFFFFF))
        if address.is_global:
            return str(address)


@dataclass(frozen=True)
class Visitor:
    number: int
    ip: str
    user_agent: str
    locale: str
    user_id: str | None  # set for visitors who log in at some point
    name: str


@dataclass(frozen=True)
class Hit:
    """One tracker request, `offset` seconds into its visit."""

    offset: float
    kind: Kind
    body: dict[str, Any]


@dataclass(frozen=True)
class Visit:
    visitor: Visitor
    start: datetime
    hits: tuple[Hit, ...]
    identified_from: int | None = None  # index of the hit that identifies the visitor

    def requests(self, origin: str = "https://shop.example") -> Iterator[TrackerRequest]:
        for hit in self.hits:
            client = Client(
                ip=self.visitor.ip,
                user_agent=self.visitor.user_agent,
                origin=origin,
                time=self.start + timedelta(seconds=hit.offset),
            )
            yield parse(hit.kind, hit.body, client)


@dataclass
class TrafficPlan:
    pid: str
    profiles: int = 4000
    days: int = 180
    identified_share: float = 0.25
    seed: int = 7


def make_visitors(rng: random.Random, count: int, identified_share: float) -> list[Visitor]:
    visitors = []
    for number in range(count):
        name = rng.choice(FIRST_NAMES)
        identified = rng.random() < identified_share
        visitors.append(
            Visitor(
                number=number,
                ip=_public_ip(rng),
                user_agent=_weighted(rng, USER_AGENTS)[1],
                locale=rng.choice(LOCALES),
                user_id=f"{name.lower()}.{number}@example.com" if identified else None,
                name=name,
            )
        )
    return visitors


def make_visit(
    rng: random.Random,
    pid: str,
    visitor: Visitor,
    start: datetime,
    *,
    identify: bool,
    logged_in: bool,
) -> Visit:
    """One session: pageviews, maybe custom events, an error, a purchase, heartbeats."""
    _, referrer, utm = _weighted(rng, REFERRERS)
    base: dict[str, Any] = {"pid": pid, "lc": visitor.locale, "tz": "Europe/Berlin"}
    hits: list[Hit] = []
    t = 0.0
    pages = [rng.choice(ENTRY_PAGES)] + [rng.choice(NEXT_PAGES) for _ in range(rng.randint(0, 7))]
    identify_at = rng.randint(0, len(pages) - 1) if identify else None
    identified_from: int | None = None
    profile: dict[str, Any] = {"profileId": visitor.user_id} if logged_in else {}

    for index, page in enumerate(pages):
        body = {**base, "pg": page, "perf": {}, "unique": False, **profile}
        if index == 0:
            body.update({"ref": referrer, **utm})
        hits.append(Hit(t, Kind.PAGEVIEW, body))
        if index == 0:
            t += 3
            hits.append(Hit(t, Kind.HEARTBEAT, {"pid": pid}))
        if identify_at == index and visitor.user_id:
            t += rng.uniform(2, 20)
            identified_from = len(hits)
            traits = {"name": visitor.name, "email": visitor.user_id, "plan": rng.choice(PLANS)}
            hits.append(
                Hit(t, Kind.IDENTIFY, {"pid": pid, "profileId": visitor.user_id, "traits": traits})
            )
            profile = {"profileId": visitor.user_id}
        if page.startswith("/products/") and rng.random() < 0.4:
            t += rng.uniform(3, 40)
            hits.append(
                Hit(
                    t,
                    Kind.CUSTOM,
                    {
                        **base,
                        "pg": page,
                        "ev": "add_to_cart",
                        "meta": {"sku": rng.choice(SKUS), "qty": str(rng.randint(1, 3))},
                        **profile,
                    },
                )
            )
        if page == "/docs/api" and rng.random() < 0.5:
            t += rng.uniform(2, 30)
            hits.append(
                Hit(
                    t,
                    Kind.CUSTOM,
                    {
                        **base,
                        "pg": page,
                        "ev": "copy_snippet",
                        "meta": {"language": rng.choice(["js", "py"])},
                        **profile,
                    },
                )
            )
        if page == "/checkout" and rng.random() < 0.5:
            t += rng.uniform(10, 90)
            amount = round(rng.uniform(19, 240), 2)
            currency = "EUR" if visitor.locale.startswith(("de", "fr", "es", "nl")) else "USD"
            hits.append(
                Hit(
                    t,
                    Kind.REVENUE,
                    {
                        **base,
                        "pg": page,
                        "amount": amount,
                        "currency": currency,
                        "product": rng.choice(SKUS),
                        "transactionId": f"T{rng.getrandbits(40):x}",
                        **profile,
                    },
                )
            )
        if rng.random() < 0.03:
            name, message, file = rng.choice(ERRORS)
            t += rng.uniform(1, 10)
            hits.append(
                Hit(
                    t,
                    Kind.ERROR,
                    {
                        **base,
                        "pg": page,
                        "name": name,
                        "message": message,
                        "filename": f"https://shop.example{file}",
                        "lineno": rng.randint(1, 400),
                        "colno": rng.randint(1, 80),
                        "stackTrace": f"{name}: {message}\n    at {file}",
                        **profile,
                    },
                )
            )
        dwell = rng.lognormvariate(math.log(35), 0.9)
        # The tracker sends a heartbeat every 28 s while the visitor stays on a page.
        for beat in range(1, int(dwell // 28) + 1):
            hits.append(Hit(t + beat * 28, Kind.HEARTBEAT, {"pid": pid}))
        t += min(dwell, 25 * 60)
    return Visit(visitor, start, tuple(hits), identified_from)


def _session_start(rng: random.Random, day: datetime) -> datetime:
    # Busier in the (European) day and evening than at night.
    hour = rng.choices(
        range(24), weights=[1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 9, 9, 8, 6, 4, 2]
    )[0]
    return day.replace(hour=hour, minute=rng.randint(0, 59), second=rng.randint(0, 59))


def plan_traffic(plan: TrafficPlan, end: datetime) -> list[Visit]:
    """Every visit of every visitor over `plan.days` days before `end`, in time order."""
    rng = random.Random(plan.seed)
    first_day = (end - timedelta(days=plan.days)).replace(hour=0, minute=0, second=0, microsecond=0)
    visits: list[Visit] = []
    for visitor in make_visitors(rng, plan.profiles, plan.identified_share):
        sessions = 1 + min(int(rng.expovariate(0.5)), 30)
        day = first_day + timedelta(days=rng.randrange(plan.days))
        identify_session = rng.randrange(sessions) if visitor.user_id else None
        for number in range(sessions):
            start = _session_start(rng, day)
            if start >= end:
                break
            visits.append(
                make_visit(
                    rng,
                    plan.pid,
                    visitor,
                    start,
                    identify=number == identify_session,
                    logged_in=identify_session is not None and number > identify_session,
                )
            )
            day += timedelta(days=max(1, int(rng.expovariate(1 / 9))))
    visits.sort(key=lambda v: v.start)
    return visits


def requests_in_order(visits: Iterable[Visit], end: datetime) -> Iterator[TrackerRequest]:
    """The requests of overlapping visits merged by time, up to `end`."""
    streams = (visit.requests() for visit in visits)
    for request in heapq.merge(*streams, key=lambda r: r.client.time):
        if request.client.time >= end:
            continue
        yield request
