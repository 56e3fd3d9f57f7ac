"""Both ways in, proven in Chromium: the real Swetrix tracker unchanged, and sightline.js."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from browser import install_swetrix, static_site, visitor_context
from conftest import DESKTOP_CHROME, PID, LiveServer, add_site, serve
from sightline.settings import Settings

API = f"/api/v1/sites/{PID}"


@pytest.fixture(scope="module")
def swetrix_js(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_swetrix(tmp_path_factory.mktemp("npm"))


@pytest.fixture
def real_time_server(settings: Settings) -> Iterator[LiveServer]:
    """A server on the system clock: the browser's events are stamped as they arrive."""
    add_site(settings)
    with serve(settings) as server:
        yield server


def swetrix_page(api: str, swetrix_js: Path, folder: Path) -> None:
    shutil.copy(swetrix_js, folder / "swetrix.js")
    (folder / "index.html").write_text(f"""<!doctype html>
<html><head><title>Shop</title><script src="/swetrix.js"></script></head>
<body><h1>Shop</h1>
<script>
  swetrix.init('{PID}', {{ apiURL: '{api}/log', devMode: true }})
  swetrix.trackViews()
  swetrix.trackErrors()
  window.addToCart = function () {{ swetrix.track({{ ev: 'add_to_cart', meta: {{ sku: 'A1' }} }}) }}
  window.breakCart = function () {{ setTimeout(function () {{ cart.items.push(1) }}, 0) }}
  window.logIn = function () {{ swetrix.identify('dana@example.com', {{ name: 'Dana' }}) }}
</script></body></html>""")


def sightline_page(api: str, folder: Path, extra: str = "data-dev") -> None:
    (folder / "index.html").write_text(f"""<!doctype html>
<html><head><title>Shop</title>
<script src="{api}/js/sightline.js" data-site="{PID}" data-heartbeat-seconds="5" {extra}></script>
</head><body><h1>Shop</h1>
<script>
  window.addToCart = function () {{ sightline.track('add_to_cart', {{ sku: 'A1', qty: 2 }}) }}
  window.breakCart = function () {{ setTimeout(function () {{ cart.items.push(1) }}, 0) }}
  window.logIn = function () {{ sightline.identify('dana@example.com', {{ name: 'Dana' }}) }}
  window.pay = function () {{
    sightline.trackRevenue(49.5, 'eur', {{ transactionId: 'T-1', product: 'Pro plan' }})
  }}
</script></body></html>""")


def navigate(page: Page, path: str, settle: float) -> None:
    page.evaluate(f"history.pushState({{}}, '', '{path}')")
    time.sleep(settle)


def visit(page: Page, site: str, *, settle: float, with_revenue: bool) -> None:
    """The scenario: SPA pages, a custom event, an error, identify mid-session, more pages."""
    page.goto(site + "/")
    time.sleep(4)  # the first heartbeat (Swetrix: 3 s after the pageview; ours: 5 s)
    navigate(page, "/pricing", settle)
    navigate(page, "/checkout", settle)
    page.evaluate("addToCart()")
    page.evaluate("breakCart()")
    time.sleep(0.5)
    if with_revenue:
        page.evaluate("pay()")
    page.evaluate("logIn()")
    time.sleep(1)
    navigate(page, "/thanks", settle)
    time.sleep(2)  # a heartbeat after the last page lengthens the session


def get(server: LiveServer, path: str, **params: Any) -> Any:
    assert server.runtime.ingest.flush()
    answer = server.http.get(API + path, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def assert_one_identified_journey(server: LiveServer, *, revenue: bool) -> dict[str, Any]:
    profiles = get(server, "/profiles", period="all")
    assert profiles["total"] == 1
    profile = profiles["profiles"][0]
    assert profile["profile_id"] == "usr_dana@example.com"
    assert profile["display_name"] == "Dana"
    assert profile["status"] == "online"
    assert (
        profile["sessions"],
        profile["pageviews"],
        profile["custom_events"],
        profile["errors"],
    ) == (1, 4, 1, 1)
    assert (profile["browser"], profile["os"], profile["device"]) == (
        "Chrome",
        "Windows",
        "desktop",
    )
    sessions = get(server, "/profiles/usr_dana@example.com/sessions")
    assert sessions["total"] == 1
    session = sessions["sessions"][0]
    assert (session["entry_page"], session["exit_page"]) == ("/", "/thanks")
    assert session["duration"] > 5
    assert session["live"] is True
    detail = get(server, f"/sessions/{session['session_id']}")
    steps = [(s["kind"], s["page"], s["name"]) for s in detail["timeline"]]
    expected = [
        ("pageview", "/", ""),
        ("pageview", "/pricing", ""),
        ("pageview", "/checkout", ""),
        ("custom", "/checkout", "add_to_cart"),
    ]
    expected += [("error", "/checkout", "ReferenceError")]
    if revenue:
        expected += [("revenue", "/checkout", "")]
    expected += [("pageview", "/thanks", "")]
    assert steps == expected
    custom = detail["timeline"][3]
    assert custom["meta"]["sku"] == "A1"
    error = detail["timeline"][4]["error"]
    assert "cart" in error["message"]
    assert error["lineno"] > 0
    assert error["filename"].startswith("http://127.0.0.1:")
    offsets = [s["offset"] for s in detail["timeline"]]
    assert offsets == sorted(offsets)
    assert offsets[-1] > 0
    return detail


def test_the_real_swetrix_tracker_works_unchanged(
    browser: Browser, real_time_server: LiveServer, swetrix_js: Path, tmp_path: Path
) -> None:
    swetrix_page(real_time_server.base_url, swetrix_js, tmp_path)
    context = visitor_context(browser)
    page = context.new_page()
    with static_site(tmp_path) as site:
        visit(page, site, settle=3.0, with_revenue=False)  # Swetrix polls the URL every 2 s
    context.close()
    assert_one_identified_journey(real_time_server, revenue=False)


def test_sightline_js_tracks_the_same_journey_and_revenue(
    browser: Browser, real_time_server: LiveServer, tmp_path: Path
) -> None:
    sightline_page(real_time_server.base_url, tmp_path)
    context = visitor_context(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    with static_site(tmp_path) as site:
        visit(page, site, settle=0.5, with_revenue=True)
    context.close()
    detail = assert_one_identified_journey(real_time_server, revenue=True)
    revenue = next(s for s in detail["timeline"] if s["kind"] == "revenue")["revenue"]
    assert revenue == {
        "amount": 49.5,
        "currency": "EUR",
        "transaction_id": "T-1",
        "product": "Pro plan",
    }
    assert detail["timeline"][3]["meta"] == {"sku": "A1", "qty": "2"}
    profile = get(real_time_server, "/profiles/usr_dana@example.com")
    assert profile["revenue"] == {"EUR": 49.5}
    assert not [e for e in errors if "Failed to load" in e or "CORS" in e]


@pytest.mark.parametrize(
    ("extra", "init_script"),
    [
        ("", None),  # a page on 127.0.0.1 without the dev flag
        (
            "data-dev data-respect-dnt",
            "Object.defineProperty(navigator, 'doNotTrack', {get: () => '1'})",
        ),
    ],
)
def test_sightline_js_stays_quiet_where_it_should(
    browser: Browser,
    real_time_server: LiveServer,
    tmp_path: Path,
    extra: str,
    init_script: str | None,
) -> None:
    sightline_page(real_time_server.base_url, tmp_path, extra)
    context = visitor_context(browser)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    with static_site(tmp_path) as site:
        page.goto(site + "/")
        page.evaluate("addToCart()")
        time.sleep(1)
    context.close()
    assert get(real_time_server, "/sessions", period="all")["total"] == 0


def test_the_script_is_served_with_a_version_and_caching(real_time_server: LiveServer) -> None:
    first = real_time_server.http.get("/js/sightline.js")
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/javascript")
    assert "max-age" in first.headers["cache-control"]
    assert first.headers["x-sightline-tracker-version"] == "1.0.0"
    again = real_time_server.http.get(
        "/js/sightline.js", headers={"if-none-match": first.headers["etag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize(("automated", "expected"), [(True, 0), (False, 1)])
def test_sightline_js_sends_nothing_under_automation(
    browser: Browser,
    real_time_server: LiveServer,
    tmp_path: Path,
    automated: bool,
    expected: int,
) -> None:
    sightline_page(real_time_server.base_url, tmp_path, extra="")
    context = (
        browser.new_context(user_agent=DESKTOP_CHROME) if automated else visitor_context(browser)
    )
    page = context.new_page()
    with static_site(tmp_path, host="127.0.0.2") as site:  # not "localhost" to the script
        page.goto(site + "/")
        time.sleep(1)
    context.close()
    assert get(real_time_server, "/sessions", period="all")["total"] == expected


@pytest.mark.parametrize(
    ("extra", "pages"),
    [
        ("data-dev", ["/", "/#/settings"]),
        ("data-dev data-ignore-hash", ["/"]),
    ],
)
def test_hash_navigation_is_a_pageview_unless_ignored(
    browser: Browser,
    real_time_server: LiveServer,
    tmp_path: Path,
    extra: str,
    pages: list[str],
) -> None:
    sightline_page(real_time_server.base_url, tmp_path, extra)
    context = visitor_context(browser)
    page = context.new_page()
    with static_site(tmp_path) as site:
        page.goto(site + "/")
        page.evaluate("location.hash = '#/settings'")
        time.sleep(1)
    context.close()
    session = get(real_time_server, "/sessions", period="all")["sessions"][0]
    timeline = get(real_time_server, f"/sessions/{session['session_id']}")["timeline"]
    assert [s["page"] for s in timeline if s["kind"] == "pageview"] == pages


def test_sightline_js_can_be_started_from_code(
    browser: Browser, real_time_server: LiveServer, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text(f"""<!doctype html><html><head>
<script src="{real_time_server.base_url}/js/sightline.js" data-manual></script></head><body>
<script>sightline.init({{ site: '{PID}', api: '{real_time_server.base_url}', dev: true }})</script>
</body></html>""")
    context = visitor_context(browser)
    page = context.new_page()
    with static_site(tmp_path) as site:
        page.goto(site + "/docs?utm_source=newsletter&utm_campaign=spring")
        time.sleep(1)
    context.close()
    session = get(real_time_server, "/sessions", period="all")["sessions"]
    assert [(s["entry_page"], s["source"]) for s in session] == [("/docs", "Newsletter")]
