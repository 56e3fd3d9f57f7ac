"""The JSON query API: each route runs one view's data function and renders it."""

from __future__ import annotations

import asyncio
import logging
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
from sightline.web.openapi import openapi_document

log = logging.getLogger(__name__)
PREFIX = "/api/v1"


def error(status: int, kind: str, reason: str, **extra: str) -> JSONResponse:
    return JSONResponse({"error": kind, "reason": reason, **extra}, status_code=status)


def site_for(request: Request) -> Site:
    """The site the request names. Access control is checked here, for every view."""
    runtime: Runtime = request.app.state.runtime
    site = runtime.sites.get(request.path_params["pid"])
    if site is None:
        raise NotFoundError("no site with this pid")
    return site


def json_view(view: data.View):  # type: ignore[no-untyped-def]
    async def endpoint(request: Request) -> Response:
        try:
            site = site_for(request)
            result = await asyncio.to_thread(
                view, request.app.state.runtime, site, request.query_params, request.path_params
            )
        except ParamError as exc:
            return error(400, "invalid_parameter", exc.reason, parameter=exc.parameter)
        except NotFoundError as exc:
            return error(404, "not_found", str(exc))
        except MergedProfileError as exc:
            target = request.url.path.replace(request.path_params["profile_id"], exc.identified, 1)
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(target + query, status_code=307)
        except StoreError:
            log.exception("query failed: %s", request.url)
            return error(503, "unavailable", "the store could not answer this query")
        return JSONResponse(jsonable(result.data, ZoneInfo(result.timezone)))

    endpoint.__name__ = view.__name__
    return endpoint


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document())


def routes() -> list[BaseRoute]:
    site = PREFIX + "/sites/{pid}"
    return [
        Route(PREFIX + "/openapi.json", openapi),
        Route(site + "/profiles", json_view(data.profiles_view)),
        Route(site + "/profiles/{profile_id}", json_view(data.profile_view)),
        Route(site + "/profiles/{profile_id}/sessions", json_view(data.profile_sessions_view)),
        Route(site + "/sessions", json_view(data.sessions_view)),
        Route(site + "/sessions/{session_id}", json_view(data.session_view)),
    ]
