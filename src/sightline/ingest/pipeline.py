"""The ingest pipeline: named steps over one event, any of which may drop it with a reason."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sightline.clock import Clock
from sightline.ingest.aliases import Aliases
from sightline.ingest.enrich.geo import NOWHERE, GeoLocator, Place
from sightline.ingest.enrich.useragent import Software
from sightline.ingest.request import TrackerRequest
from sightline.ingest.sessions import LiveSession, SessionTracker
from sightline.meta.salts import Salts
from sightline.meta.sites import Site, Sites


class DropReason(StrEnum):
    BOT = "bot"
    BLOCKED_IP = "blocked_ip"
    BLOCKED_COUNTRY = "blocked_country"


@dataclass(slots=True)
class Event:
    """One request on its way through the steps; each step fills in what it knows."""

    request: TrackerRequest
    time_ms: int
    site: Site | None = None
    place: Place = NOWHERE
    software: Software | None = None
    source: str = ""
    visitor_keys: tuple[int, ...] = ()
    anonymous_id: str = ""
    profile_id: str = ""
    session: LiveSession | None = None
    # Set when this request links an anonymous profile to an identified one.
    alias_of: str | None = None
    dropped: DropReason | None = None

    def attributes(self) -> dict[str, str]:
        """Where the visitor came from and what they use: stored on the event, and on the
        session it starts."""
        request, software, place = self.request, self.software, self.place
        return {
            "referrer": request.referrer,
            "source": self.source,
            "utm_source": request.utm_source,
            "utm_medium": request.utm_medium,
            "utm_campaign": request.utm_campaign,
            "utm_term": request.utm_term,
            "utm_content": request.utm_content,
            "country": place.country,
            "region": place.region,
            "city": place.city,
            "browser": software.browser if software else "",
            "browser_version": software.browser_version if software else "",
            "os": software.os if software else "",
            "os_version": software.os_version if software else "",
            "device": software.device if software else "",
        }

    @property
    def known_site(self) -> Site:
        if self.site is None:
            raise RuntimeError("the site step has not run")
        return self.site


@dataclass
class Context:
    """What steps may use besides the event: the long-lived services of the server."""

    sites: Sites
    salts: Salts
    geo: GeoLocator
    sessions: SessionTracker
    aliases: Aliases
    clock: Clock
    dropped: dict[str, int] = field(default_factory=dict)  # drop reason -> how many


Step = Callable[[Event, Context], Event | DropReason]


def run(steps: Sequence[Step], event: Event, ctx: Context) -> Event:
    """Run `steps` in order; stop at the first drop and record its reason on the event."""
    for step in steps:
        result = step(event, ctx)
        if isinstance(result, DropReason):
            event.dropped = result
            ctx.dropped[result.value] = ctx.dropped.get(result.value, 0) + 1
            return event
    return event
