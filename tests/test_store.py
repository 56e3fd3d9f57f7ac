"""The store: schema files match what the writer sends, and parameters bind any text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sightline.store.embedded import EmbeddedStore
from sightline.store.tables import SCHEMAS


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    opened = EmbeddedStore(tmp_path_factory.mktemp("store"))
    opened.migrate()
    yield opened
    opened.close()


def test_migrations_run_once(store: EmbeddedStore) -> None:
    assert store.migrate() == []
    names = [row["name"] for row in store.query("SELECT name FROM schema_migrations")]
    assert names == ["001_events.sql"]


@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_each_table_has_the_columns_the_writer_sends(store: EmbeddedStore, table: str) -> None:
    columns = store.query(
        "SELECT name FROM system.columns WHERE database = currentDatabase()"
        " AND table = {table:String} ORDER BY position",
        {"table": table},
    )
    assert [c["name"] for c in columns] == SCHEMAS[table].names


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(codec="utf-8"), max_size=60))
def test_any_text_binds_as_itself(store: EmbeddedStore, text: str) -> None:
    assert store.query("SELECT {value:String} AS v", {"value": text}) == [{"v": text}]


@settings(max_examples=50, deadline=None)
@given(values=st.lists(st.text(st.characters(codec="utf-8"), max_size=12), max_size=5))
def test_arrays_of_text_bind_as_themselves(store: EmbeddedStore, values: list[str]) -> None:
    assert store.query("SELECT {values:Array(String)} AS v", {"values": values}) == [{"v": values}]


def test_numbers_and_times_bind(store: EmbeddedStore) -> None:
    moment = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    row = store.query(
        "SELECT {n:UInt64} AS n, {t:DateTime64(3, 'UTC')} AS t", {"n": 2**63, "t": moment}
    )
    assert row == [{"n": 2**63, "t": moment}]


def test_a_second_folder_in_the_same_process_is_refused(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    with pytest.raises(Exception, match="already initialized"):
        EmbeddedStore(tmp_path / "other")
