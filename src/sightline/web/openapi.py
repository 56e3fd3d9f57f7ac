"""The OpenAPI description of the query API."""

from __future__ import annotations

from typing import Any

from sightline import __version__
from sightline.queries.filters import DIMENSIONS, Operator
from sightline.queries.params import MAX_LIMIT, PeriodName


def _param(
    name: str,
    description: str,
    schema: dict[str, Any],
    where: str = "query",
) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "description": description,
        "schema": schema,
    }


PID = _param("pid", "the site's id", {"type": "string"}, "path")
PROFILE_ID = _param("profile_id", "anon_… or usr_…", {"type": "string"}, "path")
SESSION_ID = _param("session_id", "16 hexadecimal digits", {"type": "string"}, "path")
TIMEZONE = _param(
    "timezone", "IANA time zone for days and times; the site's by default", {"type": "string"}
)
PERIOD = [
    _param(
        "period",
        "a named period (default 30d; all for a profile's sessions)",
        {"type": "string", "enum": [p.value for p in PeriodName if p is not PeriodName.CUSTOM]},
    ),
    _param("from", "first day of a custom period, with to", {"type": "string", "format": "date"}),
    _param("to", "last day of a custom period, inclusive", {"type": "string", "format": "date"}),
    TIMEZONE,
    _param(
        "filters",
        "JSON list of [dimension, operator, [values]]; dimensions: "
        + ", ".join(DIMENSIONS)
        + "; operators: "
        + ", ".join(Operator)
        + "; meta values are key=value",
        {"type": "string"},
    ),
    _param("limit", f"rows per page, 1 to {MAX_LIMIT}", {"type": "integer", "default": 50}),
    _param("offset", "rows to skip", {"type": "integer", "default": 0}),
]
BOUNDS = [
    _param("min_duration", "sessions lasting at least this many seconds", {"type": "integer"}),
    _param("max_duration", "sessions lasting at most this many seconds", {"type": "integer"}),
    _param("min_pageviews", "sessions with at least this many pageviews", {"type": "integer"}),
    _param("max_pageviews", "sessions with at most this many pageviews", {"type": "integer"}),
    _param(
        "has_errors", "only sessions with (true) or without (false) errors", {"type": "boolean"}
    ),
]
PROFILE_TYPE = _param(
    "type", "which profiles", {"type": "string", "enum": ["all", "anonymous", "identified"]}
)

ENDPOINTS: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "/sites/{pid}/overview",
        "Traffic over time (visitors, sessions, pageviews) and top pages, sources, countries, "
        "browsers and devices",
        [PID, *PERIOD],
    ),
    (
        "/sites/{pid}/profiles",
        "Profiles active in the period, newest activity first",
        [PID, PROFILE_TYPE, *PERIOD],
    ),
    (
        "/sites/{pid}/profiles/{profile_id}",
        "One profile, all time, with its activity calendar (an identified anonymous profile "
        "redirects to its identified profile)",
        [PID, PROFILE_ID, TIMEZONE],
    ),
    (
        "/sites/{pid}/profiles/{profile_id}/sessions",
        "One profile's sessions, newest first",
        [PID, PROFILE_ID, *PERIOD, *BOUNDS],
    ),
    ("/sites/{pid}/sessions", "Sessions in the period, newest first", [PID, *PERIOD, *BOUNDS]),
    (
        "/sites/{pid}/sessions/{session_id}",
        "One session with its timeline",
        [PID, SESSION_ID, TIMEZONE],
    ),
]
ERRORS = {
    "400": {"description": "a parameter is invalid: `parameter` names it, `reason` says why"},
    "404": {"description": "no such site, profile or session"},
}


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Sightline query API", "version": __version__},
        "servers": [{"url": "/api/v1"}],
        "paths": {
            path: {
                "get": {
                    "summary": summary,
                    "parameters": parameters,
                    "responses": {"200": {"description": "the view as JSON"}, **ERRORS},
                }
            }
            for path, summary, parameters in ENDPOINTS
        },
    }
