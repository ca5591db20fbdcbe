"""Typed access to the tables: Pydantic records in, Pydantic records out.

Services use these instead of TinyDB queries, so the storage stays an implementation detail of
``store/`` and every document is validated on its way out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from tinydb import Query
from tinydb.table import Table

from store.database import Snapshot, Transaction
from store.schema import (
    ACCOUNTS,
    ESTABLISHMENTS,
    GUARDIANS,
    LINKS,
    PUPILS,
    REGISTRATIONS,
    THROTTLES,
    TableSpec,
)

__all__ = ["Collection", "Records"]

M = TypeVar("M", bound=BaseModel)


class Collection(Generic[M]):
    def __init__(self, view: Transaction | Snapshot, spec: TableSpec[M]) -> None:
        self._table: Table = view.table(spec.name)
        self._model = spec.model
        self._key = spec.key

    def get(self, **key: Any) -> M | None:
        found = self._table.get(Query().fragment(key))
        return None if found is None else self._model.model_validate(dict(found))

    def find(self, **fields: Any) -> list[M]:
        docs = self._table.search(Query().fragment(fields)) if fields else self._table.all()
        return [self._model.model_validate(dict(doc)) for doc in docs]

    def all(self) -> list[M]:
        return self.find()

    def values(self, field: str) -> set[Any]:
        """One raw field of every document, without validating them all (cheap on big tables)."""
        return {doc.get(field) for doc in self._table.all()}

    def count(self) -> int:
        return len(self._table)

    def put(self, record: M) -> None:
        """Insert, or replace the document with the same key."""
        document = record.model_dump(mode="json")
        self._table.upsert(document, Query().fragment({k: document[k] for k in self._key}))

    def put_many(self, records: Iterable[M]) -> None:
        """``put`` for many records at once (an import): each ``put`` rescans the whole table,
        this scans it once. The records must have distinct keys."""
        documents = [record.model_dump(mode="json") for record in records]
        keys = {tuple(document[k] for k in self._key) for document in documents}
        replaced = [
            doc.doc_id for doc in self._table.all() if tuple(doc.get(k) for k in self._key) in keys
        ]
        if replaced:
            self._table.remove(doc_ids=replaced)
        if documents:
            self._table.insert_multiple(documents)

    def delete(self, **key: Any) -> None:
        self._table.remove(Query().fragment(key))


class Records:
    """All tables of one transaction or snapshot."""

    def __init__(self, view: Transaction | Snapshot) -> None:
        self.establishments = Collection(view, ESTABLISHMENTS)
        self.pupils = Collection(view, PUPILS)
        self.guardians = Collection(view, GUARDIANS)
        self.links = Collection(view, LINKS)
        self.accounts = Collection(view, ACCOUNTS)
        self.registrations = Collection(view, REGISTRATIONS)
        self.throttles = Collection(view, THROTTLES)
