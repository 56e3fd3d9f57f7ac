"""The real Swetrix tracker's traffic, replayed over HTTP, lands as the right rows."""

from __future__ import annotations

from conftest import DESKTOP_CHROME, IPHONE_SAFARI, PID, UK_IP, LiveServer, capture


def replay_capture(server: LiveServer) -> list[tuple[str, str, int, dict]]:
    answers = []
    for request in capture():
        headers = {
            "user-agent": DESKTOP_CHROME,
            "x-forwarded-for": UK_IP,
            **request.get("headers", {}),
        }
        if request["method"] == "OPTIONS":
            response = server.http.options(request["path"], headers=headers)
        else:
            response = server.http.post(request["path"], json=request["body"], headers=headers)
        body = response.json() if response.content else {}
        answers.append((request["method"], request["path"], response.status_code, body))
    return answers


def test_every_captured_request_is_accepted(live_server: LiveServer) -> None:
    answers = replay_capture(live_server)
    for method, path, status, _ in answers:
        assert status == (204 if method == "OPTIONS" else 201), (method, path)
    identify = next(
        body for method, path, _, body in answers if (method, path) == ("POST", "/log/identify")
    )
    assert identify == {"profileId": "usr_dana@example.com"}


def test_preflight_allows_json_posts_from_any_origin(live_server: LiveServer) -> None:
    response = live_server.http.options(
        "/log/custom",
        headers={
            "origin": "https://shop.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "content-type" in response.headers["access-control-allow-headers"].lower()
    assert "POST" in response.headers["access-control-allow-methods"]


def test_capture_becomes_one_identified_session_with_its_timeline(
    live_server: LiveServer,
) -> None:
    replay_capture(live_server)
    events = live_server.rows(
        "SELECT toString(kind) AS kind, page, name, meta, message, filename, lineno, colno,"
        " profile_id, session_id, browser, os, device, country, locale"
        " FROM events WHERE site = {site:String} ORDER BY seq",
        site=PID,
    )
    assert [(e["kind"], e["page"]) for e in events] == [
        ("pageview", "/"),
        ("pageview", "/pricing"),
        ("pageview", "/checkout"),
        ("custom", "/checkout"),
        ("error", "/checkout"),
        ("pageview", "/thanks"),
    ]
    assert len({e["session_id"] for e in events}) == 1
    custom = events[3]
    assert custom["name"] == "add_to_cart"
    assert dict(custom["meta"]) == {"sku": "A1"}
    error = events[4]
    assert (error["name"], error["message"], error["lineno"], error["colno"]) == (
        "TypeError",
        "cart is undefined",
        7,
        74,
    )
    assert error["filename"].startswith("http://127.0.0.1:")
    for event in events:
        assert (event["browser"], event["os"], event["device"], event["country"]) == (
            "Chrome",
            "Windows",
            "desktop",
            "GB",
        )
        assert event["locale"] == "en-US"
    anonymous = events[0]["profile_id"]
    assert anonymous.startswith("anon_")
    assert events[-1]["profile_id"] == "usr_dana@example.com"

    aliases = live_server.rows("SELECT anon_id, profile_id FROM aliases")
    assert aliases == [{"anon_id": anonymous, "profile_id": "usr_dana@example.com"}]
    traits = live_server.rows("SELECT profile_id, traits FROM traits")
    assert [(t["profile_id"], dict(t["traits"])) for t in traits] == [
        ("usr_dana@example.com", {"name": "Dana"})
    ]

    sessions = live_server.rows(
        "SELECT profile_id, entry_page, exit_page, pageviews, custom_events, errors,"
        " browser, country FROM sessions FINAL"
    )
    assert sessions == [
        {
            "profile_id": "usr_dana@example.com",
            "entry_page": "/",
            "exit_page": "/thanks",
            "pageviews": 4,
            "custom_events": 1,
            "errors": 1,
            "browser": "Chrome",
            "country": "GB",
        }
    ]


def test_both_prefixes_and_trailing_slashes(live_server: LiveServer) -> None:
    page = {"pid": PID, "pg": "/a", "lc": "en", "tz": "UTC"}
    for path in ("/log", "/log/", "/v1/log", "/v1/log/"):
        assert live_server.post(path, page).status_code == 201, path
    for path in ("/log/custom", "/v1/log/custom/"):
        assert live_server.post(path, {**page, "ev": "x"}).status_code == 201, path
    assert live_server.post("/v1/log/hb", {"pid": PID}).status_code == 201
    rows = live_server.rows("SELECT count() AS n FROM events")
    assert rows[0]["n"] == 6


def test_profile_and_session_id_answers(live_server: LiveServer) -> None:
    before = live_server.post("/log/profile-id", {"pid": PID}).json()["profileId"]
    assert before.startswith("anon_")
    assert live_server.post("/log/session-id", {"pid": PID}).json() == {"sessionId": None}
    live_server.post("/log", {"pid": PID, "pg": "/"})
    session_id = live_server.post("/log/session-id", {"pid": PID}).json()["sessionId"]
    stored = live_server.rows("SELECT session_id FROM events")[0]["session_id"]
    assert session_id == f"{stored:016x}"
    live_server.post("/log/identify", {"pid": PID, "profileId": "u-17"})
    after = live_server.post("/log/profile-id", {"pid": PID}).json()["profileId"]
    assert after == "usr_u-17"
    # The same visitor on another device is someone else until they identify.
    other = live_server.post("/log/profile-id", {"pid": PID}, ua=IPHONE_SAFARI).json()["profileId"]
    assert other.startswith("anon_")
    assert other != before


def test_noscript_pixel_records_a_pageview(live_server: LiveServer) -> None:
    response = live_server.http.get(
        "/log/noscript",
        params={"pid": PID, "pg": "/no-js"},
        headers={"user-agent": DESKTOP_CHROME, "x-forwarded-for": UK_IP},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/gif"
    assert response.content.startswith(b"GIF89a")
    rows = live_server.rows("SELECT toString(kind) AS kind, page FROM events")
    assert rows == [{"kind": "pageview", "page": "/no-js"}]


def test_revenue_is_stored_with_its_currency(live_server: LiveServer) -> None:
    live_server.post("/log", {"pid": PID, "pg": "/checkout"})
    answer = live_server.post(
        "/log/revenue",
        {
            "pid": PID,
            "pg": "/checkout",
            "amount": 49.5,
            "currency": "eur",
            "transactionId": "T1",
            "product": "Pro plan",
        },
    )
    assert answer.status_code == 201
    rows = live_server.rows(
        "SELECT amount, currency, transaction_id, product FROM events WHERE kind = 'revenue'"
    )
    assert rows == [
        {"amount": 49.5, "currency": "EUR", "transaction_id": "T1", "product": "Pro plan"}
    ]
    live_server.post("/log/revenue", {"pid": PID, "amount": 10, "currency": "USD"})
    live_server.post("/log/revenue", {"pid": PID, "amount": 0.5, "currency": "EUR"})
    session = live_server.rows("SELECT revenue, revenue_events FROM sessions FINAL")
    assert dict(session[0]["revenue"]) == {"EUR": 50.0, "USD": 10.0}
    assert session[0]["revenue_events"] == 3
