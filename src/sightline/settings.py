"""Server settings, from command-line flags with SIGHTLINE_* environment variables as defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path


def _env_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("sightline-data")
    host: str = "127.0.0.1"
    port: int = 8000
    # Take the client IP from `client_ip_header` only when a trusted proxy sits in front.
    trust_proxy: bool = False
    client_ip_header: str = "x-forwarded-for"
    # A MaxMind-format city or country database; without it a bundled country table is used.
    geoip_db: Path | None = None
    # Group commit: how long the journal waits to gather appends into one fsync.
    journal_commit_ms: float = 2.0
    writer_batch_rows: int = 20_000
    writer_flush_ms: float = 500.0
    log_level: str = "info"

    @property
    def journal_dir(self) -> Path:
        return self.data_dir / "journal"

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def meta_path(self) -> Path:
        return self.data_dir / "meta.sqlite3"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from SIGHTLINE_<FIELD> variables, then explicit (non-None) overrides."""
        environ = dict(os.environ if environ is None else environ)
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = environ.get(f"SIGHTLINE_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _convert(f.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def _convert(name: str, raw: str) -> object:
    if name in {"data_dir", "geoip_db"}:
        return Path(raw) if raw else None
    if name == "port":
        return int(raw)
    if name in {"journal_commit_ms", "writer_flush_ms"}:
        return float(raw)
    if name == "writer_batch_rows":
        return int(raw)
    if name == "trust_proxy":
        return _env_bool(raw)
    return raw
