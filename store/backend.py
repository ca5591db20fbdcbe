"""What the services need from a store, whichever holds the data (TinyDB file or PostgreSQL).

Services are written against these protocols only; ``services/container.py`` is the one place
that picks a backend. A collection's documents cross this boundary as JSON-ready dicts (what
``model_dump(mode="json")`` gives); ``store.collections`` validates them into records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol, Self

__all__ = ["JournalLike", "ReadView", "Rows", "StoreBackend", "TransactionView"]

Document = dict[str, Any]


class Rows(Protocol):
    """One collection's documents. ``key``/``fields`` match documents holding every pair."""

    def get(self, key: Mapping[str, Any]) -> Document | None: ...

    def find(self, fields: Mapping[str, Any]) -> list[Document]:
        """In insertion order; every document when ``fields`` is empty."""
        ...

    def values(self, field: str) -> set[Any]: ...

    def count(self) -> int: ...

    def upsert(self, document: Document, key: tuple[str, ...]) -> None: ...

    def replace_many(self, documents: list[Document], key: tuple[str, ...]) -> None:
        """Remove the documents with these keys, then add these (distinct keys) at the end."""
        ...

    def delete(self, key: Mapping[str, Any]) -> None: ...


class ReadView(Protocol):
    def rows(self, name: str) -> Rows: ...


class TransactionView(ReadView, Protocol):
    def audit(self, record: dict[str, Any]) -> None:
        """Kept only if the transaction commits, together with its changes."""
        ...


class JournalLike(Protocol):
    """An append-only list of records (the audit trail, the outbox)."""

    def append(self, records: Iterable[dict[str, Any]]) -> None: ...

    def read(self) -> list[dict[str, Any]]: ...


class StoreBackend(Protocol):
    @property
    def audit_log(self) -> JournalLike: ...

    @property
    def outbox(self) -> JournalLike: ...

    def open(self) -> Self:
        """Create, upgrade or refuse (``StoreError``) the data. Idempotent."""
        ...

    def reset(self) -> None: ...

    def secret_key(self) -> bytes: ...

    def adopt_secret_key(self, key: bytes) -> None:
        """Replace the secret key with another store's (a copy of its data keeps its hashes)."""
        ...

    def snapshot(self) -> ReadView: ...

    def transaction(self) -> AbstractContextManager[TransactionView]:
        """One service operation: everything it writes, or (on an exception) nothing."""
        ...
