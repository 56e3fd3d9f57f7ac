"""HTTP: the tracker endpoints, the query API and the dashboard pages."""

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

Endpoint = Callable[[Request], Awaitable[Response]]
