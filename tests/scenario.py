"""A known world for the query tests: visitors, sessions, and the truth about them.

The truth is computed here from the scenario itself, by the rules of SPEC §1 — not by asking
Sightline — so the tests can hold every number the API returns against it.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from mmdb_writer import MMDBWriter
from netaddr import IPSet

from conftest import DESKTOP_CHROME, IPHONE_SAFARI

PID = "TRUTHsite-01"
SITE_TIMEZONE = "Europe/Berlin"
BERLIN = ZoneInfo(SITE_TIMEZONE)
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15"
)
# user agent -> (browser, os, device) as the API reports them
SOFTWARE = {
    DESKTOP_CHROME: ("Chrome", "Windows", "desktop"),
    IPHONE_SAFARI: ("Mobile Safari", "iOS", "mobile"),
    FIREFOX_LINUX: ("Firefox", "Linux", "desktop"),
    SAFARI_MAC: ("Safari", "Mac OS X", "desktop"),
}
# network -> (country, region, city) in the test's own geo database
PLACES = {
    "37.120.0.0/16": ("DE", "Berlin", "Berlin"),
    "51.15.0.0/16": ("FR", "Île-de-France", "Paris"),
    "23.20.0.0/16": ("US", "Virginia", "Ashburn"),
}
SHARED_PAGES = ("/pricing", "/docs", "/blog/launch", "/checkout")
REFERRERS = {
    "": "",
    "https://www.google.com/": "Google",
    "https://news.ycombinator.com/": "Hacker News",
}
START = datetime(2026, 1, 20, 8, 0, tzinfo=UTC)


def geo_database(path: Path) -> Path:
    writer = MMDBWriter(
        ip_version=6, ipv4_compatible=True, database_type="GeoIP2-City", languages=["en"]
    )
    for network, (country, region, city) in PLACES.items():
        writer.insert_network(
            IPSet([network]),
            {
                "country": {"iso_code": country},
                "subdivisions": [{"names": {"en": region}}],
                "city": {"names": {"en": city}},
            },
        )
    writer.to_db_file(str(path))
    return path


@dataclass(frozen=True)
class Visitor:
    number: int
    ip: str
    user_agent: str
    place: tuple[str, str, str]


@dataclass
class Request:
    time: datetime
    path: str
    body: dict[str, Any]
    visitor: Visitor


@dataclass
class TrueEvent:
    kind: str
    time: datetime
    page: str
    name: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    error: dict[str, Any] | None = None
    revenue: tuple[float, str, str, str] | None = None  # amount, currency, transaction, product


@dataclass
class TrueSession:
    visitor: Visitor
    anon_key: tuple[int, str]  # (visitor, UTC month of the session's start)
    referrer: str
    events: list[TrueEvent] = field(default_factory=list)
    heartbeats: list[datetime] = field(default_factory=list)
    identifications: list[str] = field(default_factory=list)  # in order, usr_ ids
    profile: str = ""  # filled by World.resolve

    @property
    def start(self) -> datetime:
        return self.events[0].time

    @property
    def last_activity(self) -> datetime:
        return max([e.time for e in self.events] + self.heartbeats)

    @property
    def duration(self) -> int:
        return int((self.last_activity - self.start).total_seconds())

    @property
    def pages(self) -> list[str]:
        return [e.page for e in self.events if e.kind == "pageview"]

    def count(self, kind: str) -> int:
        return sum(1 for e in self.events if e.kind == kind)

    @property
    def revenue(self) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        for e in self.events:
            if e.revenue:
                totals[e.revenue[1]] += e.revenue[0]
        return dict(totals)

    @property
    def software(self) -> tuple[str, str, str]:
        return SOFTWARE[self.visitor.user_agent]

    @property
    def source(self) -> str:
        return REFERRERS[self.referrer]


@dataclass
class World:
    sessions: list[TrueSession]
    requests: list[Request]
    traits: dict[str, dict[str, str]]
    end: datetime

    def resolve(self) -> None:
        """Give every session its profile by SPEC §1: aliases, first identification wins."""
        first_alias: dict[tuple[int, str], tuple[datetime, str]] = {}
        for session in self.sessions:
            if session.identifications:
                moment = session.events[0].time
                current = first_alias.get(session.anon_key)
                if current is None or moment < current[0]:
                    first_alias[session.anon_key] = (moment, session.identifications[0])
        for session in self.sessions:
            if session.identifications:
                session.profile = session.identifications[-1]
            elif session.anon_key in first_alias:
                session.profile = first_alias[session.anon_key][1]
            else:
                session.profile = f"anon:{session.anon_key[0]}:{session.anon_key[1]}"

    def profiles(self) -> dict[str, list[TrueSession]]:
        grouped: dict[str, list[TrueSession]] = defaultdict(list)
        for session in self.sessions:
            grouped[session.profile].append(session)
        return grouped


def _page_body(page: str, **extra: Any) -> dict[str, Any]:
    return {"pid": PID, "pg": page, "lc": "en-US", "tz": "Europe/Berlin", **extra}


def build_world(seed: int = 1) -> World:
    rng = random.Random(seed)
    networks = list(PLACES)
    visitors = [
        Visitor(
            n,
            f"{networks[n % 3].split('.0.0')[0]}.{n}.{10 + n}",
            list(SOFTWARE)[n % 4],
            PLACES[networks[n % 3]],
        )
        for n in range(12)
    ]
    # who logs in, and in which of their sessions they identify first
    logins = {
        0: ("dana@example.com", 1),
        1: ("omar", 0),
        2: ("lena", 2),
        6: ("kim", 1),
        7: ("kim", 0),
        9: ("yuki", 1),
    }
    traits = {
        "usr_dana@example.com": {"name": "Dana", "plan": "pro"},
        "usr_omar": {"email": "omar@example.com"},
    }
    sessions: list[TrueSession] = []
    requests: list[Request] = []
    for visitor in visitors:
        moment = START + timedelta(hours=rng.randint(0, 40), minutes=rng.randint(0, 59))
        if visitor.number == 3:
            moment = datetime(2026, 1, 31, 23, 45, tzinfo=UTC)  # across the salt rotation
        if visitor.number == 4:
            moment = datetime(2026, 1, 25, 22, 40, tzinfo=UTC)  # 23:40 in Berlin: past midnight
        login = logins.get(visitor.number)
        for number in range(3 if visitor.number % 2 else 2):
            session = _session(
                rng,
                visitor,
                number=number,
                start=moment,
                login=login,
                requests=requests,
                traits=traits,
            )
            sessions.append(session)
            moment = session.last_activity + timedelta(minutes=rng.choice([45, 240, 2000]))
    # Visitor 5 identifies as two people in one month: the first identification wins.
    first, second = [s for s in sessions if s.visitor.number == 5][:2]
    _identify(first, "first-id", requests)
    _identify(second, "second-id", requests)
    requests.sort(key=lambda r: r.time)
    world = World(sessions, requests, traits, end=max(s.last_activity for s in sessions))
    world.resolve()
    return world


def _identify(session: TrueSession, user: str, requests: list[Request]) -> None:
    session.identifications.append(f"usr_{user}")
    moment = session.events[0].time + timedelta(seconds=5)
    requests.append(
        Request(moment, "/log/identify", {"pid": PID, "profileId": user}, session.visitor)
    )


def _session(
    rng: random.Random,
    visitor: Visitor,
    *,
    number: int,
    start: datetime,
    login: tuple[str, int] | None,
    requests: list[Request],
    traits: dict[str, dict[str, str]],
) -> TrueSession:
    referrer = rng.choice(list(REFERRERS))
    session = TrueSession(visitor, (visitor.number, f"{start.year}-{start.month:02d}"), referrer)
    logged_in = login is not None and number > login[1]
    identify_here = login is not None and number == login[1]
    profile = {"profileId": login[0]} if logged_in and login else {}
    if logged_in and login:
        session.identifications.append(f"usr_{login[0]}")
    t = start
    pages = [f"/v{visitor.number}/s{number}", *rng.sample(SHARED_PAGES, rng.randint(0, 3))]
    for index, page in enumerate(pages):
        extra = {"ref": referrer} if index == 0 else {}
        session.events.append(TrueEvent("pageview", t, page))
        requests.append(Request(t, "/log", _page_body(page, **extra, **profile), visitor))
        if index == 0 and identify_here and login:
            t += timedelta(seconds=rng.randint(2, 30))
            user_traits = traits.get(f"usr_{login[0]}")
            body: dict[str, Any] = {"pid": PID, "profileId": login[0]}
            if user_traits:
                body["traits"] = user_traits
            requests.append(Request(t, "/log/identify", body, visitor))
            session.identifications.append(f"usr_{login[0]}")
            profile = {"profileId": login[0]}
        if rng.random() < 0.5:
            t += timedelta(seconds=rng.randint(1, 40))
            plan = rng.choice(["free", "pro"])
            session.events.append(TrueEvent("custom", t, page, "signup", {"plan": plan}))
            requests.append(
                Request(
                    t,
                    "/log/custom",
                    _page_body(page, ev="signup", meta={"plan": plan}, **profile),
                    visitor,
                )
            )
        if rng.random() < 0.2:
            t += timedelta(seconds=rng.randint(1, 20))
            error = {
                "name": "TypeError",
                "message": f"boom {visitor.number}",
                "filename": "https://shop.example/app.js",
                "lineno": 7,
                "colno": 3,
                "stack": "TypeError: boom",
            }
            session.events.append(TrueEvent("error", t, page, "TypeError", error=error))
            requests.append(
                Request(
                    t,
                    "/log/error",
                    _page_body(
                        page,
                        name="TypeError",
                        message=error["message"],
                        filename=error["filename"],
                        lineno=7,
                        colno=3,
                        stackTrace="TypeError: boom",
                        **profile,
                    ),
                    visitor,
                )
            )
        if page == "/checkout":
            t += timedelta(seconds=rng.randint(5, 60))
            amount, currency = rng.choice([(19.5, "EUR"), (30.0, "USD"), (12.25, "EUR")])
            session.events.append(
                TrueEvent(
                    "revenue",
                    t,
                    page,
                    revenue=(amount, currency, f"T{visitor.number}{number}", "Pro"),
                )
            )
            requests.append(
                Request(
                    t,
                    "/log/revenue",
                    _page_body(
                        page,
                        amount=amount,
                        currency=currency,
                        transactionId=f"T{visitor.number}{number}",
                        product="Pro",
                        **profile,
                    ),
                    visitor,
                )
            )
        dwell = rng.randint(5, 300)
        if rng.random() < 0.6:
            beat = t + timedelta(seconds=min(dwell, 20 * 60) // 2 + 1)
            session.heartbeats.append(beat)
            requests.append(Request(beat, "/log/hb", {"pid": PID}, visitor))
        t += timedelta(seconds=dwell)
    if visitor.number in {3, 4}:
        # keep these sessions going past the turn of the month / the day, with heartbeats
        for _ in range(3):
            t += timedelta(minutes=9)
            session.heartbeats.append(t)
            requests.append(Request(t, "/log/hb", {"pid": PID}, visitor))
        session.events.append(TrueEvent("pageview", t, "/late"))
        requests.append(Request(t, "/log", _page_body("/late", **profile), visitor))
    return session


def calendar_counts(sessions: list[TrueSession], zone: ZoneInfo) -> Counter[str]:
    days: Counter[str] = Counter()
    for session in sessions:
        for event in session.events:
            if event.kind in ("pageview", "custom"):
                days[event.time.astimezone(zone).date().isoformat()] += 1
    return days
