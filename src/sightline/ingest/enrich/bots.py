"""Recognising crawlers and headless browsers by their user agent."""

from __future__ import annotations

from functools import lru_cache

from crawlerdetect import CrawlerDetect

_HEADLESS_MARKERS = ("headlesschrome", "phantomjs", "electron/", "puppeteer", "playwright")
_detector = CrawlerDetect()


@lru_cache(maxsize=20_000)
def is_bot(user_agent: str) -> bool:
    if len(user_agent.strip()) < 10:
        return True
    lowered = user_agent.lower()
    if any(marker in lowered for marker in _HEADLESS_MARKERS):
        return True
    return bool(_detector.isCrawler(user_agent))
