"""What a store keeps at rest, as text, whichever the backend: tests check that no secret is
in it and that a refused operation leaves it exactly as it was."""

from __future__ import annotations

import json

from store import Records, StoreBackend
from store.database import Store

__all__ = ["audit_text", "data_text"]


def data_text(store: StoreBackend) -> str:
    """The data file, or every record of every collection of the database."""
    if isinstance(store, Store):
        return store.path.read_text("utf-8")
    view = store.snapshot()
    # Records names its collections after their tables.
    tables = {name: view.rows(name).find({}) for name in vars(Records(view))}
    return json.dumps(tables, ensure_ascii=False)


def audit_text(store: StoreBackend) -> str:
    """The audit journal's file, or its table's rows."""
    if isinstance(store, Store):
        return store.audit_log.path.read_text("utf-8")
    return json.dumps(store.audit_log.read(), ensure_ascii=False)
