"""``PostgresStore``: the ``StoreBackend`` of ``store.backend`` on a PostgreSQL database.

One connection per process (each SSH session is a process), used by one thread at a time, like
the file store's lock. Every service operation is one serialisable transaction: machines write
side by side, and when one transaction read what another changed meanwhile, PostgreSQL refuses
it whole (``SerializationConflict``); ``store.retry`` runs the operation again. Plain reads
(``snapshot()``) are one statement each on the last committed data. The audit trail and the
outbox are tables written in the transaction whose change they describe; an outbox message sent
outside a transaction is committed on its own. A lost connection is reported as
``DatabaseUnavailableError`` and reopened on the next use.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from store.errors import DatabaseBusyError, DatabaseUnavailableError, SerializationConflict
from store.paths import describe_database
from store.postgres.rows import PgRows, Query
from store.postgres.schema import JOURNALS, META, TABLES, prepare

__all__ = ["PostgresStore"]

Connection = psycopg.Connection[tuple[Any, ...]]


class _Cursor:
    """The ``Executor`` of ``store.postgres.rows`` on one open cursor."""

    def __init__(self, cursor: psycopg.Cursor[tuple[Any, ...]]) -> None:
        self._cursor = cursor

    def fetch(self, query: Query, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self._cursor.execute(query, params)
        return self._cursor.fetchall()

    def run(self, query: Query, params: Sequence[Any] = ()) -> None:
        self._cursor.execute(query, params)

    def run_many(self, query: Query, params: list[Sequence[Any]]) -> None:
        self._cursor.executemany(query, params)


class _Reads:
    """The ``Executor`` of a snapshot: each statement on its own, autocommitted; inside this
    thread's transaction, on that transaction (the connection is busy with it)."""

    def __init__(self, store: PostgresStore) -> None:
        self._store = store

    def fetch(self, query: Query, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._store.cursor() as cursor:
            return cursor.fetch(query, params)

    def run(self, query: Query, params: Sequence[Any] = ()) -> None:
        raise RuntimeError("écriture hors transaction")

    def run_many(self, query: Query, params: list[Sequence[Any]]) -> None:
        raise RuntimeError("écriture hors transaction")


class PgView:
    """A snapshot, or (with ``audit``) the transaction a service writes in."""

    def __init__(self, executor: _Cursor | _Reads) -> None:
        self._executor = executor
        self.pending_audit: list[dict[str, Any]] = []

    def rows(self, name: str) -> PgRows:
        return PgRows(self._executor, name, TABLES[name])

    def audit(self, record: dict[str, Any]) -> None:
        self.pending_audit.append(record)


class PgJournal:
    """The audit trail or the outbox: a table, appended to in the current transaction."""

    def __init__(self, store: PostgresStore, table: str) -> None:
        self._store = store
        self._table = sql.Identifier(table)

    def append(self, records: Iterable[dict[str, Any]]) -> None:
        rows: list[Sequence[Any]] = [[Jsonb(record)] for record in records]
        if not rows:
            return
        query = sql.SQL("INSERT INTO {} (doc) VALUES (%s)").format(self._table)
        with self._store.cursor() as cursor:
            cursor.run_many(query, rows)

    def read(self) -> list[dict[str, Any]]:
        query = sql.SQL("SELECT doc FROM {} ORDER BY seq").format(self._table)
        with self._store.cursor() as cursor:
            return [dict(row[0]) for row in cursor.fetch(query)]


class PostgresStore:
    def __init__(self, url: str, *, lock_timeout: float = 10.0) -> None:
        """``lock_timeout``: seconds a transaction waits for the other writers before it gives
        up (« occupée »), as the file store waits for its lock."""
        self.url = url
        self._lock_timeout_ms = max(1, round(lock_timeout * 1000))
        self.location = describe_database(url)
        self.audit_log = PgJournal(self, "audit_log")
        self.outbox = PgJournal(self, "outbox")
        self._lock = threading.Lock()
        self._local = threading.local()
        self._connection: Connection | None = None
        # Closes the connection when the store is dropped unclosed (a command's services).
        self._finalizer: weakref.finalize[[], PostgresStore] | None = None
        self._secret: bytes | None = None

    def open(self) -> PostgresStore:
        """Create the schema in an empty database, upgrade ours, refuse any other."""
        try:
            with self._session() as conn:
                self._secret = prepare(conn, self.location)
        except BaseException:
            # A refused database is left at once: the caller has no store to close.
            self.close()
            raise
        return self

    def reset(self) -> None:
        """Empty every table (demo data is rebuilt this way); the secret key stays.

        DELETE, not TRUNCATE: TRUNCATE would lock out the other machines' readers too, and
        they would see the tables empty in their ongoing snapshots."""
        with self.transaction() as tx:
            for name in (*TABLES, *JOURNALS):
                tx._executor.run(sql.SQL("DELETE FROM {}").format(sql.Identifier(name)))

    def secret_key(self) -> bytes:
        """The key of the keyed hashes of codes, kept in ``educonnect_meta`` (see ``schema``)."""
        if self._secret is None:
            self.open()
        assert self._secret is not None
        return self._secret

    def adopt_secret_key(self, key: bytes) -> None:
        with self.transaction() as tx:
            tx._executor.run(
                sql.SQL("UPDATE {} SET value = %s WHERE name = 'secret'").format(
                    sql.Identifier(META)
                ),
                (key.hex(),),
            )
        self._secret = key

    def snapshot(self) -> PgView:
        return PgView(_Reads(self))

    @contextmanager
    def transaction(self) -> Iterator[PgView]:
        if getattr(self._local, "cursor", None) is not None:
            raise RuntimeError("store transactions cannot be nested")
        with self._session() as conn, conn.transaction(), conn.cursor() as raw:
            raw.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
            view = PgView(_Cursor(raw))
            self._local.cursor = view._executor
            try:
                yield view
                self.audit_log.append(view.pending_audit)
            finally:
                self._local.cursor = None

    @contextmanager
    def cursor(self) -> Iterator[_Cursor]:
        """This thread's transaction, or an autocommitted cursor of its own."""
        current = getattr(self._local, "cursor", None)
        if current is not None:
            yield current
            return
        with self._session() as conn, conn.cursor() as raw:
            yield _Cursor(raw)

    def close(self) -> None:
        with self._lock:
            self._drop_connection()

    # -- internals -----------------------------------------------------------------------

    @contextmanager
    def _session(self) -> Iterator[Connection]:
        """The connection, for this thread alone; database failures become French refusals."""
        with self._lock:
            try:
                yield self._connect()
            except (
                psycopg.errors.SerializationFailure,
                psycopg.errors.DeadlockDetected,
            ) as error:
                raise SerializationConflict(self.location) from error
            except psycopg.errors.LockNotAvailable as error:
                raise DatabaseBusyError(self.location) from error
            except psycopg.OperationalError as error:
                # The connection may be half-dead: the next operation opens a new one.
                self._drop_connection()
                raise DatabaseUnavailableError(self.location) from error

    def _connect(self) -> Connection:
        if self._connection is not None and (self._connection.closed or self._connection.broken):
            self._drop_connection()
        if self._connection is None:
            # enable_seqscan=off: a serialisable transaction that scans a whole table locks the
            # whole table for SSI, and every other transaction writing to it is then refused
            # and run again. The planner scans small tables (registrations, throttles at the
            # start of the rentrée) although every lookup has its index; the rentrée bench
            # lost registrations to it.
            connection: Connection = psycopg.connect(
                self.url,
                autocommit=True,
                connect_timeout=10,
                application_name="educonnect-tui",
                options=f"-c lock_timeout={self._lock_timeout_ms} -c enable_seqscan=off",
            )
            self._connection = connection
            self._finalizer = weakref.finalize(self, connection.close)
        return self._connection

    def _drop_connection(self) -> None:
        if self._finalizer is not None:
            self._finalizer()
        self._connection = self._finalizer = None
