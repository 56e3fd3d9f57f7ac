"""`sightline demo`: a demo site filled with months of generated traffic, plus live visitors."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sightline.ingest.request import Client, RequestError, parse
from sightline.ingest.service import IngestService
from sightline.meta import db
from sightline.meta.sites import Sites
from sightline.runtime import Runtime
from sightline.settings import Settings
from sightline.traffic import (
    TrafficPlan,
    Visit,
    make_visit,
    make_visitors,
    plan_traffic,
    requests_in_order,
)

log = logging.getLogger(__name__)
DEMO_PID = "DEMO-shop-01"
DEMO_NAME = "Demo shop"
DEMO_TIMEZONE = "Europe/Berlin"
LIVE_VISITORS = 12


def load_history(service: IngestService, visits: list[Visit], end: datetime) -> int:
    """Feed generated visits through the ingest pipeline; return the requests accepted."""
    accepted = 0
    for request in requests_in_order(visits, end):
        try:
            service.handle_now(request)
            accepted += 1
        except RequestError as exc:  # a heartbeat after its session timed out, for one
            log.debug("demo request refused: %s", exc)
    service.flush()
    return accepted


def ensure_demo_site(settings: Settings) -> bool:
    """Create the demo site unless it exists; True when it was created."""
    sites = Sites(db.connect(settings.meta_path))
    if sites.get(DEMO_PID) is not None:
        return False
    sites.create(DEMO_NAME, pid=DEMO_PID, timezone=DEMO_TIMEZONE)
    return True


async def live_visitors(runtime: Runtime, seed: int = 11, concurrent: int = LIVE_VISITORS) -> None:
    """Keep a few visitors browsing in real time, so online and recent profiles show."""
    rng = random.Random(seed)
    pool = make_visitors(rng, 200, identified_share=0.3)

    async def browse(visitor_index: int) -> None:
        visitor = pool[visitor_index]
        visit = make_visit(
            rng,
            DEMO_PID,
            visitor,
            runtime.clock.now(),
            identify=rng.random() < 0.2,
            logged_in=False,
        )
        started = time.monotonic()
        for hit in visit.hits:
            # Live visits run four times faster than real ones, so the demo moves.
            await asyncio.sleep(max(0.0, started + hit.offset / 4 - time.monotonic()))
            client = Client(
                ip=visitor.ip,
                user_agent=visitor.user_agent,
                origin="https://shop.example",
                time=runtime.clock.now(),
            )
            try:
                await runtime.ingest.handle(parse(hit.kind, hit.body, client))
            except RequestError as exc:
                log.debug("live demo request refused: %s", exc)

    running: set[asyncio.Task[None]] = set()
    while True:
        while len(running) < concurrent:
            task = asyncio.create_task(browse(rng.randrange(len(pool))))
            running.add(task)
            task.add_done_callback(running.discard)
        await asyncio.sleep(rng.uniform(1, 6))


def run_demo(
    settings: Settings,
    *,
    profiles: int,
    days: int,
    seed: int,
    serve: Callable[[Settings, object], None],
) -> int:
    from sightline.app import create_app

    if settings.data_dir == Settings().data_dir:
        settings = replace(settings, data_dir=settings.data_dir.with_name("sightline-demo"))
    if ensure_demo_site(settings):
        end = datetime.now(UTC)
        runtime = Runtime.open(settings)
        try:
            started = time.monotonic()
            visits = plan_traffic(TrafficPlan(DEMO_PID, profiles, days, seed=seed), end)
            accepted = load_history(runtime.ingest, visits, end - timedelta(seconds=1))
            log.info(
                "demo: %d visits, %d requests loaded in %.1f s",
                len(visits),
                accepted,
                time.monotonic() - started,
            )
        finally:
            runtime.close()
    print(
        f"Sightline demo: site {DEMO_NAME!r} (pid {DEMO_PID}) at "
        f"http://{settings.host}:{settings.port}/  (data in {settings.data_dir})",
        flush=True,
    )
    serve(settings, create_app(settings, background=[live_visitors]))
    return 0
