"""The data file and its side files keep who may use them; a read-only file is refused."""

from __future__ import annotations

import grp
import os
import pwd
import secrets
import stat
import subprocess
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from store import ReadOnlyStoreError, Records, Store
from tests.store._workers import guardian


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class TestModeKept:
    def test_rewrite_keeps_the_mode(self, store: Store, db_path: Path) -> None:
        """A data file shared with a group (0660) is still 0660 after a transaction rewrote it."""
        db_path.chmod(0o660)
        with store.transaction() as tx:
            Records(tx).guardians.put(guardian("A", 1))
        assert mode(db_path) == 0o660

    def test_new_side_files_follow_the_data_file(self, store: Store, db_path: Path) -> None:
        """Journals and lock created after the data file was opened up take its mode; the key,
        a secret, stays 0600."""
        db_path.chmod(0o640)
        store.lock_path.unlink()
        with store.transaction() as tx:
            tx.audit({"event": "test"})
        store.outbox.append([{"sms": "bonjour"}])
        assert mode(store.lock_path) == 0o640
        assert mode(store.audit_log.path) == 0o640
        assert mode(store.outbox.path) == 0o640
        assert mode(store.key_path) == 0o600


class TestReadOnly:
    def test_transaction_on_a_0444_file_is_refused(self, store: Store, db_path: Path) -> None:
        """A read-only data file is refused in French before the transaction's body runs (even
        for root, who could write it): same bytes, same mode, no journal line."""
        db_path.chmod(0o444)
        before = db_path.read_bytes()
        ran = False
        with (
            pytest.raises(ReadOnlyStoreError, match="lecture seule pour ce compte"),
            store.transaction() as tx,
        ):
            ran = True
            tx.audit({"event": "test"})
        assert not ran
        assert db_path.read_bytes() == before
        assert mode(db_path) == 0o444
        assert not store.audit_log.path.exists()

    def test_reset_of_a_0444_file_is_refused(self, store: Store, db_path: Path) -> None:
        """Erasing a read-only store is refused too, and its journals are kept."""
        store.outbox.append([{"sms": "bonjour"}])
        db_path.chmod(0o444)
        before = db_path.read_bytes()
        with pytest.raises(ReadOnlyStoreError):
            store.reset()
        assert db_path.read_bytes() == before
        assert store.outbox.read() == [{"sms": "bonjour"}]

    def test_a_0444_file_can_still_be_read(self, store: Store, db_path: Path) -> None:
        """Reading needs no write access: opening and reading a read-only store work."""
        with store.transaction() as tx:
            Records(tx).guardians.put(guardian("A", 1))
        db_path.chmod(0o444)
        assert Records(Store(db_path).open().snapshot()).guardians.count() == 1


@dataclass(frozen=True)
class Accounts:
    group: grp.struct_group
    importer: pwd.struct_passwd
    session: pwd.struct_passwd


@pytest.fixture
def accounts() -> Iterator[Accounts]:
    """A shared group and two accounts in it, each with its own primary group; removed after."""
    if os.geteuid() != 0:
        pytest.skip("creating the two Unix accounts of this test needs root (the CI runs as root)")
    suffix = secrets.token_hex(3)
    group, importer, session = f"ecshare{suffix}", f"ecimp{suffix}", f"ecses{suffix}"
    subprocess.run(["groupadd", group], check=True)
    try:
        for user in (importer, session):
            subprocess.run(["useradd", "-M", "-U", "-G", group, user], check=True)
        yield Accounts(grp.getgrnam(group), pwd.getpwnam(importer), pwd.getpwnam(session))
    finally:
        for user in (importer, session):
            subprocess.run(["userdel", user], check=False, capture_output=True)
            subprocess.run(["groupdel", user], check=False, capture_output=True)
        subprocess.run(["groupdel", group], check=True)


def as_account(user: pwd.struct_passwd, umask: int, action: Callable[[], None]) -> None:
    """Run ``action`` in a forked child with ``user``'s ids and ``umask``; its failure fails the
    test with the child's traceback."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        status = 0
        try:
            os.setgroups(os.getgrouplist(user.pw_name, user.pw_gid))
            os.setresgid(user.pw_gid, user.pw_gid, user.pw_gid)
            os.setresuid(user.pw_uid, user.pw_uid, user.pw_uid)
            os.umask(umask)
            action()
        except BaseException:
            os.write(write_end, traceback.format_exc().encode())
            status = 1
        os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as report:
        failure = report.read().decode()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, failure


class TestTwoAccounts:
    def test_session_account_keeps_access_after_an_import(self, accounts: Accounts) -> None:
        """The deployment of docs/deployment.md: sessions under one account, imports under
        another, in a folder of their shared group. After the importer rewrote the file, the
        session account still reads and writes it and the journals the importer created; root
        rewriting it keeps its owner too."""
        with tempfile.TemporaryDirectory(prefix="educonnect-share-") as folder:
            shared = Path(folder)
            os.chown(shared, 0, accounts.group.gr_gid)
            shared.chmod(0o770)
            path = shared / "educonnect.json"

            def session_creates() -> None:
                with Store(path).open().transaction() as tx:
                    Records(tx).guardians.put(guardian("S", 1))

            as_account(accounts.session, 0o007, session_creates)
            store = Store(path)
            # What the administrator does once (docs/deployment.md): share the file and its lock.
            for shared_file in (path, store.lock_path):
                os.chown(shared_file, -1, accounts.group.gr_gid)
                shared_file.chmod(0o660)

            def importer_rewrites() -> None:
                with Store(path).open().transaction() as tx:
                    Records(tx).guardians.put(guardian("I", 2))
                    tx.audit({"event": "import"})

            as_account(accounts.importer, 0o022, importer_rewrites)
            for side in (path, store.audit_log.path):
                assert (mode(side), side.stat().st_gid) == (0o660, accounts.group.gr_gid)

            def session_reads_and_writes() -> None:
                session_store = Store(path).open()
                assert Records(session_store.snapshot()).guardians.count() == 2
                with session_store.transaction() as tx:
                    Records(tx).guardians.put(guardian("T", 3))
                    tx.audit({"event": "session"})
                assert len(session_store.audit_log.read()) == 2

            as_account(accounts.session, 0o007, session_reads_and_writes)
            owner = path.stat().st_uid
            with store.transaction() as tx:
                Records(tx).guardians.put(guardian("R", 4))
            assert (path.stat().st_uid, mode(path)) == (owner, 0o660)
