"""Persistence: one TinyDB JSON file shared safely by several processes. Never imports Textual."""

from store.collections import Collection, Records
from store.database import SCHEMA_VERSION, Snapshot, Store, Transaction
from store.errors import (
    CorruptStoreError,
    ForeignStoreError,
    NewerStoreError,
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
    "Records",
    "Snapshot",
    "Store",
    "StoreError",
    "StoreLockTimeout",
    "Transaction",
    "default_db_path",
    "resolve_db_path",
]
