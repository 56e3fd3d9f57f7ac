"""Serving Sightline's own tracker script, with a version and caching headers."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from importlib import resources

from starlette.requests import Request
from starlette.responses import Response


@lru_cache(maxsize=1)
def _script() -> tuple[bytes, str, str]:
    """The script, its ETag, and the version it declares."""
    body = resources.files("sightline.web.static").joinpath("sightline.js").read_bytes()
    declared = re.search(rb"var VERSION = '([^']+)'", body)
    version = declared.group(1).decode() if declared else "unknown"
    return body, '"' + hashlib.sha256(body).hexdigest()[:16] + '"', version


async def tracker_script(request: Request) -> Response:
    body, etag, version = _script()
    headers = {
        "ETag": etag,
        # A day in caches; the ETag makes revalidation after that cheap.
        "Cache-Control": "public, max-age=86400, stale-while-revalidate=604800",
        "Access-Control-Allow-Origin": "*",
        "X-Sightline-Tracker-Version": version,
    }
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)
