"""One collection table behind the ``Rows`` protocol of ``store.backend``.

A lookup on a field that has its own column (keys, indexed fields: ``schema.TABLES``) compares
that column, so PostgreSQL answers from the index; any other field is matched inside ``doc``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from psycopg import sql
from psycopg.types.json import Jsonb

from store.backend import Document
from store.postgres.schema import TableSpec

__all__ = ["Executor", "PgRows", "Query"]

Query = sql.SQL | sql.Composed


class Executor(Protocol):
    """Runs statements on the connection of a transaction or a snapshot."""

    def fetch(self, query: Query, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def run(self, query: Query, params: Sequence[Any] = ()) -> None: ...

    def run_many(self, query: Query, params: list[Sequence[Any]]) -> None: ...


class PgRows:
    def __init__(self, executor: Executor, name: str, spec: TableSpec) -> None:
        self._executor = executor
        self._table = sql.Identifier(name)
        self._spec = spec

    def get(self, key: Mapping[str, Any]) -> Document | None:
        where, params = self._where(key)
        rows = self._executor.fetch(
            sql.SQL("SELECT doc FROM {} WHERE {} ORDER BY seq LIMIT 1").format(self._table, where),
            params,
        )
        return dict(rows[0][0]) if rows else None

    def find(self, fields: Mapping[str, Any]) -> list[Document]:
        where, params = self._where(fields)
        rows = self._executor.fetch(
            sql.SQL("SELECT doc FROM {} WHERE {} ORDER BY seq").format(self._table, where), params
        )
        return [dict(row[0]) for row in rows]

    def values(self, field: str) -> set[Any]:
        if field in self._spec.columns:
            query = sql.SQL("SELECT DISTINCT {} FROM {}").format(sql.Identifier(field), self._table)
            return {row[0] for row in self._executor.fetch(query)}
        query = sql.SQL("SELECT DISTINCT doc -> %s FROM {}").format(self._table)
        return {row[0] for row in self._executor.fetch(query, (field,))}

    def count(self) -> int:
        rows = self._executor.fetch(sql.SQL("SELECT count(*) FROM {}").format(self._table))
        return int(rows[0][0])

    def upsert(self, document: Document, key: tuple[str, ...]) -> None:
        self._check_key(key)
        columns = self._spec.columns
        updates = sql.SQL(", ").join(
            sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(name))
            for name in (*columns, "doc")
            if name not in self._spec.key
        )
        query = sql.SQL("{} ON CONFLICT ({}) DO UPDATE SET {}").format(
            self._insert(), self._names(self._spec.key), updates
        )
        self._executor.run(query, self._row(document))

    def replace_many(self, documents: list[Document], key: tuple[str, ...]) -> None:
        self._check_key(key)
        if not documents:
            return
        where, _ = self._where(dict.fromkeys(self._spec.key, ""))
        delete = sql.SQL("DELETE FROM {} WHERE {}").format(self._table, where)
        self._executor.run_many(
            delete, [[document[name] for name in self._spec.key] for document in documents]
        )
        self._executor.run_many(self._insert(), [self._row(document) for document in documents])

    def delete(self, key: Mapping[str, Any]) -> None:
        where, params = self._where(key)
        self._executor.run(sql.SQL("DELETE FROM {} WHERE {}").format(self._table, where), params)

    # -- internals -----------------------------------------------------------------------

    def _check_key(self, key: tuple[str, ...]) -> None:
        # ON CONFLICT and the deletes go by the table's primary key: it must be the
        # collection's key, or a put would replace the wrong record.
        if key != self._spec.key:
            raise ValueError(f"clé {key} différente de celle de la table {self._spec.key}")

    def _names(self, names: Sequence[str]) -> sql.Composable:
        return sql.SQL(", ").join(sql.Identifier(name) for name in names)

    def _insert(self) -> sql.Composed:
        columns = (*self._spec.columns, "doc")
        return sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            self._table,
            self._names(columns),
            sql.SQL(", ").join(sql.Placeholder() for _ in columns),
        )

    def _row(self, document: Document) -> list[Any]:
        # Every column field is text in the records (ids, enums, digests) or absent (None).
        cells: list[Any] = [
            None if document.get(name) is None else str(document[name])
            for name in self._spec.columns
        ]
        return [*cells, Jsonb(document)]

    def _where(self, fields: Mapping[str, Any]) -> tuple[sql.Composable, list[Any]]:
        """Documents holding every pair of ``fields`` (all documents when there is none)."""
        conditions: list[sql.Composable] = []
        params: list[Any] = []
        for name, value in fields.items():
            if isinstance(value, str) and "\x00" in value:
                # PostgreSQL text cannot hold NUL, and no record does (store.records refuses
                # control characters): such a value matches nothing.
                conditions.append(sql.SQL("FALSE"))
            elif name in self._spec.columns and value is None:
                conditions.append(sql.SQL("{} IS NULL").format(sql.Identifier(name)))
            elif name in self._spec.columns and isinstance(value, str):
                conditions.append(sql.SQL("{} = %s").format(sql.Identifier(name)))
                params.append(str(value))
            else:
                # The file store compares JSON values: containment does the same here.
                conditions.append(sql.SQL("doc @> %s"))
                params.append(Jsonb({name: value}))
        if not conditions:
            return sql.SQL("TRUE"), params
        return sql.SQL(" AND ").join(conditions), params
