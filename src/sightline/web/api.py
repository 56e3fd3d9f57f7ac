"""The JSON query API: each route runs one view's data function and renders it."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from sightline.meta.sites import Site
from sightline.queries.params import ParamError
from sightline.queries.profile import MergedProfileError
from sightline.queries.results import NotFoundError
from sightline.runtime import Runtime
from sightline.store.embedded import StoreError
from sightline.views import data
from sightline.views.render import jsonable
from sightline.web import Endpoint
from sightline.web.openapi import openapi_document

log = logging.getLogger(__name__)
PREFIX = "/api/v1"


def site_for(request: Request) -> Site:
    """The site the request names. Access control is checked here, for every view."""
    runtime: Runtime = request.app.state.runtime
    site = runtime.sites.get(request.path_params["pid"])
    if site is None:
        raise NotFoundError("no site with this pid")
    return site


@dataclass(frozen=True)
class Failure:
    """Why a view gave no result, in the terms both renderers answer with."""

    status: int
    error: str
    reason: str
    extra: dict[str, str] = field(default_factory=dict)
    redirect: str | None = None


async def run_view(request: Request, view: data.View) -> data.ViewResult | Failure:
    try:
        site = site_for(request)
        return await asyncio.to_thread(
            view, request.app.state.runtime, site, request.query_params, request.path_params
        )
    except ParamError as exc:
        return Failure(400, "invalid_parameter", exc.reason, {"parameter": exc.parameter})
    except NotFoundError as exc:
        return Failure(404, "not_found", str(exc))
    except MergedProfileError as exc:
        path = request.url.path.replace(request.path_params["profile_id"], exc.identified, 1)
        query = f"?{request.url.query}" if request.url.query else ""
        return Failure(307, "merged", str(exc), redirect=path + query)
    except StoreError:
        log.exception("query failed: %s", request.url)
        return Failure(503, "unavailable", "the store could not answer this query")


def json_view(view: data.View) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        result = await run_view(request, view)
        if isinstance(result, Failure):
            if result.redirect:
                return RedirectResponse(result.redirect, status_code=result.status)
            return JSONResponse(
                {"error": result.error, "reason": result.reason, **result.extra},
                status_code=result.status,
            )
        return JSONResponse(jsonable(result.data, ZoneInfo(result.timezone)))

    endpoint.__name__ = view.__name__
    return endpoint


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document())


# (path under a site, view); the dashboard's pages mirror these paths.
SITE_VIEWS: list[tuple[str, data.View]] = [
    ("/overview", data.overview_view),
    ("/profiles", data.profiles_view),
    ("/profiles/{profile_id}", data.profile_view),
    ("/profiles/{profile_id}/sessions", data.profile_sessions_view),
    ("/sessions", data.sessions_view),
    ("/sessions/{session_id}", data.session_view),
]


def routes() -> list[BaseRoute]:
    site = PREFIX + "/sites/{pid}"
    return [
        Route(PREFIX + "/openapi.json", openapi),
        *(Route(site + path, json_view(view)) for path, view in SITE_VIEWS),
    ]
