"""The dashboard as a user drives it, in Chromium, checked against the JSON API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from browser import visitor_context
from conftest import LiveServer, add_site, serve
from sightline.demo import DEMO_PID, DEMO_TIMEZONE, load_history
from sightline.settings import Settings
from sightline.traffic import TrafficPlan, plan_traffic

SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
SITE = f"/sites/{DEMO_PID}"
API = f"/api/v1{SITE}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A small demo site: generated visits through the pipeline, served on the system clock."""
    config = Settings(data_dir=tmp_path_factory.mktemp("demo") / "data", writer_flush_ms=50.0)
    add_site(config, pid=DEMO_PID, name="Demo shop", timezone=DEMO_TIMEZONE)
    with serve(config) as server:
        end = datetime.now(UTC) - timedelta(minutes=1)
        visits = plan_traffic(TrafficPlan(DEMO_PID, profiles=300, days=60, seed=5), end)
        load_history(server.runtime.ingest, visits, end)
        yield server


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = visitor_context(browser, viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: problems.append(str(e)))
    yield opened
    context.close()
    assert problems == [], problems


def api(server: LiveServer, path: str, **params: Any) -> Any:
    answer = server.http.get(API + path, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def filters_in(page: Page) -> list[Any]:
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(page.url).query)
    return json.loads(query["filters"][0]) if "filters" in query else []


def test_overview_shows_the_numbers_of_the_api(demo: LiveServer, page: Page) -> None:
    page.goto(demo.base_url + SITE)
    expected = api(demo, "/overview")
    numbers = page.locator(".numbers strong").all_inner_texts()
    assert numbers[:3] == [
        f"{expected['visitors']:,}",
        f"{expected['sessions']:,}",
        f"{expected['pageviews']:,}",
    ]
    assert page.locator("svg.traffic rect.bar").count() == len(expected["series"])
    first_country = expected["top"]["country"][0]
    shoot(page, "overview")
    # Clicking a row narrows everything to it.
    page.locator(".top", has_text="Countries").locator("li a").first.click()
    assert filters_in(page) == [["country", "is", [first_country["value"]]]]
    narrowed = api(demo, "/overview", filters=json.dumps(filters_in(page)))
    assert page.locator(".numbers strong").first.inner_text() == f"{narrowed['visitors']:,}"


def test_profiles_toggle_filters_and_a_profile_with_its_calendar(
    demo: LiveServer, page: Page
) -> None:
    page.goto(demo.base_url + SITE)
    page.get_by_role("link", name="Profiles").click()
    page.wait_for_url("**/profiles")
    everyone = api(demo, "/profiles")
    assert page.locator("table.profiles tbody tr").count() == min(50, everyone["total"])
    shoot(page, "profiles")

    page.get_by_role("link", name="Identified").click()
    identified = page.locator("table.profiles tbody tr")
    assert identified.count() == min(50, api(demo, "/profiles", type="identified")["total"])
    assert identified.count() == page.locator("table.profiles .badge").count() > 0
    page.get_by_role("link", name="Anonymous").click()
    assert page.locator("table.profiles .badge").count() == 0
    page.get_by_role("link", name="All users").click()

    # A country filter, then a browser filter, through the filter form.
    country = api(demo, "/overview")["top"]["country"][0]["value"]
    browser_name = api(demo, "/overview")["top"]["browser"][0]["value"]
    for dimension, value in (("country", country), ("browser", browser_name)):
        form = page.locator("[data-add-filter]")
        form.locator("select[name=dimension]").select_option(dimension)
        form.locator("input[name=value]").fill(value)
        form.get_by_role("button", name="Add filter").click()
        page.wait_for_url(f"**{dimension}**")
    assert filters_in(page) == [["country", "is", [country]], ["browser", "is", [browser_name]]]
    assert page.locator(".chip").count() == 2
    filtered = api(demo, "/profiles", filters=json.dumps(filters_in(page)))
    rows = page.locator("table.profiles tbody tr")
    assert rows.count() == len(filtered["profiles"]) > 0
    links = rows.locator("td.path a")
    assert [links.nth(i).get_attribute("title") for i in range(rows.count())] == [
        p["profile_id"] for p in filtered["profiles"]
    ]

    # Open the busiest profile of the list and check its calendar against the API.
    busiest = max(filtered["profiles"], key=lambda p: p["sessions"])
    page.locator(f"a[title='{busiest['profile_id']}']").click()
    page.wait_for_selector("svg.calendar")
    detail = api(demo, f"/profiles/{busiest['profile_id']}")
    cells = page.locator("svg.calendar rect[data-day]")
    assert cells.count() == len(detail["calendar"]) == 183
    known = next(d for d in reversed(detail["calendar"]) if d["count"])
    cell = page.locator(f"svg.calendar rect[data-day='{known['day']}']")
    assert cell.get_attribute("data-count") == str(known["count"])
    assert str(known["count"]) in cell.locator("title").text_content()

    # Expand a session and read its timeline.
    sessions = api(demo, f"/profiles/{busiest['profile_id']}/sessions")
    page.locator("details[data-timeline] summary").first.click()
    steps = page.locator("details[data-timeline]").first.locator(".timeline .step")
    steps.first.wait_for()
    timeline = api(demo, f"/sessions/{sessions['sessions'][0]['session_id']}")["timeline"]
    assert steps.count() == len(timeline)
    first_page = next(s["page"] for s in timeline if s["kind"] == "pageview")
    assert first_page in steps.first.inner_text()
    shoot(page, "profile")


def test_sessions_tab_leads_to_a_session_and_its_profile(demo: LiveServer, page: Page) -> None:
    page.goto(demo.base_url + SITE + "/sessions?has_errors=true")
    listed = api(demo, "/sessions", has_errors="true")
    rows = page.locator("table.sessions tbody tr")
    assert rows.count() == min(50, listed["total"]) > 0
    shoot(page, "sessions")
    first = listed["sessions"][0]
    rows.first.locator("td").first.locator("a").click()
    page.wait_for_url(f"**/sessions/{first['session_id']}**")
    steps = page.locator(".timeline .step")
    assert steps.count() == (
        first["pageviews"] + first["custom_events"] + first["errors"] + first["revenue_events"]
    )
    assert page.locator(".timeline .step.error").count() == first["errors"]
    shoot(page, "session")
    page.locator("[data-profile-link]").click()
    page.wait_for_url("**/profiles/**")
    detail = api(demo, f"/profiles/{first['profile_id']}")
    assert (detail["display_name"] or detail["profile_id"]) in page.locator("h1").inner_text()


def test_the_url_holds_the_state_and_back_works(demo: LiveServer, page: Page) -> None:
    page.goto(demo.base_url + SITE + "/profiles")
    page.locator("select[name=period]").select_option("7d")
    page.wait_for_url("**period=7d**")
    page.get_by_role("link", name="Identified").click()
    page.wait_for_url("**type=identified**")
    assert "period=7d" in page.url
    page.go_back()
    assert "type=identified" not in page.url
    assert "period=7d" in page.url
    assert page.locator("select[name=period]").input_value() == "7d"
    # Custom dates, in the site's zone, are the period the API gives for the same URL.
    page.locator("input[name=from]").fill("2026-01-01")
    page.locator("input[name=to]").fill("2026-12-31")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**from=2026-01-01**")
    listed = api(demo, "/profiles", **{"from": "2026-01-01", "to": "2026-12-31"})
    assert page.locator("table.profiles tbody tr").count() == min(50, listed["total"])
    assert page.locator("select[name=period]").input_value() == ""


def test_phone_width_and_dark_mode(demo: LiveServer, browser: Browser) -> None:
    context = visitor_context(
        browser, viewport={"width": 390, "height": 844}, color_scheme="dark", is_mobile=True
    )
    page = context.new_page()
    page.goto(demo.base_url + SITE + "/profiles")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(17, 20, 24)"
    shoot(page, "profiles-phone-dark")
    context.close()


def test_unknown_pages_are_a_404_page(demo: LiveServer, browser: Browser) -> None:
    # (its own context: the browser rightly logs the 404 of the document itself)
    context = visitor_context(browser)
    page = context.new_page()
    for path in ("/sites/no-such-site/profiles", SITE + "/profiles/usr_nobody", "/nowhere"):
        missing = page.goto(demo.base_url + path)
        assert missing is not None
        assert missing.status == 404
        assert "Not found" in page.locator("h1").inner_text()
    context.close()
