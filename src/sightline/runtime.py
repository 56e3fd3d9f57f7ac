"""The long-lived parts of a running server, opened and closed in the right order."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sightline.clock import Clock, SystemClock
from sightline.ingest.aliases import Aliases
from sightline.ingest.enrich.geo import GeoLocator
from sightline.ingest.enrich.useragent import describe
from sightline.ingest.pipeline import Context
from sightline.ingest.service import IngestService
from sightline.ingest.sessions import SessionTracker
from sightline.meta import db
from sightline.meta.salts import Salts
from sightline.meta.sites import Sites
from sightline.settings import Settings
from sightline.store import Store, open_store

log = logging.getLogger(__name__)
MINUTE_MS = 60_000


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    sites: Sites
    salts: Salts
    store: Store
    ingest: IngestService

    @classmethod
    def open(cls, settings: Settings, clock: Clock | None = None) -> Runtime:
        clock = clock or SystemClock()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        meta = db.connect(settings.meta_path)
        sites, salts = Sites(meta), Salts(meta)
        store = open_store(str(settings.store_dir))
        try:
            store.migrate()
            ctx = Context(
                sites=sites,
                salts=salts,
                geo=GeoLocator(settings.geoip_db),
                sessions=SessionTracker(),
                aliases=Aliases(),
                clock=clock,
            )
            describe("Mozilla/5.0")  # ua-parser loads its rules on first use, not on a request
            ingest = IngestService(ctx, store, settings)
            replayed = ingest.start()
        except BaseException:
            store.close()  # the engine must be closed, or the process cannot exit cleanly
            raise
        log.info("store ready in %s; %d journal records replayed", settings.data_dir, replayed)
        return cls(settings, clock, sites, salts, store, ingest)

    def housekeeping(self) -> None:
        """Forget expired live sessions and delete salts that are no longer needed."""
        now = self.clock.now()
        timeouts = {s.pid: s.session_timeout_minutes * MINUTE_MS for s in self.sites.list()}
        self.ingest.ctx.sessions.sweep(int(now.timestamp() * 1000), timeouts, 30 * MINUTE_MS)
        self.salts.delete_expired(now)

    def close(self) -> None:
        self.ingest.stop()
        self.store.close()
