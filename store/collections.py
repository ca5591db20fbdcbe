"""Typed access to the tables: Pydantic records in, Pydantic records out.

Services use these instead of TinyDB queries or SQL, so the storage stays an implementation
detail of ``store/`` (any ``Rows`` of ``store.backend``) and every document is validated on its
way out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from store.backend import ReadView, Rows
from store.schema import (
    ACCOUNTS,
    ESTABLISHMENTS,
    GUARDIANS,
    LINKS,
    LOGIN_THROTTLES,
    PUPILS,
    REGISTRATIONS,
    START_THROTTLES,
    THROTTLES,
    TableSpec,
)

__all__ = ["Collection", "Records"]

M = TypeVar("M", bound=BaseModel)


class Collection(Generic[M]):
    def __init__(self, rows: Rows, spec: TableSpec[M]) -> None:
        self._rows = rows
        self._model = spec.model
        self._key = spec.key

    def get(self, **key: Any) -> M | None:
        found = self._rows.get(key)
        return None if found is None else self._model.model_validate(found)

    def find(self, **fields: Any) -> list[M]:
        return [self._model.model_validate(doc) for doc in self._rows.find(fields)]

    def all(self) -> list[M]:
        return self.find()

    def values(self, field: str) -> set[Any]:
        """One raw field of every document, without validating them all (cheap on big tables)."""
        return self._rows.values(field)

    def count(self) -> int:
        return self._rows.count()

    def put(self, record: M) -> None:
        """Insert, or replace the document with the same key."""
        self._rows.upsert(record.model_dump(mode="json"), self._key)

    def put_many(self, records: Iterable[M]) -> None:
        """``put`` for many records at once (an import), in one pass. The records must have
        distinct keys."""
        self._rows.replace_many([record.model_dump(mode="json") for record in records], self._key)

    def delete(self, **key: Any) -> None:
        self._rows.delete(key)


class Records:
    """All tables of one transaction or snapshot."""

    def __init__(self, view: ReadView) -> None:
        self.establishments = Collection(view.rows(ESTABLISHMENTS.name), ESTABLISHMENTS)
        self.pupils = Collection(view.rows(PUPILS.name), PUPILS)
        self.guardians = Collection(view.rows(GUARDIANS.name), GUARDIANS)
        self.links = Collection(view.rows(LINKS.name), LINKS)
        self.accounts = Collection(view.rows(ACCOUNTS.name), ACCOUNTS)
        self.registrations = Collection(view.rows(REGISTRATIONS.name), REGISTRATIONS)
        self.throttles = Collection(view.rows(THROTTLES.name), THROTTLES)
        self.login_throttles = Collection(view.rows(LOGIN_THROTTLES.name), LOGIN_THROTTLES)
        self.start_throttles = Collection(view.rows(START_THROTTLES.name), START_THROTTLES)
