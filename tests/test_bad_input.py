"""Bad input gets a 4xx naming the field and the reason; nothing can make a 500."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DESKTOP_CHROME, PID, LiveServer, add_site, serve
from sightline.settings import Settings
from sightline.web.tracker import ENDPOINTS

PATHS = [f"/log{suffix}" for suffix in ENDPOINTS] + [f"/v1/log{suffix}/" for suffix in ENDPOINTS]
HEADERS = {"user-agent": DESKTOP_CHROME, "x-forwarded-for": "81.2.69.142"}
PAGE = {"pid": PID, "pg": "/", "lc": "en-US", "tz": "UTC"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    config = Settings(
        data_dir=tmp_path_factory.mktemp("fuzz") / "data", trust_proxy=True, writer_flush_ms=20.0
    )
    add_site(config)
    with serve(config) as live:
        yield live


@pytest.fixture(scope="module")
def client(server: LiveServer) -> httpx.Client:
    """Real HTTP to the server on its loopback port."""
    return server.http


def refused(client: httpx.Client, path: str, body: object, status: int = 400) -> dict:
    response = client.post(path, content=json.dumps(body), headers=HEADERS)
    assert response.status_code == status, response.text
    return response.json()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/log", {"pg": "/"}, "pid"),
        ("/log", {**PAGE, "pid": "short"}, "pid"),
        ("/log", {**PAGE, "pid": "ZZZZZZZZZZZZ"}, "pid"),
        ("/log", {**PAGE, "pg": 5}, "pg"),
        ("/log", {**PAGE, "qs": "q" * 2049}, "qs"),
        ("/log", {**PAGE, "unique": "yes"}, "unique"),
        ("/log", {**PAGE, "meta": ["a"]}, "meta"),
        ("/log", {**PAGE, "meta": {f"k{i}": "v" for i in range(101)}}, "meta"),
        ("/log", {**PAGE, "meta": {"k": "v" * 2000}}, "meta"),
        ("/log", {**PAGE, "meta": {"nested": {"a": 1}}}, "meta.nested"),
        ("/log", {**PAGE, "perf": {"dns": "fast"}}, "perf.dns"),
        ("/log", {**PAGE, "profileId": "p" * 257}, "profileId"),
        ("/log/custom", PAGE, "ev"),
        ("/log/custom", {**PAGE, "ev": "e" * 257}, "ev"),
        ("/log/error", {**PAGE, "name": "n" * 201}, "name"),
        ("/log/error", {**PAGE, "name": "E", "message": "m" * 2001}, "message"),
        ("/log/error", {**PAGE, "name": "E", "filename": "f" * 1001}, "filename"),
        ("/log/error", {**PAGE, "name": "E", "stackTrace": "s" * 7501}, "stackTrace"),
        ("/log/error", {**PAGE, "name": "E", "lineno": -1}, "lineno"),
        ("/log/error", {**PAGE, "name": "E", "colno": "7"}, "colno"),
        ("/log/revenue", {**PAGE, "currency": "EUR"}, "amount"),
        ("/log/revenue", {**PAGE, "amount": 5, "currency": "euro"}, "currency"),
        ("/log/identify", {"pid": PID}, "profileId"),
        (
            "/log/identify",
            {"pid": PID, "profileId": "u", "traits": {f"t{i}": "v" for i in range(51)}},
            "traits",
        ),
        ("/log", [], "body"),
        ("/log", "text", "body"),
    ],
)
def test_each_limit_names_its_field(
    client: httpx.Client, path: str, body: object, field: str
) -> None:
    answer = refused(client, path, body)
    assert answer["field"] == field
    assert answer["reason"]


def test_malformed_json_and_oversized_bodies(client: httpx.Client) -> None:
    bad = client.post("/log", content=b'{"pid": ', headers=HEADERS)
    assert bad.status_code == 400
    assert bad.json()["field"] == "body"
    huge = json.dumps({**PAGE, "meta": {"k": "v" * 70_000}})
    too_big = client.post("/log", content=huge, headers=HEADERS)
    assert too_big.status_code == 413
    assert too_big.json()["field"] == "body"


def test_refused_requests_store_nothing_and_good_ones_still_land(
    client: httpx.Client, server: LiveServer
) -> None:
    runtime = server.runtime
    runtime.ingest.flush()
    before = runtime.store.query("SELECT count() AS n FROM events")[0]["n"]
    refused(client, "/log/custom", {**PAGE, "ev": 3})
    assert client.post("/log/custom", json={**PAGE, "ev": "ok"}, headers=HEADERS).status_code == 201
    runtime.ingest.flush()
    assert runtime.store.query("SELECT count() AS n FROM events")[0]["n"] == before + 1


def test_unpaired_surrogates_are_refused_and_paired_ones_kept(client: httpx.Client) -> None:
    lone = client.post(
        "/log", content=b'{"pid": "%s", "pg": "/\\ud800"}' % PID.encode(), headers=HEADERS
    )
    assert lone.status_code == 400
    assert lone.json()["field"] == "body"
    emoji = b'{"pid": "%s", "pg": "/\\ud83d\\ude00"}' % PID.encode()
    assert client.post("/log", content=emoji, headers=HEADERS).status_code == 201


def test_unknown_routes_and_methods_answer_json(client: httpx.Client) -> None:
    missing = client.get("/nope")
    assert missing.status_code == 404
    assert missing.json()["error"] == "not_found"
    wrong = client.get("/log/custom")
    assert wrong.status_code == 405


any_text = st.text(
    st.characters(codec=None, categories=["L", "N", "P", "S", "Cc", "Cs"]), max_size=40
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = [
    "pid",
    "pg",
    "lc",
    "tz",
    "ref",
    "so",
    "me",
    "ca",
    "te",
    "co",
    "qs",
    "unique",
    "perf",
    "meta",
    "profileId",
    "ev",
    "name",
    "message",
    "lineno",
    "colno",
    "filename",
    "stackTrace",
    "traits",
    "amount",
    "currency",
    "transactionId",
    "product",
]
tracker_bodies = st.fixed_dictionaries(
    {"pid": st.sampled_from([PID, "", "ZZZZZZZZZZZZ", "a--bcdefghij"]) | json_values},
    optional={name: json_values for name in FIELDS[1:]},
)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(path=st.sampled_from(PATHS), body=tracker_bodies | json_values)
def test_any_json_gets_a_2xx_or_a_4xx(client: httpx.Client, path: str, body: object) -> None:
    response = client.post(path, content=json.dumps(body), headers=HEADERS)
    assert 200 <= response.status_code < 500, response.text
    if response.status_code >= 400:
        assert {"field", "reason"} <= response.json().keys()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(path=st.sampled_from(PATHS), raw=st.binary(max_size=300))
def test_any_bytes_get_a_2xx_or_a_4xx(client: httpx.Client, path: str, raw: bytes) -> None:
    response = client.post(path, content=raw, headers=HEADERS)
    assert 200 <= response.status_code < 500, response.text
