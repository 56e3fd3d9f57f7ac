"""What the pipeline adds and what it drops: geo, device, source; bots, blocked IPs."""

from __future__ import annotations

from pathlib import Path

import pytest
from mmdb_writer import MMDBWriter
from netaddr import IPSet

from conftest import DESKTOP_CHROME, IPHONE_SAFARI, PID, US_IP, LiveServer, add_site, serve
from sightline.ingest.enrich.geo import GeoLocator
from sightline.settings import Settings

BERLIN_IP = "37.120.0.7"  # placed in Berlin by the test database


def city_database(path: Path) -> Path:
    writer = MMDBWriter(
        ip_version=6, ipv4_compatible=True, database_type="GeoIP2-City", languages=["en"]
    )
    writer.insert_network(
        IPSet(["37.120.0.0/24"]),
        {
            "country": {"iso_code": "DE", "names": {"en": "Germany"}},
            "subdivisions": [{"iso_code": "BE", "names": {"en": "Berlin"}}],
            "city": {"names": {"en": "Berlin"}},
        },
    )
    writer.insert_network(
        IPSet(["51.15.0.0/24"]),
        {
            "country": {"iso_code": "FR", "names": {"en": "France"}},
        },
    )
    writer.to_db_file(str(path))
    return path


def test_a_city_database_gives_country_region_and_city(tmp_path: Path) -> None:
    locator = GeoLocator(city_database(tmp_path / "city.mmdb"))
    place = locator.locate(BERLIN_IP)
    assert (place.country, place.region, place.city) == ("DE", "Berlin", "Berlin")
    assert locator.locate("51.15.0.9").country == "FR"
    assert locator.locate("51.15.0.9").city == ""
    assert locator.locate("127.0.0.1").country == ""


def test_without_a_database_countries_come_from_the_bundled_table() -> None:
    locator = GeoLocator(None)
    assert locator.locate("81.2.69.142").country == "GB"
    assert locator.locate(US_IP).country == "US"
    assert locator.locate("10.1.2.3").country == ""
    assert locator.locate("not an ip").country == ""


def test_events_carry_region_and_city_when_a_database_is_configured(
    settings: Settings, tmp_path: Path
) -> None:
    configured = Settings(**{**settings.__dict__, "geoip_db": city_database(tmp_path / "c.mmdb")})
    add_site(configured)
    with serve(configured) as live:
        live.post("/log", {"pid": PID, "pg": "/"}, ip=BERLIN_IP)
        rows = live.rows("SELECT country, region, city FROM events")
        assert rows == [{"country": "DE", "region": "Berlin", "city": "Berlin"}]
        session = live.rows("SELECT country, region, city FROM sessions FINAL")
        assert session == rows


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (DESKTOP_CHROME, ("Chrome", "131.0", "Windows", "10", "desktop")),
        (IPHONE_SAFARI, ("Mobile Safari", "18.1", "iOS", "18.1", "mobile")),
        (
            "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            ("Mobile Safari", "18.1", "iOS", "18.1", "tablet"),
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            ("Firefox", "133.0", "Linux", "", "desktop"),
        ),
    ],
)
def test_user_agent_dimensions(
    live_server: LiveServer, user_agent: str, expected: tuple[str, ...]
) -> None:
    live_server.post("/log", {"pid": PID, "pg": "/"}, ua=user_agent)
    row = live_server.rows("SELECT browser, browser_version, os, os_version, device FROM events")
    assert tuple(row[0].values()) == expected


@pytest.mark.parametrize(
    ("referrer", "utm", "source"),
    [
        ("https://www.google.com/", {}, "Google"),
        ("https://news.ycombinator.com/item?id=1", {}, "Hacker News"),
        ("https://blog.example.org/post", {}, "blog.example.org"),
        ("https://shop.example/pricing", {}, ""),
        ("", {}, ""),
        ("https://t.co/abc", {"so": "newsletter", "me": "email", "ca": "spring"}, "Newsletter"),
        ("", {"so": "facebook", "me": "cpc"}, "Facebook"),
        ("https://www.google.co.uk/search", {}, "Google"),
        ("https://news.google.com/", {}, "Google"),
        ("https://x.example.com/", {}, "x.example.com"),
        ("", {"so": "my-partner"}, "my-partner"),
    ],
)
def test_source_from_referrer_or_utm(
    live_server: LiveServer, referrer: str, utm: dict[str, str], source: str
) -> None:
    body = {"pid": PID, "pg": "/", "ref": referrer, **utm}
    live_server.post("/log", body, origin="https://shop.example")
    row = live_server.rows("SELECT source, utm_source, utm_medium, utm_campaign FROM events")
    assert row[0]["source"] == source
    assert row[0]["utm_medium"] == utm.get("me", "")
    assert row[0]["utm_campaign"] == utm.get("ca", "")


@pytest.mark.parametrize(
    "bot",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/131.0.0.0 Safari/537.36",
        "curl/8.5.0",
        "",
    ],
)
def test_bots_are_dropped_silently(live_server: LiveServer, bot: str) -> None:
    answer = live_server.post("/log", {"pid": PID, "pg": "/"}, ua=bot)
    assert answer.status_code == 201
    assert live_server.rows("SELECT count() AS n FROM events")[0]["n"] == 0
    assert live_server.http.get("/healthz").json()["dropped"] == {"bot": 1}


def test_bot_protection_off_keeps_bots(settings: Settings) -> None:
    add_site(settings, bot_protection="off")
    with serve(settings) as live:
        live.post("/log", {"pid": PID, "pg": "/"}, ua="curl/8.5.0")
        assert live.rows("SELECT count() AS n FROM events")[0]["n"] == 1


def test_blocked_ips_and_countries_are_dropped(settings: Settings) -> None:
    add_site(settings, blocked_ips=["81.2.69.0/24"], blocked_countries=["us"])
    with serve(settings) as live:
        for ip in ("81.2.69.142", US_IP, "2.16.6.1"):
            assert live.post("/log", {"pid": PID, "pg": "/"}, ip=ip).status_code == 201
        rows = live.rows("SELECT country FROM events")
        assert len(rows) == 1
        assert rows[0]["country"] not in {"US", "GB"}


def test_origins_outside_the_allowed_list_are_refused(settings: Settings) -> None:
    add_site(settings, origins=["shop.example", "*.shop.example"])
    with serve(settings) as live:
        for origin, status in [
            ("https://shop.example", 201),
            ("https://app.shop.example", 201),
            ("https://evil.example", 403),
        ]:
            answer = live.post("/log", {"pid": PID, "pg": "/"}, origin=origin)
            assert answer.status_code == status, origin
        assert answer.json()["field"] == "origin"
        assert live.rows("SELECT count() AS n FROM events")[0]["n"] == 2


def test_the_client_ip_comes_from_the_socket_unless_a_proxy_is_trusted(
    settings: Settings,
) -> None:
    untrusting = Settings(**{**settings.__dict__, "trust_proxy": False})
    add_site(untrusting)
    with serve(untrusting) as live:
        live.post("/log", {"pid": PID, "pg": "/"}, ip=US_IP)
        # From 127.0.0.1 there is no country; the forged header was ignored.
        assert live.rows("SELECT country FROM events") == [{"country": ""}]
