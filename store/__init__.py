"""Persistence: a TinyDB JSON file shared safely by several processes (the default), or a
PostgreSQL database (``store.postgres``), behind one interface (``store.backend``). Never
imports Textual.

The names below are loaded on first use (PEP 562): ``from store import StoreError`` does not
import TinyDB and pydantic, which the app's first screen does without.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.lazy import lazy_names

if TYPE_CHECKING:
    from store.backend import JournalLike, ReadView, Rows, StoreBackend, TransactionView
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
    "JournalLike",
    "NewerStoreError",
    "ReadOnlyStoreError",
    "ReadView",
    "Records",
    "Rows",
    "Snapshot",
    "Store",
    "StoreBackend",
    "StoreError",
    "StoreLockTimeout",
    "Transaction",
    "TransactionView",
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
    "JournalLike": "store.backend",
    "NewerStoreError": "store.errors",
    "ReadOnlyStoreError": "store.errors",
    "ReadView": "store.backend",
    "Records": "store.collections",
    "Rows": "store.backend",
    "Snapshot": "store.database",
    "Store": "store.database",
    "StoreBackend": "store.backend",
    "StoreError": "store.errors",
    "StoreLockTimeout": "store.errors",
    "Transaction": "store.database",
    "UnusableFileError": "store.errors",
    "TransactionView": "store.backend",
    "default_db_path": "store.paths",
    "os_error_reason": "store.errors",
    "resolve_db_path": "store.paths",
}

__getattr__ = lazy_names(__name__, _MODULES)
