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
        DamagedFileError,
        DamagedRecordError,
        ForeignStoreError,
        NewerStoreError,
        ReadOnlyStoreError,
        StoreError,
        StoreLockTimeout,
        UnusableFileError,
        os_error_reason,
    )
    from store.journal import Journal
    from store.paths import default_db_path, resolve_db_path

__all__ = [
    "SCHEMA_VERSION",
    "Collection",
    "CorruptStoreError",
    "DamagedFileError",
    "DamagedRecordError",
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
    "UnusableFileError",
    "default_db_path",
    "os_error_reason",
    "resolve_db_path",
]

_MODULES = {
    "SCHEMA_VERSION": "store.database",
    "Collection": "store.collections",
    "CorruptStoreError": "store.errors",
    "DamagedFileError": "store.errors",
    "DamagedRecordError": "store.errors",
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
    "UnusableFileError": "store.errors",
    "default_db_path": "store.paths",
    "os_error_reason": "store.errors",
    "resolve_db_path": "store.paths",
}

__getattr__ = lazy_names(__name__, _MODULES)
