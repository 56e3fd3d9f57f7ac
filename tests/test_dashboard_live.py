"""Dashboard pages of a site of its own: the empty state, and live status updates."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import Browser

from browser import visitor_context
from conftest import PID, add_site, serve
from sightline.clock import ManualClock
from sightline.settings import Settings


def test_a_new_site_shows_the_snippet(browser: Browser, settings: Settings) -> None:
    add_site(settings)
    with serve(settings) as server:
        context = visitor_context(browser)
        page = context.new_page()
        page.goto(server.base_url + f"/sites/{PID}/profiles")
        snippet = page.locator(".empty pre").inner_text()
        assert f'data-site="{PID}"' in snippet
        assert "/js/sightline.js" in snippet
        context.close()


def test_status_dots_refresh_without_a_reload(browser: Browser, settings: Settings) -> None:
    clock = ManualClock(datetime.now(UTC).replace(microsecond=0))
    add_site(settings)
    with serve(settings, clock) as server:
        server.post("/log", {"pid": PID, "pg": "/"})
        assert server.runtime.ingest.flush()
        context = visitor_context(browser)
        page = context.new_page()
        page.goto(server.base_url + f"/sites/{PID}/profiles?period=all")
        dot = page.locator("[data-status-for]").first
        assert dot.get_attribute("class") == "dot online"
        clock.advance(minutes=10)
        page.evaluate("window.sightlineDashboard.refreshStatuses()")
        page.wait_for_function(
            "document.querySelector('[data-status-for]').className === 'dot recently_active'"
        )
        assert page.locator(".status-text").first.inner_text() == "recently active"
        context.close()
