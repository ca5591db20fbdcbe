"""The PostgreSQL store on a real server: its schema and versions, the databases it refuses,
transactions (all or nothing, serialisable, run again on conflict, no lost update between
machines), the guardian lookup through an index, and French messages when the server is busy
or gone."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from store import ReadView, Records, TransactionView
from store.errors import (
    DatabaseBusyError,
    DatabaseUnavailableError,
    ForeignStoreError,
    NewerStoreError,
    SerializationConflict,
)
from store.postgres import schema
from store.postgres.rows import PgRows, Query
from store.postgres.schema import SCHEMA_VERSION, TABLES
from store.postgres.store import PostgresStore
from store.records import Account, AccountKind, AccountStatus, Guardian
from store.retry import ATTEMPTS, retrying
from tests import _postgres
from tests._postgres import PostgresServer, blank_database, execute

CREATED = datetime(2026, 9, 7, 8, 30, tzinfo=UTC)


@pytest.fixture
def url(postgres_server: PostgresServer) -> str:
    return blank_database(postgres_server, "store_tests")


@pytest.fixture
def store(url: str) -> Iterator[PostgresStore]:
    opened = PostgresStore(url).open()
    yield opened
    opened.close()


def query(url: str, statement: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(statement).fetchall()


def store_account(store: PostgresStore) -> None:
    with store.transaction() as tx:
        Records(tx).accounts.put(
            Account(
                identifiant="s.martin1",
                kind=AccountKind.GUARDIAN,
                owner_id="R00001",
                status=AccountStatus.ACTIVE,
                created_at=CREATED,
            )
        )


def read_account(view: ReadView) -> Account:
    account = Records(view).accounts.get(identifiant="s.martin1")
    assert account is not None
    return account


def write_bumped(tx: TransactionView, account: Account) -> None:
    """One more failed login on ``account`` as it was read."""
    bumped = account.model_copy(update={"failed_logins": account.failed_logins + 1})
    Records(tx).accounts.put(bumped)


def failed_logins(store: PostgresStore) -> int:
    account = Records(store.snapshot()).accounts.get(identifiant="s.martin1")
    assert account is not None
    return account.failed_logins


def guardian(number: int, portable: str | None = None) -> Guardian:
    return Guardian(
        id=f"R{number:05d}",
        nom="Martin",
        prenom="Sophie",
        portable=portable or f"+336{number:08d}",
    )


ALL_VERSIONS = [(version,) for version in range(1, SCHEMA_VERSION + 1)]


class TestSchema:
    def test_an_empty_database_gets_the_schema_and_its_version(self, url: str) -> None:
        """Opening an empty database creates every collection table and records every version."""
        PostgresStore(url).open().close()
        tables = {row[0] for row in query(url, "SELECT tablename FROM pg_tables")}
        assert set(TABLES) | {"audit_log", "outbox", "educonnect_meta"} <= tables
        assert query(url, "SELECT version FROM educonnect_migrations ORDER BY 1") == ALL_VERSIONS

    def test_a_version_1_database_is_upgraded_and_keeps_its_data(
        self, url: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A database made before the login and start limits gets their tables, data kept."""
        monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
        monkeypatch.setattr(schema, "SCHEMA_VERSION", 1)
        old = PostgresStore(url).open()
        with old.transaction() as tx:
            Records(tx).guardians.put(guardian(1))
        old.close()
        monkeypatch.undo()
        upgraded = PostgresStore(url).open()
        try:
            assert Records(upgraded.snapshot()).guardians.all() == [guardian(1)]
            assert Records(upgraded.snapshot()).login_throttles.count() == 0
            assert query(url, "SELECT version FROM educonnect_migrations ORDER BY 1") == (
                ALL_VERSIONS
            )
        finally:
            upgraded.close()

    def test_machines_starting_together_create_the_schema_once(self, url: str) -> None:
        """Several processes opening the new database at once: one creates the schema, the
        others find it; all share the same secret key."""
        keys: list[bytes] = []

        def start() -> None:
            opened = PostgresStore(url).open()
            keys.append(opened.secret_key())
            opened.close()

        threads = [threading.Thread(target=start) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(keys) == 4 and len(set(keys)) == 1
        assert query(url, "SELECT version FROM educonnect_migrations ORDER BY 1") == ALL_VERSIONS

    def test_reopening_changes_nothing_and_keeps_the_secret(self, store: PostgresStore) -> None:
        """A second process (or machine) opening the database finds it as it was, with the same
        secret key for the keyed hashes."""
        with store.transaction() as tx:
            Records(tx).guardians.put(guardian(1))
        again = PostgresStore(store.url).open()
        try:
            assert again.secret_key() == store.secret_key()
            assert len(store.secret_key()) == 32
            assert Records(again.snapshot()).guardians.all() == [guardian(1)]
            assert query(store.url, "SELECT count(*) FROM educonnect_migrations") == [
                (SCHEMA_VERSION,)
            ]
        finally:
            again.close()

    def test_a_newer_schema_is_refused_and_left_alone(self, store: PostgresStore) -> None:
        """A database upgraded by a newer version of the app is refused in French, unchanged."""
        newer = SCHEMA_VERSION + 1
        execute(store.url, f"INSERT INTO educonnect_migrations (version) VALUES ({newer})")
        with pytest.raises(NewerStoreError) as refused:
            PostgresStore(store.url).open()
        assert "version plus récente" in refused.value.message
        assert f"schéma {newer}" in refused.value.message
        assert query(store.url, "SELECT version FROM educonnect_migrations ORDER BY 1") == [
            *ALL_VERSIONS,
            (newer,),
        ]

    def test_a_database_of_another_application_is_refused_and_left_alone(self, url: str) -> None:
        """Tables that are not ours: refused, and no table of ours is created beside them."""
        execute(url, "CREATE TABLE eleves (id text)")
        with pytest.raises(ForeignStoreError) as refused:
            PostgresStore(url).open()
        assert "d'autres tables que celles d'ÉduConnect" in refused.value.message
        assert query(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'") == [
            ("eleves",)
        ]

    def test_tables_of_another_format_are_refused(self, store: PostgresStore) -> None:
        """Our table names holding someone else's format are not taken for ours."""
        execute(store.url, "UPDATE educonnect_meta SET value = 'autre' WHERE name = 'format'")
        with pytest.raises(ForeignStoreError):
            PostgresStore(store.url).open()


class TestTransactions:
    def test_an_error_writes_nothing(self, store: PostgresStore) -> None:
        """The record, its audit line and the message sent in a failed operation all vanish."""
        with pytest.raises(ZeroDivisionError), store.transaction() as tx:
            Records(tx).guardians.put(guardian(1))
            tx.audit({"event": "registration_started"})
            store.outbox.append([{"channel": "sms", "to": "+33600000001", "text": "code"}])
            _ = 1 / 0
        assert Records(store.snapshot()).guardians.count() == 0
        assert store.audit_log.read() == []
        assert store.outbox.read() == []

    def test_an_operation_is_one_serialisable_transaction(self, store: PostgresStore) -> None:
        with store.transaction() as tx:
            level = tx._executor.fetch(sql.SQL("SHOW transaction_isolation"))
        assert level == [("serializable",)]

    def test_change_and_audit_commit_together(self, store: PostgresStore) -> None:
        with store.transaction() as tx:
            Records(tx).guardians.put(guardian(1))
            tx.audit({"event": "school_import"})
        assert Records(store.snapshot()).guardians.get(id="R00001") == guardian(1)
        assert store.audit_log.read() == [{"event": "school_import"}]

    def test_a_message_outside_a_transaction_is_kept(self, store: PostgresStore) -> None:
        store.outbox.append([{"channel": "sms", "to": "+33600000001", "text": "rappel"}])
        assert [m["text"] for m in store.outbox.read()] == ["rappel"]

    def test_transactions_cannot_be_nested(self, store: PostgresStore) -> None:
        with store.transaction(), pytest.raises(RuntimeError), store.transaction():
            pass

    def test_a_conflict_is_run_again_and_keeps_both_changes(self, store: PostgresStore) -> None:
        """Two machines read the same account, then both write it: PostgreSQL refuses the
        second whole, and that operation, run again, builds on the first one's change."""
        store_account(store)
        other = PostgresStore(store.url).open()
        both_read = threading.Barrier(2)
        attempts: list[str] = []

        def bump(machine: PostgresStore, name: str) -> None:
            with machine.transaction() as tx:
                attempts.append(name)
                accounts = Records(tx).accounts
                account = accounts.get(identifiant="s.martin1")
                assert account is not None
                if attempts.count(name) == 1:
                    both_read.wait(timeout=10)
                accounts.put(
                    account.model_copy(update={"failed_logins": account.failed_logins + 1})
                )

        threads = [
            threading.Thread(target=retrying(bump), args=(machine, name))
            for machine, name in ((store, "a"), (other, "b"))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        other.close()
        assert failed_logins(store) == 2
        assert sorted(attempts) in (["a", "a", "b"], ["a", "b", "b"])

    def test_past_the_last_try_the_conflict_is_said_in_french(self, store: PostgresStore) -> None:
        calls: list[int] = []

        def always_conflicting() -> None:
            calls.append(1)
            raise SerializationConflict(store.location)

        with pytest.raises(DatabaseBusyError) as refused:
            retrying(always_conflicting)()
        assert len(calls) == ATTEMPTS
        assert "occupée" in refused.value.message

    def test_two_machines_lose_no_update(self, store: PostgresStore) -> None:
        """Read-modify-write of one account from two stores (two front machines), each with
        several threads, every operation retried on conflict: every increment is kept."""
        store_account(store)
        machines = [store, PostgresStore(store.url).open()]

        @retrying
        def bump_once(machine: PostgresStore) -> None:
            with machine.transaction() as tx:
                accounts = Records(tx).accounts
                account = accounts.get(identifiant="s.martin1")
                assert account is not None
                accounts.put(
                    account.model_copy(update={"failed_logins": account.failed_logins + 1})
                )

        def bump(machine: PostgresStore) -> None:
            for _ in range(10):
                bump_once(machine)

        threads = [threading.Thread(target=bump, args=(m,)) for m in machines for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        machines[1].close()
        assert failed_logins(store) == 40

    def test_a_busy_database_is_refused_in_french(self, store: PostgresStore) -> None:
        """A record held by another session past the wait: a French « réessayez », nothing
        written."""
        with store.transaction() as tx:
            Records(tx).guardians.put(guardian(1))
        impatient = PostgresStore(store.url, lock_timeout=0.1).open()
        with psycopg.connect(store.url) as other:
            other.execute("SELECT * FROM guardians WHERE id = 'R00001' FOR UPDATE")
            with pytest.raises(DatabaseBusyError) as refused, impatient.transaction() as tx:
                Records(tx).guardians.put(guardian(1, portable="+33699999999"))
        impatient.close()
        assert "occupée" in refused.value.message and "Réessayez" in refused.value.message
        assert Records(store.snapshot()).guardians.all() == [guardian(1)]


class _Explain:
    """Runs each query PgRows makes as EXPLAIN, and keeps the plans."""

    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        self._conn = conn
        self.plans: list[str] = []

    def fetch(self, query: Query, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        rows = self._conn.execute(sql.SQL("EXPLAIN ") + query, params).fetchall()
        self.plans.append("\n".join(str(row[0]) for row in rows))
        return []

    def run(self, query: Query, params: Sequence[Any] = ()) -> None:
        raise AssertionError("lecture seulement")

    def run_many(self, query: Query, params: list[Sequence[Any]]) -> None:
        raise AssertionError("lecture seulement")


class TestLookups:
    def test_the_guardian_match_is_an_index_lookup(self, store: PostgresStore) -> None:
        """Among thousands of guardians, the match by mobile (then names) reads the index."""
        with store.transaction() as tx:
            Records(tx).guardians.put_many(guardian(number) for number in range(5000))
        execute(store.url, "ANALYZE guardians")
        with psycopg.connect(store.url, autocommit=True) as conn:
            explain = _Explain(conn)
            PgRows(explain, "guardians", TABLES["guardians"]).find({"portable": "+33600000042"})
        assert "guardians_portable" in explain.plans[0], explain.plans[0]
        assert "Seq Scan" not in explain.plans[0]

    def test_find_keeps_insertion_order_like_the_file(self, store: PostgresStore) -> None:
        with store.transaction() as tx:
            guardians = Records(tx).guardians
            for number in (3, 1, 2):
                guardians.put(guardian(number, portable="+33611111111"))
            guardians.put(guardian(3, portable="+33611111111"))
        found = Records(store.snapshot()).guardians.find(portable="+33611111111")
        assert [g.id for g in found] == ["R00003", "R00001", "R00002"]

    def test_reset_empties_everything_but_keeps_the_secret(self, store: PostgresStore) -> None:
        key = store.secret_key()
        with store.transaction() as tx:
            Records(tx).guardians.put(guardian(1))
            tx.audit({"event": "x"})
        store.reset()
        assert Records(store.snapshot()).guardians.count() == 0
        assert store.audit_log.read() == []
        again = PostgresStore(store.url).open()
        assert again.secret_key() == key
        again.close()


class TestConnection:
    def test_a_lost_connection_is_reported_in_french_then_reopened(
        self, store: PostgresStore
    ) -> None:
        """The server ends the session (restart, failover): one French refusal, then the next
        operation works on a new connection."""
        with store.transaction() as tx:
            Records(tx).guardians.put(guardian(1))
        query(
            store.url,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = 'educonnect-tui' AND datname = 'store_tests'",
        )
        with pytest.raises(DatabaseUnavailableError) as refused:
            Records(store.snapshot()).guardians.count()
        assert "ne répond pas" in refused.value.message
        assert Records(store.snapshot()).guardians.count() == 1

    def test_no_server_is_reported_in_french(self, tmp_path: Path) -> None:
        """Nothing listening where the URL points: a French refusal naming the database, never
        its password."""
        url = f"postgresql://postgres:motdepasse@/educonnect?host={tmp_path}&port=5432"
        with pytest.raises(DatabaseUnavailableError) as refused:
            PostgresStore(url).open()
        assert "« educonnect »" in refused.value.message
        assert "motdepasse" not in refused.value.message


def test_a_machine_without_the_server_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`make test` on a machine without PostgreSQL fails, naming the package (never a skip)."""
    monkeypatch.setattr(_postgres, "find_binary", lambda name: None)
    with pytest.raises(RuntimeError, match=r"apt-get install -y postgresql"):
        PostgresServer()
