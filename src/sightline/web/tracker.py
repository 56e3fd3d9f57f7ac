"""The Swetrix tracker protocol over HTTP: parse, hand to the ingest service, answer."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from sightline.ingest.journal import JournalClosedError
from sightline.ingest.request import MAX_BODY_BYTES, Client, Kind, RequestError, parse
from sightline.ingest.service import IngestService
from sightline.settings import Settings
from sightline.web import Endpoint

log = logging.getLogger(__name__)

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "86400",
}
# A transparent 1x1 GIF for the noscript pixel.
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)

SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")

ENDPOINTS: dict[str, Kind] = {
    "": Kind.PAGEVIEW,
    "/custom": Kind.CUSTOM,
    "/hb": Kind.HEARTBEAT,
    "/error": Kind.ERROR,
    "/revenue": Kind.REVENUE,
    "/identify": Kind.IDENTIFY,
    "/profile-id": Kind.PROFILE_ID,
    "/session-id": Kind.SESSION_ID,
}


def refusal(status: int, field: str, reason: str) -> JSONResponse:
    return JSONResponse(
        {
            "error": "invalid_request" if status < 500 else "unavailable",
            "field": field,
            "reason": reason,
        },
        status_code=status,
        headers=CORS_HEADERS,
    )


def client_of(request: Request, settings: Settings, now: Any) -> Client:
    ip = request.client.host if request.client else ""
    if settings.trust_proxy:
        forwarded = request.headers.get(settings.client_ip_header, "")
        # The left-most address is the visitor's; proxies append their own after it.
        candidate = forwarded.split(",")[0].strip()
        if candidate:
            ip = candidate
    return Client(
        ip=ip,
        user_agent=request.headers.get("user-agent", "")[:1024],
        origin=request.headers.get("origin"),
        time=now,
    )


async def read_json(request: Request) -> object:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise RequestError(413, "body", f"must be at most {MAX_BODY_BYTES} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY_BYTES:
            raise RequestError(413, "body", f"must be at most {MAX_BODY_BYTES} bytes")
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RequestError(400, "body", f"is not valid JSON ({exc})") from exc
    if SURROGATE_ESCAPE.search(body):
        # Paired escapes decode to one character; a lone one cannot be stored as UTF-8.
        try:
            json.dumps(value, ensure_ascii=False).encode()
        except UnicodeEncodeError as exc:
            raise RequestError(400, "body", "contains an unpaired UTF-16 surrogate") from exc
    return value


def _service(request: Request) -> IngestService:
    return request.app.state.ingest  # type: ignore[no-any-return]


async def _ingest(request: Request, kind: Kind, body: object) -> Response:
    service = _service(request)
    try:
        tracked = parse(
            kind, body, client_of(request, request.app.state.settings, service.clock.now())
        )
        answer = await service.handle(tracked)
    except RequestError as exc:
        return refusal(exc.status, exc.field, exc.reason)
    except (JournalClosedError, OSError):
        log.exception("could not make the request durable")
        return refusal(503, "server", "the server cannot store data right now; try again")
    return JSONResponse(answer.body, status_code=answer.status, headers=CORS_HEADERS)


def endpoint_for(kind: Kind) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=CORS_HEADERS)
        try:
            body = await read_json(request)
        except RequestError as exc:
            return refusal(exc.status, exc.field, exc.reason)
        return await _ingest(request, kind, body)

    endpoint.__name__ = f"track_{kind.value}"
    return endpoint


async def noscript(request: Request) -> Response:
    if request.method == "OPTIONS":
        return Response(status_code=204, headers=CORS_HEADERS)
    params = request.query_params
    body = {"pid": params.get("pid"), "pg": params.get("pg") or "/", "ref": params.get("ref")}
    response = await _ingest(request, Kind.PAGEVIEW, {k: v for k, v in body.items() if v})
    if response.status_code >= 300:
        return response
    return Response(
        PIXEL, media_type="image/gif", headers={**CORS_HEADERS, "Cache-Control": "no-store"}
    )


def routes() -> list[BaseRoute]:
    table: list[BaseRoute] = []
    for prefix in ("/log", "/v1/log"):
        for suffix, kind in ENDPOINTS.items():
            endpoint = endpoint_for(kind)
            paths = [prefix + suffix, prefix + suffix + "/"]
            for path in paths:
                table.append(Route(path, endpoint, methods=["POST", "OPTIONS"]))
        for path in (prefix + "/noscript", prefix + "/noscript/"):
            table.append(Route(path, noscript, methods=["GET", "OPTIONS"]))
    return table
