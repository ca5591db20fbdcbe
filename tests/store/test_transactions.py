"""One transaction = one lock, one read, one atomic write; snapshots served from memory."""

from __future__ import annotations

import fcntl
import json
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import store.database
from store import SCHEMA_VERSION, Records, Store, StoreLockTimeout
from tests.store._workers import guardian

OLD_MTIME_NS = 1_600_000_000_000_000_000


class CallCounter:
    """Wraps a function and counts the calls that concern one path (or all calls)."""

    def __init__(self, function: Callable[..., Any], path: Path | None = None) -> None:
        self.function = function
        self.path = path
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.path is None or any(str(arg) == str(self.path) for arg in args):
            self.calls += 1
        return self.function(*args, **kwargs)


def side_files(folder: Path) -> set[str]:
    return {entry.name for entry in folder.iterdir()}


def stored_guardian_ids(db_path: Path) -> set[str]:
    return {g.id for g in Records(Store(db_path).open().snapshot()).guardians.all()}


class TestTransactionCommit:
    def test_many_changes_are_one_read_and_one_write(
        self, store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Several inserts, an update and a delete in one transaction parse the file once and
        replace it once: a service operation is one read-modify-write, not one per change."""
        replaces = CallCounter(os.replace, db_path)
        parses = CallCounter(json.loads)
        monkeypatch.setattr(os, "replace", replaces)
        monkeypatch.setattr(json, "loads", parses)
        with store.transaction() as tx:
            records = Records(tx)
            for number in range(3):
                records.guardians.put(guardian(f"{number}", number))
            records.guardians.put(guardian("1", 1, prenom="Jeanne"))
            records.guardians.delete(id="R2")
        assert (replaces.calls, parses.calls) == (1, 1)
        monkeypatch.undo()
        stored = {g.id: g.prenom for g in Records(Store(db_path).open().snapshot()).guardians.all()}
        assert stored == {"R0": "Jean", "R1": "Jeanne"}

    def test_queued_audit_is_appended_on_commit(self, store: Store) -> None:
        """`tx.audit()` records reach the audit journal once the transaction commits."""
        with store.transaction() as tx:
            tx.audit({"event": "one"})
            tx.audit({"event": "two"})
        assert [r["event"] for r in store.audit_log.read()] == ["one", "two"]

    def test_audit_lost_after_the_commit_is_appended_by_the_next_opening(
        self, store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A process killed between the data file's replace and the journal's append: the
        change is committed, and its audit lines reach the journal at the next opening, once."""

        def killed(records: object) -> None:
            raise SystemExit("tué avant l'ajout au journal")

        with pytest.raises(SystemExit), monkeypatch.context() as patched:
            patched.setattr(store.audit_log, "append", killed)
            with store.transaction() as tx:
                Records(tx).guardians.put(guardian("1", 1))
                tx.audit({"event": "one"})
        assert store.audit_log.read() == []
        again = Store(db_path).open()
        Store(db_path).open()
        assert [r["event"] for r in again.audit_log.read()] == ["one"]
        assert stored_guardian_ids(db_path) == {"R1"}

    def test_audit_lost_after_the_commit_is_appended_before_the_next_batch(
        self, store: Store, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The next transaction of a running process appends the lost batch first: the
        journal keeps the order of the commits."""
        with pytest.raises(SystemExit), monkeypatch.context() as patched:
            patched.setattr(store.audit_log, "append", lambda records: sys.exit(1))
            with store.transaction() as tx:
                tx.audit({"event": "one"})
        other = Store(store.path)
        with other.transaction() as tx:
            tx.audit({"event": "two"})
        with store.transaction() as tx:
            tx.audit({"event": "three"})
        assert [r["event"] for r in store.audit_log.read()] == ["one", "two", "three"]

    def test_a_transaction_reads_what_another_store_object_wrote(
        self, store: Store, db_path: Path
    ) -> None:
        """Transactions always read the file, never a cached copy: a write made through another
        `Store` object (another process) is never lost by the next transaction here."""
        with store.transaction() as tx:
            Records(tx).guardians.put(guardian("A", 1))
        with Store(db_path).open().transaction() as tx:
            Records(tx).guardians.put(guardian("B", 2))
        with store.transaction() as tx:
            Records(tx).guardians.put(guardian("C", 3))
        assert stored_guardian_ids(db_path) == {"RA", "RB", "RC"}


class TestTransactionRollback:
    def test_exception_inside_writes_nothing(self, store: Store, db_path: Path) -> None:
        """An exception inside a transaction leaves the file byte for byte and its mtime as they
        were, appends nothing to the audit journal, and reaches the caller unchanged."""
        with store.transaction() as tx:
            Records(tx).guardians.put(guardian("A", 1))
        os.utime(db_path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
        before = db_path.read_bytes()
        audit_before = store.audit_log.path.read_bytes() if store.audit_log.path.exists() else b""
        failure = ValueError("boom")
        with pytest.raises(ValueError) as raised, store.transaction() as tx:
            Records(tx).guardians.put(guardian("B", 2))
            Records(tx).guardians.delete(id="RA")
            tx.audit({"event": "should_not_appear"})
            raise failure
        assert raised.value is failure
        assert db_path.read_bytes() == before
        assert db_path.stat().st_mtime_ns == OLD_MTIME_NS
        audit_after = store.audit_log.path.read_bytes() if store.audit_log.path.exists() else b""
        assert audit_after == audit_before

    def test_rolled_back_changes_do_not_leak_into_snapshots(self, store: Store) -> None:
        """After a rollback, reads show the committed state, not the abandoned changes."""
        with store.transaction() as tx:
            Records(tx).guardians.put(guardian("A", 1))
        with pytest.raises(RuntimeError), store.transaction() as tx:
            Records(tx).guardians.put(guardian("B", 2))
            raise RuntimeError("abandon")
        assert {g.id for g in Records(store.snapshot()).guardians.all()} == {"RA"}

    def test_the_lock_is_released_after_a_rollback(self, store: Store, db_path: Path) -> None:
        """A failed transaction does not leave the file locked for the other sessions."""
        with pytest.raises(RuntimeError), store.transaction():
            raise RuntimeError("abandon")
        with Store(db_path, lock_timeout=0.5).open().transaction() as tx:
            Records(tx).guardians.put(guardian("A", 1))
        assert stored_guardian_ids(db_path) == {"RA"}


class TestLocking:
    def test_busy_file_times_out_with_a_french_message(self, store: Store, db_path: Path) -> None:
        """While another session holds the lock, a transaction gives up after its timeout with
        « occupé par une autre session » and writes nothing."""
        before = db_path.read_bytes()
        holder = os.open(store.lock_path, os.O_RDWR)
        try:
            fcntl.flock(holder, fcntl.LOCK_EX)
            with (
                pytest.raises(StoreLockTimeout) as raised,
                Store(db_path, lock_timeout=0.05).transaction(),
            ):
                pass
        finally:
            os.close(holder)
        assert "occupé par une autre session" in raised.value.message
        assert db_path.read_bytes() == before

    def test_nested_transaction_fails_at_once(self, db_path: Path) -> None:
        """A transaction opened inside another one in the same thread is refused immediately
        (not after the lock timeout with a misleading « occupé »), and the outer transaction
        still commits its own changes."""
        store = Store(db_path, lock_timeout=30).open()
        with store.transaction() as tx:
            Records(tx).guardians.put(guardian("A", 1))
            with pytest.raises(RuntimeError, match="nested"), store.transaction():
                pass
        assert stored_guardian_ids(db_path) == {"RA"}

    def test_threads_of_one_process_take_turns(self, store: Store, db_path: Path) -> None:
        """Eight threads sharing one `Store` each commit 10 transactions: none waits for itself,
        none is lost."""

        def insert(worker: int) -> None:
            for index in range(10):
                with store.transaction() as tx:
                    Records(tx).guardians.put(guardian(f"{worker}-{index}", worker * 100 + index))

        threads = [threading.Thread(target=insert, args=(worker,)) for worker in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(stored_guardian_ids(db_path)) == 80


class TestSnapshotCache:
    def test_unchanged_file_is_not_parsed_again(
        self, store: Store, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Repeated reads of an unchanged file cost no parsing at all (screens poll the store)."""
        store.snapshot()
        parses = CallCounter(json.loads)
        monkeypatch.setattr(json, "loads", parses)
        for _ in range(5):
            Records(store.snapshot()).guardians.count()
        assert parses.calls == 0

    def test_own_commit_is_served_without_parsing(
        self, store: Store, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """After a commit, this process's next read shows the new data without re-reading the
        file it has just written."""
        with store.transaction() as tx:
            Records(tx).guardians.put(guardian("A", 1))
        parses = CallCounter(json.loads)
        monkeypatch.setattr(json, "loads", parses)
        assert [g.id for g in Records(store.snapshot()).guardians.all()] == ["RA"]
        assert parses.calls == 0

    def test_replaced_file_is_read_again(self, store: Store, db_path: Path) -> None:
        """A change committed by another `Store` object is seen by the next read here, even when
        the new file has exactly the same size as the cached one."""
        with store.transaction() as tx:
            Records(tx).guardians.put(guardian("A", 1, prenom="Jean"))
        assert Records(store.snapshot()).guardians.get(id="RA") is not None
        size = db_path.stat().st_size
        with Store(db_path).open().transaction() as tx:
            Records(tx).guardians.put(guardian("A", 1, prenom="Joan"))
        assert db_path.stat().st_size == size
        seen = Records(store.snapshot()).guardians.get(id="RA")
        assert seen is not None and seen.prenom == "Joan"

    def test_write_by_another_process_is_read(self, store: Store, db_path: Path) -> None:
        """A real second process commits; this process's cached read notices and re-reads."""
        assert Records(store.snapshot()).guardians.count() == 0
        script = (
            "import sys; from pathlib import Path; from store import Records, Store; "
            "from tests.store._workers import guardian; "
            "s = Store(Path(sys.argv[1])).open()\n"
            "with s.transaction() as tx: Records(tx).guardians.put(guardian('X', 9))"
        )
        subprocess.run(
            [sys.executable, "-c", script, str(db_path)],
            check=True,
            cwd=Path(__file__).parents[2],
            timeout=60,
        )
        assert [g.id for g in Records(store.snapshot()).guardians.all()] == ["RX"]


class TestSchemaVersion:
    def test_new_file_carries_format_and_schema_version(self, store: Store, db_path: Path) -> None:
        """A new file says what it is and which schema it follows, so a later version can
        migrate it and an older one can refuse it."""
        with store.transaction() as tx:
            Records(tx).guardians.put(guardian("A", 1))
        meta = json.loads(db_path.read_bytes())["_meta"]
        assert meta == {"1": {"format": "educonnect-tui", "schema": SCHEMA_VERSION}}

    def test_older_file_is_migrated_once_on_open(
        self, db_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Opening a file one schema behind runs the migration and stamps the new version;
        opening it again does not migrate twice."""
        Store(db_path).open()
        runs: list[int] = []

        def add_table(data: dict[str, Any]) -> None:
            runs.append(1)
            # A table today's models know: the migrated file is checked against them.
            data["throttles"] = {}

        monkeypatch.setattr(store.database, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
        monkeypatch.setattr(store.database, "MIGRATIONS", {SCHEMA_VERSION: add_table})
        Store(db_path).open()
        Store(db_path).open()
        document = json.loads(db_path.read_bytes())
        assert document["_meta"]["1"]["schema"] == SCHEMA_VERSION + 1
        assert "throttles" in document
        assert runs == [1]

    def test_open_is_idempotent(self, store: Store, db_path: Path) -> None:
        """Opening an existing current file changes nothing on disk (not even its mtime)."""
        with store.transaction() as tx:
            Records(tx).guardians.put(guardian("A", 1))
        os.utime(db_path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
        before = db_path.read_bytes()
        Store(db_path).open()
        assert db_path.read_bytes() == before
        assert db_path.stat().st_mtime_ns == OLD_MTIME_NS


class TestSideFiles:
    def test_key_file_is_private(self, store: Store) -> None:
        """The key of the code hashes is readable by its owner only (mode 0600), 32 random
        bytes, and kept across openings (codes sent earlier stay checkable)."""
        key = store.secret_key()
        assert stat.S_IMODE(store.key_path.stat().st_mode) == 0o600
        assert len(key) == 32
        assert Store(store.path).open().secret_key() == key

    def test_data_file_is_private(self, store: Store, db_path: Path) -> None:
        """The data file (names, phones, password hashes) is not readable by other users."""
        with store.transaction() as tx:
            Records(tx).guardians.put(guardian("A", 1))
        assert stat.S_IMODE(db_path.stat().st_mode) == 0o600

    def test_no_temporary_file_is_left_behind(self, store: Store, tmp_path: Path) -> None:
        """Committed and rolled-back transactions leave only the data file and its known side
        files in the folder."""
        for number in range(3):
            with store.transaction() as tx:
                Records(tx).guardians.put(guardian(f"{number}", number))
                tx.audit({"event": "inserted"})
        with pytest.raises(RuntimeError), store.transaction():
            raise RuntimeError("abandon")
        assert side_files(tmp_path) == {
            "educonnect.json",
            "educonnect.json.lock",
            "educonnect.json.key",
            "educonnect.json.audit.jsonl",
        }

    def test_open_removes_temp_files_of_a_killed_writer(self, store: Store, tmp_path: Path) -> None:
        """A writer killed between writing its temp file and renaming it (a dropped SSH session)
        leaves a full copy of the data behind; the next opening removes it."""
        leftover = tmp_path / ".educonnect.json.k1ll3d.tmp"
        leftover.write_bytes(b'{"half": ')
        Store(store.path).open()
        assert not leftover.exists()
        assert "educonnect.json" in side_files(tmp_path)
