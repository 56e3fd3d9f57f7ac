"""Identification: aliases carry anonymous history over, and the first one wins."""

from __future__ import annotations

import pytest

from conftest import IPHONE_SAFARI, PID, LiveServer
from sightline.clock import ManualClock

RESOLVED_ALIASES = (
    "SELECT anon_id, argMin(profile_id, seq) AS profile_id FROM aliases"
    " GROUP BY anon_id ORDER BY anon_id"
)


def page(path: str, **extra: object) -> dict[str, object]:
    return {"pid": PID, "pg": path, **extra}


def test_identify_mid_session_continues_the_session(live_server: LiveServer) -> None:
    live_server.post("/log", page("/"))
    answer = live_server.post(
        "/log/identify",
        {"pid": PID, "profileId": "kim@example.com", "traits": {"plan": "pro", "seats": 3}},
    )
    assert answer.json() == {"profileId": "usr_kim@example.com"}
    # Later requests without a profile id still belong to the identified visitor.
    live_server.post("/log/custom", page("/app", ev="opened"))
    rows = live_server.rows("SELECT profile_id, session_id FROM events ORDER BY seq")
    assert len({r["session_id"] for r in rows}) == 1
    assert rows[0]["profile_id"].startswith("anon_")
    assert rows[1]["profile_id"] == "usr_kim@example.com"
    session = live_server.rows("SELECT profile_id FROM sessions FINAL")
    assert session == [{"profile_id": "usr_kim@example.com"}]
    traits = live_server.rows("SELECT traits FROM traits")
    assert dict(traits[0]["traits"]) == {"plan": "pro", "seats": "3"}


def test_the_first_identification_of_an_anonymous_profile_wins(
    live_server: LiveServer, clock: ManualClock
) -> None:
    live_server.post("/log", page("/"))
    live_server.post("/log/identify", {"pid": PID, "profileId": "first"})
    clock.advance(hours=2)
    live_server.post("/log", page("/"))
    live_server.post("/log/identify", {"pid": PID, "profileId": "second"})
    anonymous = live_server.rows("SELECT profile_id FROM events ORDER BY seq LIMIT 1")
    resolved = live_server.rows(RESOLVED_ALIASES)
    assert resolved == [{"anon_id": anonymous[0]["profile_id"], "profile_id": "usr_first"}]
    assert live_server.rows("SELECT count() AS n FROM aliases") == [{"n": 1}]


def test_a_known_visitor_is_told_their_identified_id(
    live_server: LiveServer, clock: ManualClock
) -> None:
    live_server.post("/log", page("/"))
    live_server.post("/log/identify", {"pid": PID, "profileId": "kim"})
    clock.advance(hours=3)  # a new session, anonymous again on the wire
    answer = live_server.post("/log/profile-id", {"pid": PID})
    assert answer.json() == {"profileId": "usr_kim"}


def test_a_profile_id_on_events_identifies_like_identify_does(live_server: LiveServer) -> None:
    live_server.post("/log", page("/"))
    live_server.post("/log", page("/account", profileId="42"))
    anonymous = live_server.rows("SELECT profile_id FROM events ORDER BY seq LIMIT 1")
    assert live_server.rows(RESOLVED_ALIASES) == [
        {"anon_id": anonymous[0]["profile_id"], "profile_id": "usr_42"}
    ]


@pytest.mark.parametrize(
    "placeholder", ["null", "undefined", "0", "anonymous", "Guest", " ", "bad\u0007id", "anon_123"]
)
def test_placeholder_ids_are_refused_by_identify_and_ignored_elsewhere(
    live_server: LiveServer, placeholder: str
) -> None:
    refused = live_server.post("/log/identify", {"pid": PID, "profileId": placeholder})
    assert refused.status_code == 400
    assert refused.json()["field"] == "profileId"
    assert live_server.post("/log", page("/", profileId=placeholder)).status_code == 201
    rows = live_server.rows("SELECT profile_id FROM events")
    assert rows[0]["profile_id"].startswith("anon_")
    assert live_server.rows("SELECT count() AS n FROM aliases")[0]["n"] == 0


def test_an_identified_id_is_the_same_profile_on_every_device(live_server: LiveServer) -> None:
    live_server.post("/log", page("/", profileId="kim"))
    live_server.post("/log", page("/", profileId="kim"), ua=IPHONE_SAFARI, ip="8.8.4.4")
    rows = live_server.rows("SELECT DISTINCT profile_id, device FROM events ORDER BY device")
    assert rows == [
        {"profile_id": "usr_kim", "device": "desktop"},
        {"profile_id": "usr_kim", "device": "mobile"},
    ]
    assert live_server.rows("SELECT uniqExact(session_id) AS n FROM events")[0]["n"] == 2
