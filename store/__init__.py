"""Persistence: one TinyDB JSON file shared safely by several processes. Never imports Textual.

The names below are loaded on first use (PEP 562): ``from store import StoreError`` does not
import TinyDB and pydantic, which the app's first screen does without.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.lazy import lazy_names

if TYPE_CHECKING:
    from store.collections import Collection, Records
    from store.database import SCHEMA_VERSION, Snapshot, Store, Transaction
    from store.errors import (
        CorruptStoreError,
        ForeignStoreError,
        NewerStoreError,
        ReadOnlyStoreError,
        StoreError,
        StoreLockTimeout,
    )
    from store.journal import Journal
    from store.paths import default_db_path, resolve_db_path

__all__ = [
    "SCHEMA_VERSION",
    "Collection",
    "CorruptStoreError",
    "ForeignStoreError",
    "Journal",
    "NewerStoreError",
    "ReadOnlyStoreError",
    "Records",
    "Snapshot",
    "Store",
    "StoreError",
    "StoreLockTimeout",
    "Transaction",
    "default_db_path",
    "resolve_db_path",
]

_MODULES = {
    "SCHEMA_VERSION": "store.database",
    "Collection": "store.collections",
    "CorruptStoreError": "store.errors",
    "ForeignStoreError": "store.errors",
    "Journal": "store.journal",
    "NewerStoreError": "store.errors",
    "ReadOnlyStoreError": "store.errors",
    "Records": "store.collections",
    "Snapshot": "store.database",
    "Store": "store.database",
    "StoreError": "store.errors",
    "StoreLockTimeout": "store.errors",
    "Transaction": "store.database",
    "default_db_path": "store.paths",
    "resolve_db_path": "store.paths",
}

__getattr__ = lazy_names(__name__, _MODULES)
