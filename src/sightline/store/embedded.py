"""The embedded backend: ClickHouse's engine in this process (chDB), tables in a data folder."""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa

from sightline.store.base import Row, format_param

SCHEMA_PACKAGE = "sightline.store.schema"


class StoreError(RuntimeError):
    """The engine refused a statement."""


def schema_files() -> list[tuple[str, str]]:
    """(name, sql) of every numbered schema file, in order."""
    folder = resources.files(SCHEMA_PACKAGE)
    named = sorted(f.name for f in folder.iterdir() if f.name.endswith(".sql"))
    return [(name, folder.joinpath(name).read_text(encoding="utf-8")) for name in named]


def split_statements(sql: str) -> list[str]:
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]


class EmbeddedStore:
    """chDB allows one data folder per process; each thread gets its own connection to it."""

    def __init__(self, path: str | Path) -> None:
        import chdb  # imported here: it costs ~0.2 s and ~200 MB, only servers need it

        self._chdb = chdb
        self._path = str(Path(path).resolve())
        Path(self._path).mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._connections: list[Any] = []
        self._lock = threading.Lock()
        self._closed = False
        self._connection()  # fail now, not on first use, if the folder is locked

    def _connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise StoreError("store is closed")
            conn = self._chdb.connect(f"file:{self._path}")  # type: ignore[no-untyped-call]
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def migrate(self) -> list[str]:
        self.query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name String, applied DateTime) "
            "ENGINE = MergeTree ORDER BY name"
        )
        done = {row["name"] for row in self.query("SELECT name FROM schema_migrations")}
        applied = []
        for name, sql in schema_files():
            if name in done:
                continue
            for statement in split_statements(sql):
                self.query(statement)
            self.query(
                "INSERT INTO schema_migrations VALUES ({name:String}, now())", {"name": name}
            )
            applied.append(name)
        return applied

    def insert(self, table: str, batch: pa.Table) -> int:
        if batch.num_rows == 0:
            return 0
        sink = io.BytesIO()
        with pa.ipc.new_stream(sink, batch.schema) as writer:
            writer.write_table(batch)
        columns = ", ".join(batch.schema.names)
        try:
            with self._connection().send_insert(
                f"INSERT INTO {table} ({columns})", "ArrowStream"
            ) as inserter:
                inserter.append(sink.getvalue())
                result = inserter.finish()
        except RuntimeError as exc:
            raise StoreError(str(exc)) from exc
        return int(result.rows_written)

    def query(self, sql: str, params: Mapping[str, object] | None = None) -> list[Row]:
        bound = {name: format_param(value) for name, value in (params or {}).items()}
        try:
            table = self._connection().query(sql, "Arrowtable", params=bound)
        except Exception as exc:  # chDB raises its own error type for every refusal
            raise StoreError(str(exc)) from exc
        if table is None or not isinstance(table, pa.Table):
            return []
        rows: list[Row] = table.to_pylist()
        return rows

    def close(self) -> None:
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()
