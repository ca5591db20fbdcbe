"""A TinyDB table behind the ``Rows`` protocol: the file store's queries, unchanged."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tinydb import Query
from tinydb.table import Table

from store.backend import Document

__all__ = ["TinyRows"]


class TinyRows:
    def __init__(self, table: Table) -> None:
        self._table = table

    def get(self, key: Mapping[str, Any]) -> Document | None:
        found = self._table.get(Query().fragment(dict(key)))
        return None if found is None else dict(found)

    def find(self, fields: Mapping[str, Any]) -> list[Document]:
        docs = self._table.search(Query().fragment(dict(fields))) if fields else self._table.all()
        return [dict(doc) for doc in docs]

    def values(self, field: str) -> set[Any]:
        return {doc.get(field) for doc in self._table.all()}

    def count(self) -> int:
        return len(self._table)

    def upsert(self, document: Document, key: tuple[str, ...]) -> None:
        self._table.upsert(document, Query().fragment({k: document[k] for k in key}))

    def replace_many(self, documents: list[Document], key: tuple[str, ...]) -> None:
        # One scan of the table for the whole batch: an upsert per document rescans it each time.
        keys = {tuple(document[k] for k in key) for document in documents}
        replaced = [
            doc.doc_id for doc in self._table.all() if tuple(doc.get(k) for k in key) in keys
        ]
        if replaced:
            self._table.remove(doc_ids=replaced)
        if documents:
            self._table.insert_multiple(documents)

    def delete(self, key: Mapping[str, Any]) -> None:
        self._table.remove(Query().fragment(dict(key)))
