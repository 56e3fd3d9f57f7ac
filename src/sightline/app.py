"""The ASGI application: the route table and the lifespan that opens and closes the runtime."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sightline import __version__
from sightline.clock import Clock
from sightline.runtime import Runtime
from sightline.settings import Settings
from sightline.web import api, pages, tracker
from sightline.web.script import tracker_script

HOUSEKEEPING_SECONDS = 60.0
Background = Callable[[Runtime], Coroutine[Any, Any, None]]


async def healthz(request: Request) -> Response:
    ingest = request.app.state.runtime.ingest
    return JSONResponse(
        {
            "status": "ok",
            "version": __version__,
            "live_sessions": len(ingest.ctx.sessions),
            "dropped": dict(ingest.ctx.dropped),
        }
    )


async def not_found(request: Request, exc: Exception) -> Response:
    reason = f"no page at {request.url.path}"
    if "text/html" in request.headers.get("accept", ""):
        return pages.render("error.html", 404, site=None, status=404, reason=reason)
    return JSONResponse({"error": "not_found", "reason": reason}, status_code=404)


async def method_not_allowed(request: Request, exc: Exception) -> Response:
    return JSONResponse(
        {
            "error": "method_not_allowed",
            "reason": f"{request.method} is not allowed on {request.url.path}",
        },
        status_code=405,
    )


async def _housekeeping(runtime: Runtime) -> None:
    while True:
        await asyncio.sleep(HOUSEKEEPING_SECONDS)
        runtime.housekeeping()


def server_config(app: Any, settings: Settings, **overrides: Any) -> uvicorn.Config:
    """How uvicorn serves the app; the client IP is Sightline's to decide (trust_proxy)."""
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        "proxy_headers": False,
        "timeout_graceful_shutdown": 10,
        "lifespan": "on",
        **overrides,
    }
    return uvicorn.Config(app, **options)


def create_app(
    settings: Settings,
    clock: Clock | None = None,
    background: list[Background] | None = None,
) -> Starlette:
    """`background` tasks run while the server runs (the demo's live visitors, for one)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        runtime = await asyncio.to_thread(Runtime.open, settings, clock)
        app.state.runtime = runtime
        app.state.ingest = runtime.ingest
        tasks: list[asyncio.Task[Any]] = [asyncio.create_task(_housekeeping(runtime))]
        tasks += [asyncio.create_task(job(runtime)) for job in background or []]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await asyncio.to_thread(runtime.close)

    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/js/sightline.js", tracker_script),
            *tracker.routes(),
            *api.routes(),
            *pages.routes(),
        ],
        lifespan=lifespan,
        exception_handlers={404: not_found, 405: method_not_allowed},
    )
    app.state.settings = settings
    return app
