"""The named steps of the ingest pipeline, and the lists of steps each kind of request runs."""

from __future__ import annotations

import ipaddress
import secrets

from sightline.ingest import ids
from sightline.ingest.enrich.bots import is_bot
from sightline.ingest.enrich.referrers import host_of, source_name
from sightline.ingest.enrich.useragent import describe
from sightline.ingest.pipeline import Context, DropReason, Event, Step
from sightline.ingest.request import Kind, RequestError
from sightline.ingest.sessions import LiveSession
from sightline.meta.sites import is_valid_pid

MINUTE_MS = 60_000


def check_site(event: Event, ctx: Context) -> Event:
    pid = event.request.pid
    if not is_valid_pid(pid):
        raise RequestError(400, "pid", "must be 12 characters of A-Z, a-z, 0-9 and '-'")
    site = ctx.sites.get(pid)
    if site is None:
        raise RequestError(400, "pid", "no site has this pid")
    if not site.active:
        raise RequestError(403, "pid", "this site is not active")
    if not site.allows_origin(event.request.client.origin):
        raise RequestError(403, "origin", "this origin is not allowed to send data to the site")
    event.site = site
    return event


def drop_bots(event: Event, ctx: Context) -> Event | DropReason:
    if event.known_site.bot_protection != "off" and is_bot(event.request.client.user_agent):
        return DropReason.BOT
    return event


def drop_blocked_ip(event: Event, ctx: Context) -> Event | DropReason:
    networks = event.known_site.blocked_ips
    if networks:
        try:
            address = ipaddress.ip_address(event.request.client.ip)
        except ValueError:
            return event
        if any(address.version == n.version and address in n for n in networks):
            return DropReason.BLOCKED_IP
    return event


def put_geo(event: Event, ctx: Context) -> Event:
    event.place = ctx.geo.locate(event.request.client.ip)
    return event


def drop_blocked_country(event: Event, ctx: Context) -> Event | DropReason:
    if event.place.country and event.place.country in event.known_site.blocked_countries:
        return DropReason.BLOCKED_COUNTRY
    return event


def put_user_agent(event: Event, ctx: Context) -> Event:
    event.software = describe(event.request.client.user_agent)
    return event


def put_source(event: Event, ctx: Context) -> Event:
    request = event.request
    own_host = host_of(request.client.origin or "")
    event.source = source_name(request.referrer, request.utm_source, own_host)
    return event


def put_visitor(event: Event, ctx: Context) -> Event:
    """The visitor's keys under this month's salt and, just after a rotation, last month's."""
    client = event.request.client
    current, previous = ctx.salts.current_and_previous(client.time)
    site = event.known_site.pid
    digest = ids.visitor_digest(current, site, client.ip, client.user_agent)
    keys = [ids.visitor_key(digest)]
    if previous is not None:
        keys.append(
            ids.visitor_key(ids.visitor_digest(previous, site, client.ip, client.user_agent))
        )
    event.visitor_keys = tuple(keys)
    event.anonymous_id = ids.anonymous_id(digest)
    return event


def _timeout_ms(event: Event) -> int:
    return event.known_site.session_timeout_minutes * MINUTE_MS


def find_session(event: Event, ctx: Context) -> Event:
    event.session = ctx.sessions.find(
        event.known_site.pid, event.visitor_keys, event.time_ms, _timeout_ms(event)
    )
    return event


def put_session(event: Event, ctx: Context) -> Event:
    """Continue the visitor's live session or start one; `unique` refuses a second pageview."""
    find_session(event, ctx)
    if event.session is not None:
        if event.request.unique:
            raise RequestError(403, "unique", "this visitor already has a live session")
        return event
    session = LiveSession(
        site=event.known_site.pid,
        session_id=secrets.randbits(63) or 1,
        visitor=event.visitor_keys[0],
        profile_id=event.anonymous_id,
        start=event.time_ms,
        last_activity=event.time_ms,
    )
    for name, value in event.attributes().items():  # its first event's source, place, device
        setattr(session, name, value)
    ctx.sessions.add(session)
    event.session = session
    return event


def require_session(event: Event, ctx: Context) -> Event:
    find_session(event, ctx)
    if event.session is None:
        raise RequestError(403, "pid", "this visitor has no live session")
    return event


def resolve_profile(event: Event, ctx: Context) -> tuple[str, str | None]:
    """(profile id, anonymous id it newly links to) for the event, changing nothing.

    An id the site passes wins; then the live session's; then the salted anonymous id. The
    first time an anonymous visitor carries an identified id, their anonymous profile is
    linked to it, so its earlier sessions count as the identified profile's; later
    identifications of the same anonymous profile link nothing.
    """
    session = event.session
    identified = ids.identified_id(event.request.profile_id)
    if identified is None:
        return (session.profile_id if session else event.anonymous_id), None
    anonymous = session.profile_id if session is not None else event.anonymous_id
    if not anonymous.startswith(ids.ANONYMOUS_PREFIX):
        return identified, None
    if ctx.aliases.identified_as(event.known_site.pid, anonymous) is not None:
        return identified, None
    return identified, anonymous


def put_profile_id(event: Event, ctx: Context) -> Event:
    event.profile_id, event.alias_of = resolve_profile(event, ctx)
    if event.alias_of is not None:
        ctx.aliases.link(event.known_site.pid, event.alias_of, event.profile_id)
    if event.session is not None:
        event.session.profile_id = event.profile_id
    return event


def require_identified_id(event: Event, ctx: Context) -> Event:
    if ids.identified_id(event.request.profile_id) is None:
        raise RequestError(
            400, "profileId", "must be a real user id, not empty, a placeholder or control text"
        )
    return event


def count_in_session(event: Event, ctx: Context) -> Event:
    session = event.session
    if session is None:
        raise RuntimeError("put_session must run before count_in_session")
    request = event.request
    session.touch(event.time_ms)
    if request.kind is Kind.PAGEVIEW:
        session.pageviews += 1
        session.entry_page = session.entry_page or request.page
        session.exit_page = request.page
    elif request.kind is Kind.CUSTOM:
        session.custom_events += 1
    elif request.kind is Kind.ERROR:
        session.errors += 1
    elif request.kind is Kind.REVENUE and request.revenue is not None:
        currency = request.revenue.currency
        session.revenue[currency] = session.revenue.get(currency, 0.0) + request.revenue.amount
        session.revenue_events += 1
    return event


def keep_alive(event: Event, ctx: Context) -> Event:
    if event.session is not None:
        event.session.touch(event.time_ms)
    return event


EVENT_STEPS: tuple[Step, ...] = (
    check_site,
    drop_bots,
    drop_blocked_ip,
    put_geo,
    drop_blocked_country,
    put_user_agent,
    put_source,
    put_visitor,
    put_session,
    put_profile_id,
    count_in_session,
)
HEARTBEAT_STEPS: tuple[Step, ...] = (
    check_site,
    drop_bots,
    drop_blocked_ip,
    put_visitor,
    require_session,
    keep_alive,
)
IDENTIFY_STEPS: tuple[Step, ...] = (
    check_site,
    require_identified_id,
    drop_bots,
    drop_blocked_ip,
    put_visitor,
    find_session,
    put_profile_id,
)
LOOKUP_STEPS: tuple[Step, ...] = (check_site, put_visitor, find_session)

STEPS_OF_KIND: dict[Kind, tuple[Step, ...]] = {
    Kind.PAGEVIEW: EVENT_STEPS,
    Kind.CUSTOM: EVENT_STEPS,
    Kind.ERROR: EVENT_STEPS,
    Kind.REVENUE: EVENT_STEPS,
    Kind.HEARTBEAT: HEARTBEAT_STEPS,
    Kind.IDENTIFY: IDENTIFY_STEPS,
    Kind.PROFILE_ID: LOOKUP_STEPS,
    Kind.SESSION_ID: LOOKUP_STEPS,
}
