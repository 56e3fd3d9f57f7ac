"""Days belong to the zone asked for: a visit at 23:30 UTC is tomorrow in Berlin, today in NY."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conftest import PID, LiveServer, add_site, serve
from sightline.clock import ManualClock
from sightline.settings import Settings

API = f"/api/v1/sites/{PID}"


@pytest.fixture
def late_visit(live_server: LiveServer, clock: ManualClock) -> LiveServer:
    clock.set(datetime(2026, 3, 10, 23, 30, tzinfo=UTC))
    live_server.post("/log", {"pid": PID, "pg": "/late"})
    live_server.post("/log/custom", {"pid": PID, "pg": "/late", "ev": "click"})
    assert live_server.runtime.ingest.flush()
    clock.set(datetime(2026, 3, 11, 12, 0, tzinfo=UTC))
    return live_server


def get(server: LiveServer, path: str, **params: str) -> dict:
    answer = server.http.get(API + path, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize(
    ("zone", "day", "offset"),
    [
        ("Europe/Berlin", "2026-03-11", "+01:00"),
        ("America/New_York", "2026-03-10", "-04:00"),
        ("UTC", "2026-03-10", "+00:00"),
    ],
)
def test_the_calendar_and_times_follow_the_zone(
    late_visit: LiveServer, zone: str, day: str, offset: str
) -> None:
    profile = get(late_visit, "/profiles", period="all")["profiles"][0]["profile_id"]
    detail = get(late_visit, f"/profiles/{profile}", timezone=zone)
    active = {d["day"]: d["count"] for d in detail["calendar"] if d["count"]}
    assert active == {day: 2}
    assert detail["calendar_timezone"] == zone
    session = get(late_visit, "/sessions", period="all", timezone=zone)["sessions"][0]
    assert session["start"].startswith(day)
    assert session["start"].endswith(offset)


@pytest.mark.parametrize(
    ("zone", "today", "yesterday"),
    [
        ("Europe/Berlin", 1, 0),
        ("America/New_York", 0, 1),
    ],
)
def test_day_periods_follow_the_zone(
    late_visit: LiveServer, zone: str, today: int, yesterday: int
) -> None:
    assert get(late_visit, "/sessions", period="today", timezone=zone)["total"] == today
    assert get(late_visit, "/sessions", period="yesterday", timezone=zone)["total"] == yesterday
    assert get(late_visit, "/profiles", period="today", timezone=zone)["total"] == today
    custom = get(
        late_visit, "/sessions", timezone=zone, **{"from": "2026-03-11", "to": "2026-03-11"}
    )
    assert custom["total"] == today


def test_the_site_zone_is_the_default(settings: Settings, clock: ManualClock) -> None:
    add_site(settings, timezone="Asia/Tokyo")
    with serve(settings, clock) as server:
        clock.set(datetime(2026, 3, 10, 15, 30, tzinfo=UTC))  # 00:30 on the 11th in Tokyo
        server.post("/log", {"pid": PID, "pg": "/"})
        assert server.runtime.ingest.flush()
        listed = get(server, "/sessions", period="today")
        assert listed["period"]["timezone"] == "Asia/Tokyo"
        assert listed["period"]["start"] == "2026-03-11T00:00:00.000+09:00"
        assert listed["total"] == 1
