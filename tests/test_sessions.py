"""Sessions follow inactivity, not the calendar: the clock is driven by the test."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conftest import PID, LiveServer, add_site, serve
from sightline.clock import ManualClock
from sightline.meta import db
from sightline.settings import Settings


def page(path: str, **extra: object) -> dict[str, object]:
    return {"pid": PID, "pg": path, "lc": "en-US", "tz": "UTC", **extra}


def sessions(server: LiveServer) -> list[dict]:
    return server.rows(
        "SELECT session_id, profile_id, entry_page, exit_page, pageviews,"
        " dateDiff('second', start, last_activity) AS duration"
        " FROM sessions FINAL ORDER BY start"
    )


def test_thirty_idle_minutes_start_a_new_session(
    live_server: LiveServer, clock: ManualClock
) -> None:
    live_server.post("/log", page("/a"))
    clock.advance(minutes=29, seconds=59)
    live_server.post("/log", page("/b"))
    clock.advance(minutes=30, seconds=1)
    live_server.post("/log", page("/c"))
    found = sessions(live_server)
    assert [(s["entry_page"], s["exit_page"], s["pageviews"], s["duration"]) for s in found] == [
        ("/a", "/b", 2, 29 * 60 + 59),
        ("/c", "/c", 1, 0),
    ]
    # A new session, but the same visitor in the same month: one profile.
    assert found[0]["profile_id"] == found[1]["profile_id"]


def test_heartbeats_keep_a_session_alive_and_extend_its_duration(
    live_server: LiveServer, clock: ManualClock
) -> None:
    live_server.post("/log", page("/article"))
    for _ in range(5):
        clock.advance(minutes=20)
        assert live_server.post("/log/hb", {"pid": PID}).status_code == 201
    found = sessions(live_server)
    assert len(found) == 1
    assert found[0]["duration"] == 100 * 60
    clock.advance(minutes=5)
    live_server.post("/log", page("/next"))
    assert [s["pageviews"] for s in sessions(live_server)] == [2]


def test_a_heartbeat_without_a_live_session_is_refused(
    live_server: LiveServer, clock: ManualClock
) -> None:
    refused = live_server.post("/log/hb", {"pid": PID})
    assert refused.status_code == 403
    assert refused.json()["field"] == "pid"
    live_server.post("/log", page("/"))
    clock.advance(minutes=31)
    assert live_server.post("/log/hb", {"pid": PID}).status_code == 403
    assert live_server.rows("SELECT count() AS n FROM events")[0]["n"] == 1


def test_a_session_runs_across_midnight(settings: Settings) -> None:
    clock = ManualClock(datetime(2026, 3, 10, 23, 50, tzinfo=UTC))
    add_site(settings)
    with serve(settings, clock) as live:
        live.post("/log", page("/late"))
        clock.advance(minutes=20)
        live.post("/log", page("/early"))
        found = sessions(live)
        assert [(s["entry_page"], s["exit_page"], s["duration"]) for s in found] == [
            ("/late", "/early", 20 * 60)
        ]


def test_a_session_runs_across_the_monthly_salt_rotation(settings: Settings) -> None:
    clock = ManualClock(datetime(2026, 3, 31, 23, 50, tzinfo=UTC))
    add_site(settings)
    with serve(settings, clock) as live:
        march_id = live.post("/log/profile-id", {"pid": PID}).json()["profileId"]
        live.post("/log", page("/march"))
        clock.advance(minutes=20)
        live.post("/log", page("/april"))
        found = sessions(live)
        assert [(s["entry_page"], s["exit_page"], s["pageviews"]) for s in found] == [
            ("/march", "/april", 2)
        ]
        assert found[0]["profile_id"] == march_id
        profiles = live.rows("SELECT DISTINCT profile_id FROM events")
        assert profiles == [{"profile_id": march_id}]

        # Once the session is over, April's salt gives the visitor a new anonymous id ...
        clock.advance(minutes=45)
        live.post("/log", page("/later"))
        april_id = live.rows("SELECT profile_id FROM events WHERE page = '/later'")[0]["profile_id"]
        assert april_id.startswith("anon_")
        assert april_id != march_id
        # ... and March's salt is deleted once no session can need it.
        clock.advance(hours=3)
        live.runtime.housekeeping()
        meta = db.connect(settings.meta_path)
        periods = [row[0] for row in meta.execute("SELECT period FROM salts")]
        assert periods == ["2026-04"]


def test_unique_pageviews_are_refused_inside_a_live_session(live_server: LiveServer) -> None:
    assert live_server.post("/log", page("/", unique=True)).status_code == 201
    refused = live_server.post("/log", page("/again", unique=True))
    assert refused.status_code == 403
    assert refused.json()["field"] == "unique"
    assert live_server.post("/log", page("/again", unique=False)).status_code == 201
    assert live_server.rows("SELECT count() AS n FROM events")[0]["n"] == 2


@pytest.mark.parametrize(("gap_minutes", "expected"), [(9, 1), (11, 2)])
def test_the_timeout_is_a_setting_of_the_site(
    settings: Settings, gap_minutes: int, expected: int
) -> None:
    clock = ManualClock(datetime(2026, 5, 5, 9, 0, tzinfo=UTC))
    add_site(settings, session_timeout_minutes=10)
    with serve(settings, clock) as live:
        live.post("/log", page("/"))
        clock.advance(minutes=gap_minutes)
        live.post("/log", page("/"))
        assert len(sessions(live)) == expected


def test_different_visitors_have_different_sessions(live_server: LiveServer) -> None:
    live_server.post("/log", page("/"), ip="81.2.69.142")
    live_server.post("/log", page("/"), ip="81.2.69.143")
    found = sessions(live_server)
    assert len(found) == 2
    assert found[0]["profile_id"] != found[1]["profile_id"]
