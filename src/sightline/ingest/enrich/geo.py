"""Country, region and city from an IP address.

A MaxMind-format database (GeoLite2/GeoIP2 City or Country, DB-IP, ...) is used when configured;
otherwise a country table bundled with geoip2fast, so a fresh install still shows countries.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import maxminddb


@dataclass(frozen=True, slots=True)
class Place:
    country: str = ""
    region: str = ""
    city: str = ""


NOWHERE = Place()


def _english(record: Any) -> str:
    if not isinstance(record, dict):
        return ""
    names = record.get("names")
    if isinstance(names, dict):
        return str(names.get("en") or next(iter(names.values()), ""))
    return ""


class GeoLocator:
    def __init__(self, database: Path | None = None) -> None:
        self._reader = maxminddb.open_database(str(database)) if database else None
        self._fallback: Any = None
        if self._reader is None:
            from geoip2fast import GeoIP2Fast  # loads its bundled table (~0.1 s)

            self._fallback = GeoIP2Fast()
        self.locate = lru_cache(maxsize=50_000)(self._locate)

    def _locate(self, ip: str) -> Place:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return NOWHERE
        if not address.is_global:
            return NOWHERE
        if self._reader is not None:
            return self._from_database(ip)
        code = str(self._fallback.lookup(ip).country_code or "")
        return Place(country=code) if len(code) == 2 and code.isalpha() else NOWHERE

    def _from_database(self, ip: str) -> Place:
        record = self._reader.get(ip) if self._reader else None
        if not isinstance(record, dict):
            return NOWHERE
        country = record.get("country") or record.get("registered_country") or {}
        code = str(country.get("iso_code", "")) if isinstance(country, dict) else ""
        subdivisions = record.get("subdivisions")
        region = ""
        if isinstance(subdivisions, list) and subdivisions:
            region = _english(subdivisions[0])
        return Place(country=code.upper(), region=region, city=_english(record.get("city")))

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
