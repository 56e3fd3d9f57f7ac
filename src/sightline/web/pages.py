"""The dashboard: each page renders the same view result the JSON API serves."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from sightline.queries.filters import DIMENSIONS
from sightline.queries.params import PeriodName
from sightline.runtime import Runtime
from sightline.views import data, format, svg
from sightline.web import Endpoint
from sightline.web.api import PREFIX, Failure, run_view, site_for

PERIODS = [
    (PeriodName.TODAY, "Today"),
    (PeriodName.YESTERDAY, "Yesterday"),
    (PeriodName.LAST_24H, "Last 24 hours"),
    (PeriodName.LAST_7D, "Last 7 days"),
    (PeriodName.LAST_30D, "Last 30 days"),
    (PeriodName.LAST_90D, "Last 90 days"),
    (PeriodName.LAST_12M, "Last 12 months"),
    (PeriodName.ALL, "All time"),
]

templates = Environment(
    loader=PackageLoader("sightline.web", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters.update(
    when=format.when,
    num=format.number,
    duration=format.duration,
    flag=format.flag,
    money=format.money,
)


def render(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(templates.get_template(name).render(**context), status_code=status_code)


def failure_page(request: Request, failure: Failure) -> Response:
    if failure.redirect:
        return RedirectResponse(failure.redirect, status_code=failure.status)
    return render(
        "error.html",
        failure.status,
        site=None,
        status=failure.status,
        reason=failure.reason,
        parameter=failure.extra.get("parameter"),
    )


def has_data(runtime: Runtime, pid: str) -> bool:
    rows = runtime.store.query(
        "SELECT 1 AS found FROM sessions WHERE site = {site:String} LIMIT 1", {"site": pid}
    )
    return bool(rows)


def _api_url(request: Request) -> str:
    path = PREFIX + request.url.path
    if request.url.path == f"/sites/{request.path_params['pid']}":
        path += "/overview"
    return path + (f"?{request.url.query}" if request.url.query else "")


Extra = Callable[[Any, ZoneInfo], dict[str, Any]]


def page(
    template: str,
    view: data.View,
    tab: str,
    *,
    extra: Extra | None = None,
    is_empty: Callable[[Any], bool] | None = None,
) -> Endpoint:
    """A page: run `view` as the API would, then render it with `template`. When `is_empty`
    says the result is empty and the site has no data at all, the page shows how to install
    the tracker instead."""

    async def endpoint(request: Request) -> Response:
        result = await run_view(request, view)
        if isinstance(result, Failure):
            return failure_page(request, result)
        empty = is_empty is not None and is_empty(result.data)
        return await respond(request, template, tab, result, extra, check_data=empty)

    endpoint.__name__ = f"page_{tab}_{template.split('.', maxsplit=1)[0]}"
    return endpoint


async def respond(
    request: Request,
    template: str,
    tab: str,
    result: data.ViewResult,
    extra: Callable[[Any, ZoneInfo], dict[str, Any]] | None,
    **context: Any,
) -> Response:
    runtime: Runtime = request.app.state.runtime
    site = site_for(request)
    zone = ZoneInfo(result.timezone)
    total = getattr(result.data, "total", None) or getattr(result.data, "sessions", None)
    filled = bool(total) or await asyncio.to_thread(has_data, runtime, site.pid)
    return render(
        template,
        site=site,
        site_root=f"/sites/{site.pid}",
        tab=tab,
        data=result.data,
        zone=zone,
        period=getattr(result.data, "period", None),
        periods=PERIODS,
        dimensions=list(DIMENSIONS),
        links=format.Links(request.url, request.query_params),
        query=request.query_params,
        api_url=_api_url(request),
        has_data=filled,
        origin=str(request.base_url).rstrip("/"),
        **(extra(result.data, zone) if extra else {}),
        **context,
    )


async def profile_page(request: Request) -> Response:
    """The profile and the first page of its sessions, read at the same time."""
    detail, sessions = await asyncio.gather(
        run_view(request, data.profile_view), run_view(request, data.profile_sessions_view)
    )
    if isinstance(detail, Failure):
        return failure_page(request, detail)
    if isinstance(sessions, Failure):
        return failure_page(request, sessions)
    return await respond(
        request,
        "profile.html",
        "profiles",
        detail,
        None,
        sessions_page=sessions.data,
        calendar=svg.activity_calendar(detail.data.calendar),
    )


async def timeline_fragment(request: Request) -> Response:
    """One session's timeline as HTML, for a session opened in a profile's history."""
    result = await run_view(request, data.session_view)
    if isinstance(result, Failure):
        return HTMLResponse(f"<p class='bad'>{result.reason}</p>", status_code=result.status)
    return render("_timeline.html", timeline=result.data.timeline, zone=ZoneInfo(result.timezone))


async def sites_index(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    sites = await asyncio.to_thread(runtime.sites.list)
    if len(sites) == 1:
        return RedirectResponse(f"/sites/{sites[0].pid}", status_code=302)
    return render("sites.html", site=None, sites=sites)


def _no_rows(listing: Any) -> bool:
    return bool(listing.total == 0)


def _chart(overview: Any, zone: ZoneInfo) -> dict[str, Any]:
    return {"chart": svg.traffic_chart(overview.series, overview.granularity, zone)}


def routes() -> list[BaseRoute]:
    site = "/sites/{pid}"
    return [
        Route("/", sites_index),
        Route(
            site,
            page(
                "overview.html",
                data.overview_view,
                "overview",
                extra=_chart,
                is_empty=lambda overview: overview.sessions == 0,
            ),
        ),
        Route(
            site + "/profiles",
            page("profiles.html", data.profiles_view, "profiles", is_empty=_no_rows),
        ),
        Route(site + "/profiles/{profile_id}", profile_page),
        Route(
            site + "/sessions",
            page("sessions.html", data.sessions_view, "sessions", is_empty=_no_rows),
        ),
        Route(site + "/sessions/{session_id}", page("session.html", data.session_view, "sessions")),
        Route(site + "/sessions/{session_id}/timeline", timeline_fragment),
        Mount("/static", StaticFiles(packages=[("sightline.web", "static")]), name="static"),
    ]
