"""Every number of every view against the truth of a known scenario, ingested over HTTP."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import LiveServer, add_site, serve
from scenario import (
    BERLIN,
    PID,
    SITE_TIMEZONE,
    TrueSession,
    World,
    build_world,
    calendar_counts,
    geo_database,
)
from sightline.clock import ManualClock
from sightline.settings import Settings as ServerSettings

NOW = datetime(2026, 2, 10, 12, 0, tzinfo=UTC)
API = f"/api/v1/sites/{PID}"


@dataclass
class Ingested:
    world: World
    server: LiveServer
    clock: ManualClock
    # server profile id -> the scenario's profile key, learnt from the sessions' entry pages
    profile_key: dict[str, str]

    def get(self, path: str, **params: Any) -> Any:
        response = self.server.http.get(API + path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def server_id(self, profile: str) -> str:
        return next(k for k, v in self.profile_key.items() if v == profile)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ingested]:
    folder: Path = tmp_path_factory.mktemp("truth")
    config = ServerSettings(
        data_dir=folder / "data",
        trust_proxy=True,
        writer_flush_ms=20.0,
        journal_commit_ms=0.5,
        geoip_db=geo_database(folder / "geo.mmdb"),
    )
    add_site(config, pid=PID, timezone=SITE_TIMEZONE)
    world = build_world()
    clock = ManualClock(world.requests[0].time)
    with serve(config, clock) as server:
        for request in world.requests:
            clock.set(request.time)
            answer = server.post(
                request.path, request.body, ip=request.visitor.ip, ua=request.visitor.user_agent
            )
            assert answer.status_code == 201, (request, answer.text)
        assert server.runtime.ingest.flush()
        clock.set(NOW)
        listed = server.http.get(API + "/sessions", params={"period": "all", "limit": 500}).json()
        by_entry = {s.pages[0]: s for s in world.sessions}
        profile_key = {
            row["profile_id"]: by_entry[row["entry_page"]].profile for row in listed["sessions"]
        }
        yield Ingested(world, server, clock, profile_key)


def truth_profile_id(ingested: Ingested, profile: str) -> str:
    return profile if profile.startswith("usr_") else ingested.server_id(profile)


def test_the_sessions_list_is_every_session_newest_first(ingested: Ingested) -> None:
    world = ingested.world
    listed = ingested.get("/sessions", period="all", limit=500)
    assert listed["total"] == len(world.sessions)
    by_entry = {s.pages[0]: s for s in world.sessions}
    assert [row["entry_page"] for row in listed["sessions"]] == [
        s.pages[0] for s in sorted(world.sessions, key=lambda s: s.start, reverse=True)
    ]
    for row in listed["sessions"]:
        truth = by_entry[row["entry_page"]]
        assert _session_numbers(row) == _true_session_numbers(truth, ingested), row["entry_page"]


def _session_numbers(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["profile_id"],
        _utc(row["start"]),
        _utc(row["end"]),
        row["duration"],
        row["entry_page"],
        row["exit_page"],
        row["pageviews"],
        row["custom_events"],
        row["errors"],
        row["revenue"],
        row["revenue_events"],
        row["country"],
        row["city"],
        row["browser"],
        row["os"],
        row["device"],
        row["source"],
        row["live"],
    )


def _true_session_numbers(truth: TrueSession, ingested: Ingested) -> tuple[Any, ...]:
    browser, os, device = truth.software
    return (
        truth_profile_id(ingested, truth.profile),
        truth.start,
        truth.last_activity,
        truth.duration,
        truth.pages[0],
        truth.pages[-1],
        truth.count("pageview"),
        truth.count("custom"),
        truth.count("error"),
        truth.revenue,
        truth.count("revenue"),
        truth.visitor.place[0],
        truth.visitor.place[2],
        browser,
        os,
        device,
        truth.source,
        False,
    )


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_profiles_are_grouped_by_identity(ingested: Ingested) -> None:
    truth = ingested.world.profiles()
    # Each server profile is exactly one scenario profile, and none is missing.
    assert sorted(ingested.profile_key.values()) == sorted(truth)
    # Identified visitors are their own profiles: two devices, one person ...
    assert len(truth["usr_kim"]) == 5
    assert ingested.profile_key["usr_kim"] == "usr_kim"
    # ... and an anonymous profile identified twice belongs to the first identification.
    assert {"usr_first-id", "usr_second-id"} <= set(ingested.profile_key)


def test_the_profiles_list_counts_match_the_truth(ingested: Ingested) -> None:
    truth = ingested.world.profiles()
    listed = ingested.get("/profiles", period="all", limit=100)
    assert listed["total"] == len(truth)
    expected_order = sorted(
        truth, key=lambda p: max(s.last_activity for s in truth[p]), reverse=True
    )
    assert [ingested.profile_key[row["profile_id"]] for row in listed["profiles"]] == expected_order
    for row in listed["profiles"]:
        sessions = truth[ingested.profile_key[row["profile_id"]]]
        latest = max(sessions, key=lambda s: s.start)
        assert (row["sessions"], row["pageviews"], row["custom_events"], row["errors"]) == (
            len(sessions),
            sum(s.count("pageview") for s in sessions),
            sum(s.count("custom") for s in sessions),
            sum(s.count("error") for s in sessions),
        )
        assert _utc(row["first_seen"]) == min(s.start for s in sessions)
        assert _utc(row["last_seen"]) == max(s.last_activity for s in sessions)
        assert (row["country"], row["browser"], row["os"], row["device"]) == (
            latest.visitor.place[0],
            *latest.software[:2],
            latest.software[2],
        )
        assert row["identified"] == row["profile_id"].startswith("usr_")
        assert row["status"] == "offline"
    names = {row["profile_id"]: row["display_name"] for row in listed["profiles"]}
    assert names["usr_dana@example.com"] == "Dana"
    assert names["usr_omar"] == "omar@example.com"
    assert names["usr_kim"] is None


@pytest.mark.parametrize("kind", ["anonymous", "identified"])
def test_the_user_type_toggle(ingested: Ingested, kind: str) -> None:
    truth = ingested.world.profiles()
    listed = ingested.get("/profiles", period="all", limit=100, type=kind)
    identified = [p for p in truth if p.startswith("usr_")]
    expected = identified if kind == "identified" else [p for p in truth if p not in identified]
    assert sorted(ingested.profile_key[r["profile_id"]] for r in listed["profiles"]) == sorted(
        expected
    )
    assert listed["total"] == len(expected)


def test_each_profile_detail_matches_the_truth(ingested: Ingested) -> None:
    for profile, sessions in ingested.world.profiles().items():
        server_id = truth_profile_id(ingested, profile)
        detail = ingested.get(f"/profiles/{server_id}")
        assert detail["profile_id"] == server_id
        assert detail["sessions"] == len(sessions)
        assert detail["pageviews"] == sum(s.count("pageview") for s in sessions)
        assert detail["custom_events"] == sum(s.count("custom") for s in sessions)
        assert detail["errors"] == sum(s.count("error") for s in sessions)
        assert detail["revenue_events"] == sum(s.count("revenue") for s in sessions)
        revenue: Counter[str] = Counter()
        for s in sessions:
            revenue.update(s.revenue)
        assert detail["revenue"] == {k: round(v, 2) for k, v in revenue.items()}
        assert detail["average_session_duration"] == pytest.approx(
            sum((s.last_activity - s.start).total_seconds() for s in sessions) / len(sessions),
            abs=0.05,
        )
        assert _utc(detail["first_seen"]) == min(s.start for s in sessions)
        assert _utc(detail["last_seen"]) == max(s.last_activity for s in sessions)
        pages = Counter(p for s in sessions for p in s.pages)
        assert {p["page"]: p["pageviews"] for p in detail["top_pages"]} == dict(
            sorted(pages.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        )
        calendar = {d["day"]: d["count"] for d in detail["calendar"]}
        assert len(detail["calendar"]) == 183
        assert detail["calendar"][-1]["day"] == NOW.astimezone(BERLIN).date().isoformat()
        assert {d: c for d, c in calendar.items() if c} == dict(calendar_counts(sessions, BERLIN))


def test_an_identified_profiles_anonymous_id_redirects(ingested: Ingested) -> None:
    anonymous = ingested.server.rows(
        "SELECT anon_id FROM aliases WHERE profile_id = 'usr_dana@example.com' LIMIT 1"
    )
    response = ingested.server.http.get(
        f"{API}/profiles/{anonymous[0]['anon_id']}",
        params={"timezone": "UTC"},
        follow_redirects=False,
    )
    assert response.status_code == 307
    assert response.headers["location"] == f"{API}/profiles/usr_dana@example.com?timezone=UTC"
    listed = ingested.get("/profiles", period="all", limit=100)
    assert anonymous[0]["anon_id"] not in {row["profile_id"] for row in listed["profiles"]}


def test_each_profiles_sessions(ingested: Ingested) -> None:
    for profile, sessions in ingested.world.profiles().items():
        server_id = truth_profile_id(ingested, profile)
        listed = ingested.get(f"/profiles/{server_id}/sessions", limit=2)
        assert listed["total"] == len(sessions)
        newest = sorted(sessions, key=lambda s: s.start, reverse=True)
        assert [r["entry_page"] for r in listed["sessions"]] == [s.pages[0] for s in newest[:2]]
        rest = ingested.get(f"/profiles/{server_id}/sessions", limit=2, offset=2)
        assert [r["entry_page"] for r in rest["sessions"]] == [s.pages[0] for s in newest[2:4]]


def test_each_session_timeline(ingested: Ingested) -> None:
    listed = ingested.get("/sessions", period="all", limit=500)
    by_entry = {s.pages[0]: s for s in ingested.world.sessions}
    for row in listed["sessions"]:
        truth = by_entry[row["entry_page"]]
        detail = ingested.get(f"/sessions/{row['session_id']}")
        assert _session_numbers(detail["session"]) == _true_session_numbers(truth, ingested)
        steps = detail["timeline"]
        assert [(s["kind"], s["page"], s["name"], s["meta"]) for s in steps] == [
            (e.kind, e.page, e.name, e.meta) for e in truth.events
        ]
        for step, event in zip(steps, truth.events, strict=True):
            assert _utc(step["time"]) == event.time
            assert step["offset"] == (event.time - truth.start).total_seconds()
            if event.error:
                assert step["error"] == event.error
            if event.revenue:
                amount, currency, transaction, product = event.revenue
                assert step["revenue"] == {
                    "amount": amount,
                    "currency": currency,
                    "transaction_id": transaction,
                    "product": product,
                }
        pageview_times = [e.time for e in truth.events if e.kind == "pageview"]
        on_page = [s["time_on_page"] for s in steps if s["kind"] == "pageview"]
        expected = [
            (b - a).total_seconds()
            for a, b in zip(pageview_times, [*pageview_times[1:], truth.last_activity], strict=True)
        ]
        assert on_page == expected


def test_a_session_across_midnight_and_the_salt_rotation_is_one_session(
    ingested: Ingested,
) -> None:
    listed = ingested.get("/sessions", period="all", limit=500)
    rows = {r["entry_page"]: r for r in listed["sessions"]}
    rotation, midnight = rows["/v3/s0"], rows["/v4/s0"]
    assert (_utc(rotation["start"]).month, _utc(rotation["end"]).month) == (1, 2)
    assert ingested.profile_key[rotation["profile_id"]] == "anon:3:2026-01"
    start, end = _utc(midnight["start"]), _utc(midnight["end"])
    assert start.astimezone(BERLIN).date() != end.astimezone(BERLIN).date()
    assert rotation["exit_page"] == midnight["exit_page"] == "/late"


def _sessions_matching(
    world: World, predicate: Any, start: datetime | None = None, end: datetime | None = None
) -> list[TrueSession]:
    return [
        s
        for s in world.sessions
        if predicate(s) and (start is None or s.start >= start) and (end is None or s.start < end)
    ]


FILTER_CASES = [
    ([["country", "is", ["DE"]]], lambda s: s.visitor.place[0] == "DE"),
    ([["country", "is_not", ["DE", "FR"]]], lambda s: s.visitor.place[0] == "US"),
    ([["browser", "is", ["Firefox", "Safari"]]], lambda s: s.software[0] in ("Firefox", "Safari")),
    ([["city", "contains", ["par"]]], lambda s: s.visitor.place[2] == "Paris"),
    (
        [["device", "is", ["mobile"]], ["country", "is", ["FR"]]],
        lambda s: s.software[2] == "mobile" and s.visitor.place[0] == "FR",
    ),
    ([["page", "is", ["/checkout"]]], lambda s: "/checkout" in s.pages),
    ([["page", "not_contains", ["/blog"]]], lambda s: not any("/blog" in p for p in s.pages)),
    ([["entry_page", "contains", ["/v1/"]]], lambda s: s.pages[0].startswith("/v1/")),
    ([["exit_page", "is", ["/late"]]], lambda s: s.pages[-1] == "/late"),
    ([["event", "is", ["signup"]]], lambda s: s.count("custom") > 0),
    ([["meta", "is", ["plan=pro"]]], lambda s: any(e.meta.get("plan") == "pro" for e in s.events)),
    (
        [["meta", "is_not", ["plan=pro"]]],
        lambda s: not any(e.meta.get("plan") == "pro" for e in s.events),
    ),
    (
        [["source", "is", ["Google"]], ["page", "contains", ["/pricing", "/docs"]]],
        lambda s: s.source == "Google" and any(p in ("/pricing", "/docs") for p in s.pages),
    ),
]


@pytest.mark.parametrize(("filters", "predicate"), FILTER_CASES)
def test_filters_select_sessions_and_profiles(
    ingested: Ingested, filters: list[Any], predicate: Any
) -> None:
    world = ingested.world
    expected = _sessions_matching(world, predicate)
    listed = ingested.get("/sessions", period="all", limit=500, filters=json.dumps(filters))
    assert sorted(r["entry_page"] for r in listed["sessions"]) == sorted(
        s.pages[0] for s in expected
    )
    profiles = ingested.get("/profiles", period="all", limit=100, filters=json.dumps(filters))
    counts = Counter(s.profile for s in expected)
    assert {ingested.profile_key[r["profile_id"]]: r["sessions"] for r in profiles["profiles"]} == (
        dict(counts)
    )


def test_session_bounds_filters(ingested: Ingested) -> None:
    world = ingested.world
    cases = [
        ({"min_duration": 300}, lambda s: s.duration >= 300),
        ({"max_duration": 120}, lambda s: s.duration <= 120),
        ({"min_pageviews": 3}, lambda s: s.count("pageview") >= 3),
        ({"max_pageviews": 1}, lambda s: s.count("pageview") <= 1),
        ({"has_errors": "true"}, lambda s: s.count("error") > 0),
        (
            {"has_errors": "false", "min_pageviews": 2},
            lambda s: s.count("error") == 0 and s.count("pageview") >= 2,
        ),
    ]
    for params, predicate in cases:
        listed = ingested.get("/sessions", period="all", limit=500, **params)
        assert sorted(r["entry_page"] for r in listed["sessions"]) == sorted(
            s.pages[0] for s in world.sessions if predicate(s)
        ), params


def test_periods_count_sessions_by_their_start(ingested: Ingested) -> None:
    world = ingested.world
    # Custom dates are whole days in the site's zone, both ends included.
    start = datetime(2026, 1, 21, tzinfo=BERLIN)
    end = datetime(2026, 1, 24, tzinfo=BERLIN)
    listed = ingested.get("/sessions", limit=500, **{"from": "2026-01-21", "to": "2026-01-23"})
    assert listed["total"] == len(_sessions_matching(world, lambda s: True, start, end))
    assert _utc(listed["period"]["start"]) == start
    assert _utc(listed["period"]["end"]) == end
    # Named periods end now (the driven clock) and start at a midnight of the zone.
    seven = ingested.get("/sessions", period="7d", limit=500)
    seven_start = datetime(2026, 2, 4, tzinfo=BERLIN)
    assert _utc(seven["period"]["start"]) == seven_start
    assert seven["total"] == len(_sessions_matching(world, lambda s: True, seven_start))
    ninety = ingested.get("/profiles", period="90d", limit=100)
    assert ninety["total"] == len(world.profiles())


def test_bad_parameters_name_themselves(ingested: Ingested) -> None:
    http = ingested.server.http
    for params, parameter in [
        ({"period": "fortnight"}, "period"),
        ({"from": "2026-01-01"}, "to"),
        ({"from": "2026-02-01", "to": "2026-01-01"}, "to"),
        ({"from": "yesterday", "to": "2026-01-01"}, "from"),
        ({"timezone": "Moon/Base"}, "timezone"),
        ({"filters": "not json"}, "filters"),
        ({"filters": '[["planet", "is", ["x"]]]'}, "filters[0]"),
        ({"filters": '[["country", "near", ["x"]]]'}, "filters[0]"),
        ({"filters": '[["meta", "is", ["novalue"]]]'}, "filters[0]"),
        ({"limit": "0"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"type": "robots"}, "type"),
        ({"min_duration": "long"}, "min_duration"),
        ({"has_errors": "maybe"}, "has_errors"),
    ]:
        path = "/profiles" if parameter == "type" else "/sessions"
        answer = http.get(API + path, params=params)
        assert answer.status_code == 400, params
        assert answer.json()["parameter"] == parameter, params


def test_unknown_things_are_404(ingested: Ingested) -> None:
    http = ingested.server.http
    for path in [
        "/api/v1/sites/NOSUCHSITE00/profiles",
        f"{API}/profiles/usr_nobody",
        f"{API}/profiles/usr_nobody/sessions",
        f"{API}/sessions/00000000000000ff",
        f"{API}/sessions/not-an-id",
    ]:
        answer = http.get(path)
        assert answer.status_code == 404, path
        assert answer.json()["error"] == "not_found"


def test_the_openapi_document_lists_every_endpoint(ingested: Ingested) -> None:
    document = ingested.server.http.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/sites/{pid}/overview",
        "/sites/{pid}/profiles",
        "/sites/{pid}/profiles/{profile_id}",
        "/sites/{pid}/profiles/{profile_id}/sessions",
        "/sites/{pid}/sessions",
        "/sites/{pid}/sessions/{session_id}",
    }
    # Every path answers (a 404 for a made-up id, never a 500).
    for path in document["paths"]:
        concrete = (
            path.replace("{pid}", PID)
            .replace("{profile_id}", "usr_kim")
            .replace("{session_id}", "0000000000000001")
        )
        assert ingested.server.http.get("/api/v1" + concrete).status_code in {200, 404}


# Property tests: whatever the filters and the period, the views agree with each other.
filter_values = {
    "country": ["DE", "FR", "US"],
    "browser": ["Chrome", "Firefox", "Safari", "Mobile Safari"],
    "device": ["desktop", "mobile"],
    "page": ["/pricing", "/docs", "/checkout", "/blog"],
    "entry_page": ["/v1/", "/v2/s0", "/v7/"],
    "event": ["signup"],
    "meta": ["plan=pro", "plan=free"],
    "source": ["Google", "Hacker News"],
}
conditions = st.builds(
    lambda dimension, operator, values: [dimension, operator, values],
    st.sampled_from(sorted(filter_values)),
    st.sampled_from(["is", "is_not", "contains", "not_contains"]),
    st.just(None),
).flatmap(
    lambda c: st.lists(
        st.sampled_from(filter_values[c[0]]), min_size=1, max_size=2, unique=True
    ).map(lambda values: [c[0], c[1], values])
)
periods = st.sampled_from(
    [
        {"period": "all"},
        {"period": "30d"},
        {"period": "7d"},
        {"from": "2026-01-20", "to": "2026-01-22"},
        {"from": "2026-02-01", "to": "2026-02-01"},
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chosen=st.lists(conditions, max_size=3), period=periods)
def test_profile_rows_agree_with_their_sessions(
    ingested: Ingested, chosen: list[Any], period: dict[str, str]
) -> None:
    filters = json.dumps(chosen)
    profiles = ingested.get("/profiles", limit=100, filters=filters, **period)
    sessions = ingested.get("/sessions", limit=500, filters=filters, **period)
    assert profiles["total"] == len(profiles["profiles"])
    assert sessions["total"] == len(sessions["sessions"])
    # Every counted session is listed, and every listed session is counted.
    assert sum(p["sessions"] for p in profiles["profiles"]) == sessions["total"]
    assert {p["profile_id"] for p in profiles["profiles"]} == {
        s["profile_id"] for s in sessions["sessions"]
    }
    for row in profiles["profiles"][:4]:
        own = ingested.get(
            f"/profiles/{row['profile_id']}/sessions", limit=500, filters=filters, **period
        )
        assert own["total"] == row["sessions"] == len(own["sessions"])
        for name in ("pageviews", "custom_events", "errors"):
            assert sum(s[name] for s in own["sessions"]) == row[name]
        assert _utc(row["last_seen"]) == max(_utc(s["end"]) for s in own["sessions"])
        assert _utc(row["first_seen"]) == min(_utc(s["start"]) for s in own["sessions"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(position=st.integers(min_value=0, max_value=200))
def test_a_timeline_has_every_step_of_its_session(ingested: Ingested, position: int) -> None:
    listed = ingested.get("/sessions", period="all", limit=500)["sessions"]
    row = listed[position % len(listed)]
    detail = ingested.get(f"/sessions/{row['session_id']}")
    kinds = Counter(step["kind"] for step in detail["timeline"])
    assert len(detail["timeline"]) == (
        row["pageviews"] + row["custom_events"] + row["errors"] + row["revenue_events"]
    )
    assert (kinds["pageview"], kinds["custom"], kinds["error"], kinds["revenue"]) == (
        row["pageviews"],
        row["custom_events"],
        row["errors"],
        row["revenue_events"],
    )
    offsets = [step["offset"] for step in detail["timeline"]]
    assert offsets == sorted(offsets)
    assert offsets[0] == 0
    assert offsets[-1] <= row["duration"] + 1


def test_the_overview_counts_match_the_truth(ingested: Ingested) -> None:
    world = ingested.world
    overview = ingested.get("/overview", period="all")
    assert overview["granularity"] == "day"
    assert overview["visitors"] == len(world.profiles())
    assert overview["sessions"] == len(world.sessions)
    assert overview["pageviews"] == sum(s.count("pageview") for s in world.sessions)
    days = Counter(s.start.astimezone(BERLIN).date().isoformat() for s in world.sessions)
    series = {p["bucket"]: p["sessions"] for p in overview["series"]}
    assert {day: n for day, n in series.items() if n} == dict(days)
    assert sum(p["pageviews"] for p in overview["series"]) == overview["pageviews"]
    pages = Counter(p for s in world.sessions for p in s.pages)
    top_pages = {r["value"]: r["count"] for r in overview["top_pages"]}
    assert top_pages == dict(sorted(pages.items(), key=lambda kv: (-kv[1], kv[0]))[:10])
    countries = Counter(s.visitor.place[0] for s in world.sessions)
    assert {r["value"]: r["count"] for r in overview["top"]["country"]} == dict(countries)
    germans = ingested.get(
        "/overview", period="all", filters=json.dumps([["country", "is", ["DE"]]])
    )
    assert germans["sessions"] == countries["DE"]


query_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
json_filters = st.recursive(
    st.none() | st.integers() | query_text | st.booleans(),
    lambda inner: st.lists(inner, max_size=4),
    max_leaves=10,
).map(json.dumps)
query_params = st.fixed_dictionaries(
    {},
    optional={
        "period": st.sampled_from(["all", "7d", "today", "x"]) | query_text,
        "from": st.sampled_from(["2026-01-01", "1969-12-31", "9999-12-31"]) | query_text,
        "to": st.sampled_from(["2026-02-01", "2026-01-01"]) | query_text,
        "timezone": st.sampled_from(["UTC", "Asia/Kolkata", "Etc/GMT+12"]) | query_text,
        "filters": json_filters | query_text,
        "limit": st.integers(-5, 10**12).map(str) | query_text,
        "offset": st.integers(-5, 10**12).map(str),
        "type": st.sampled_from(["all", "identified"]) | query_text,
        "min_duration": st.integers(-1, 10**12).map(str),
        "has_errors": st.sampled_from(["true", "no", "maybe"]),
    },
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.sampled_from(
        ["/overview", "/profiles", "/sessions", "/profiles/usr_kim", "/profiles/usr_kim/sessions"]
    ),
    params=query_params,
)
def test_any_query_gets_an_answer_never_a_500(
    ingested: Ingested, path: str, params: dict[str, str]
) -> None:
    answer = ingested.server.http.get(API + path, params=params)
    assert answer.status_code in {200, 400, 404}, (params, answer.text)
    if answer.status_code == 400:
        assert answer.json()["parameter"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.sampled_from(["", "/profiles", "/sessions", "/profiles/usr_kim"]), params=query_params
)
def test_any_page_gets_an_answer_never_a_500(
    ingested: Ingested, path: str, params: dict[str, str]
) -> None:
    answer = ingested.server.http.get(f"/sites/{PID}{path}", params=params)
    assert answer.status_code in {200, 400, 404}, (params, answer.text[-500:])
    assert answer.headers["content-type"].startswith("text/html")
