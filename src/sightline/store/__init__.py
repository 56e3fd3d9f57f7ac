"""The analytical store: one narrow interface, an embedded engine behind it by default."""

from sightline.store.base import Store
from sightline.store.embedded import EmbeddedStore

__all__ = ["EmbeddedStore", "Store", "open_store"]


def open_store(path: str) -> Store:
    """The one place where the storage backend is chosen."""
    return EmbeddedStore(path)
