"""The TinyDB file, made safe for several processes sharing it (one per SSH session).

Every change is one transaction: an exclusive lock on a side ``.lock`` file, one read of the
JSON file, TinyDB operations on that in-memory copy, one atomic write (temp file in the same
folder, fsync, ``os.replace``, fsync of the folder). An exception inside the transaction writes
nothing. Plain reads take no lock (``os.replace`` means a reader sees the old file or the new
one) and are served from memory while the file's identity, size and mtime are unchanged.

The audit lines of a transaction commit with its change: the written document carries them
(table ``_pending``: the batch and its commit id, which each of its lines also carries) and
they are appended to the audit journal after the ``os.replace``. A process killed between the
two leaves the batch in the document only; the next transaction (or the next opening) finds
that its commit id is not in the journal and appends it then, before anything else.
"""

from __future__ import annotations

import errno
import fcntl
import glob
import json
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from store.access import (
    copy_access,
    open_side_file,
    read_regular,
    refuse_dangling_link,
    refuse_not_regular,
    refuse_read_only,
    refusing_os_errors,
    stat_or_none,
)
from store.errors import (
    CorruptStoreError,
    DamagedFileError,
    ForeignStoreError,
    NewerStoreError,
    StoreLockTimeout,
)
from store.file_rows import TinyRows
from store.journal import Journal
from store.schema import META_TABLE, PENDING_TABLE, validate_tables

__all__ = ["SCHEMA_VERSION", "Snapshot", "Store", "Transaction"]

FORMAT_NAME = "educonnect-tui"
# 2: the ``_pending`` table (the last transaction's audit batch).
SCHEMA_VERSION = 2
KEY_SIZE = 32
# Temp files are ".<name>.<random>.tmp" beside the data file, so a leftover one is recognisable.
TEMP_SUFFIX = ".tmp"

Data = dict[str, Any]
FileKey = tuple[int, int, int, int]

# Upgrades from version N to N+1, applied in one transaction when an older file is opened.
# The file is checked against today's models after migrating and before it is written.
MIGRATIONS: dict[int, Callable[[Data], None]] = {
    # Version 2 only adds a table that a version 1 file does not need.
    1: lambda data: None,
}


class _MemoryStorage(Storage):
    """Hands TinyDB one in-memory document; nothing touches the disk from here."""

    def __init__(self, data: Data, writable: bool) -> None:
        self._data = data
        self._writable = writable

    def read(self) -> Data:
        return self._data

    def write(self, data: Data) -> None:
        if not self._writable:
            raise RuntimeError("écriture hors transaction")
        self._data = data


def _tinydb(storage: _MemoryStorage) -> TinyDB:
    return TinyDB(storage=lambda: storage)


class Transaction:
    """What a service sees inside ``Store.transaction()``."""

    def __init__(self, db: TinyDB, storage: _MemoryStorage) -> None:
        self.db = db
        self._storage = storage
        self.pending_audit: list[dict[str, Any]] = []

    def table(self, name: str) -> Table:
        # TinyDB's query cache is per process: shared by several processes it serves stale data.
        return self.db.table(name, cache_size=0)

    def rows(self, name: str) -> TinyRows:
        return TinyRows(self.table(name))

    @property
    def data(self) -> Data:
        """The whole document as the transaction left it."""
        return self._storage.read()

    def audit(self, record: dict[str, Any]) -> None:
        """Queued; appended to the audit journal only if the transaction commits."""
        self.pending_audit.append(record)


class Snapshot:
    """A read-only view of the file as it was when read."""

    def __init__(self, db: TinyDB) -> None:
        self.db = db

    def table(self, name: str) -> Table:
        return self.db.table(name, cache_size=0)

    def rows(self, name: str) -> TinyRows:
        return TinyRows(self.table(name))


class Store:
    """One data file and its side files (``.lock``, ``.key``, audit and outbox journals)."""

    def __init__(self, path: Path, *, lock_timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.key_path = self.path.with_name(self.path.name + ".key")
        self.audit_log = Journal(
            self.path.with_name(self.path.name + ".audit.jsonl"), data_file=self.path
        )
        self.outbox = Journal(
            self.path.with_name(self.path.name + ".outbox.jsonl"), data_file=self.path
        )
        self._lock_timeout = lock_timeout
        self._thread_lock = threading.Lock()
        self._holder = threading.local()
        self._cache_guard = threading.Lock()
        self._cache: tuple[FileKey, Data] | None = None
        # The last audit batch known to be in the journal: not looked for again.
        self._confirmed: str | None = None

    # -- opening -------------------------------------------------------------------------

    def open(self) -> Store:
        """Create the file if missing, migrate an older one, refuse anything else (a damaged
        record, key or journal, a file the system refuses). Idempotent."""
        with refusing_os_errors(self.path):
            _make_folder(self.path.parent)
            # Checked before the lock: a refused file gets no lock, key or journal beside it.
            if _exists(self.path):
                self._current()
            self.audit_log.check()
            self.outbox.check()
            with self._locked():
                self._remove_stale_temp_files()
                if _exists(self.path):
                    self._replay_pending(self._current())
                # Before the data file is created: a damaged key refuses a new store too.
                # Not read: the key stays private to the account that made it (0600), and
                # the school's import runs under another one (docs/deployment.md).
                has_key = _exists(self.key_path)
                if has_key:
                    with refusing_os_errors(self.key_path):
                        self._check_key(os.stat(self.key_path))
                if not _exists(self.path):
                    self._write(_empty_document())
                else:
                    version = self._current()[META_TABLE]["1"]["schema"]
                    if version < SCHEMA_VERSION:
                        data = self._load_from_disk()
                        for step in range(version, SCHEMA_VERSION):
                            MIGRATIONS[step](data)
                        data[META_TABLE]["1"]["schema"] = SCHEMA_VERSION
                        validate_tables(self.path, data)
                        self._write(data)
                if not has_key:
                    self._create_key()
        return self

    def reset(self) -> None:
        """Replace everything with an empty store (demo data is rebuilt this way)."""
        _make_folder(self.path.parent)
        with self._locked():
            self._write(_empty_document())
            self.audit_log.clear()
            self.outbox.clear()
            if not _exists(self.key_path):
                self._create_key()

    def secret_key(self) -> bytes:
        """The key for the keyed hashes of codes; kept out of the JSON file, mode 0600."""
        with refusing_os_errors(self.key_path):
            info, key = read_regular(self.key_path)
        self._check_key(info)
        return key

    def adopt_secret_key(self, key: bytes) -> None:
        """Take another store's key, so that the codes and FranceConnect links copied from it
        stay valid here. Written whole (temp file, ``os.replace``), mode 0600."""
        with self._locked():
            fd, temp_name = tempfile.mkstemp(
                prefix=f".{self.key_path.name}.", suffix=TEMP_SUFFIX, dir=self.path.parent
            )
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(key)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temp_name, self.key_path)
            except BaseException:
                Path(temp_name).unlink(missing_ok=True)
                raise
            _fsync_directory(self.path.parent)

    # -- reading and writing -------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        return Snapshot(_tinydb(_MemoryStorage(self._load_cached(), writable=False)))

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._locked():
            # Before the body runs: it may append to the outbox, which must not happen either.
            refuse_read_only(self.path, stat_or_none(self.path))
            data = self._load_from_disk()
            self._replay_pending(data)
            storage = _MemoryStorage(data, writable=True)
            tx = Transaction(_tinydb(storage), storage)
            yield tx
            document = tx.data
            commit = secrets.token_hex(8)
            batch = [{**record, "commit": commit} for record in tx.pending_audit]
            # Without audit lines the last batch stays: the document changes only as the
            # transaction changed it (a re-import that changes nothing leaves it identical).
            if batch:
                document[PENDING_TABLE] = {"1": {"commit": commit, "records": batch}}
            self._write(document)
            self.audit_log.append(batch)
            if batch:
                self._confirmed = commit

    # -- internals -----------------------------------------------------------------------

    def _replay_pending(self, data: Data) -> None:
        """Append the last transaction's audit batch if a kill kept it from the journal. Only
        with the lock held: no transaction may commit between the check and the append."""
        pending = data.get(PENDING_TABLE, {}).get("1")
        if pending is None or pending["commit"] == self._confirmed:
            return
        marker = json.dumps({"commit": pending["commit"]}, separators=(",", ":"))[1:-1]
        if not self.audit_log.holds(marker.encode()):
            self.audit_log.append(pending["records"])
        self._confirmed = pending["commit"]

    @contextmanager
    def _locked(self) -> Iterator[None]:
        # flock conflicts between two descriptors of one process: a nested transaction would
        # wait for itself until the timeout, then report a busy file. Its commit would also be
        # overwritten by the outer one. Fail at once instead.
        if getattr(self._holder, "active", False):
            raise RuntimeError("store transactions cannot be nested")
        with self._thread_lock:
            self._holder.active = True
            try:
                with self._flocked():
                    yield
            finally:
                self._holder.active = False

    @contextmanager
    def _flocked(self) -> Iterator[None]:
        # flock needs no write access: an account that may only read the lock can still lock.
        # O_NONBLOCK: a pipe in the lock's place is refused below instead of blocking here.
        with refusing_os_errors(self.lock_path):
            fd = open_side_file(self.lock_path, os.O_RDONLY | os.O_NONBLOCK, self.path)
        try:
            refuse_not_regular(self.lock_path, os.fstat(fd))
            deadline = time.monotonic() + self._lock_timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as error:
                    if error.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() > deadline:
                        raise StoreLockTimeout(self.path) from error
                    time.sleep(0.005)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _load_cached(self) -> Data:
        if not _exists(self.path):
            self.open()
        return self._current()

    def _current(self) -> Data:
        """The file as it is now: the cached copy while it is unchanged, else read (and
        checked). Not to be mutated."""
        with refusing_os_errors(self.path):
            key = _file_key(os.stat(self.path))
        with self._cache_guard:
            if self._cache is not None and self._cache[0] == key:
                return self._cache[1]
        key, data = self._read_file()
        with self._cache_guard:
            self._cache = (key, data)
        return data

    def _load_from_disk(self) -> Data:
        """A private copy for a transaction to mutate; the read cache is left alone."""
        return self._read_file()[1]

    def _read_file(self) -> tuple[FileKey, Data]:
        # Opened by path every time: another process may have replaced the file since.
        with refusing_os_errors(self.path):
            info, raw = read_regular(self.path)
        key = _file_key(info)
        data = self._parse(raw)
        with self._cache_guard:
            cached = self._cache
        # Once per version of the file, and only what changed since the cached version: it
        # was checked when read, or written by this store from records its models had built.
        if cached is None:
            validate_tables(self.path, data)
        elif cached[0] != key:
            validate_tables(self.path, data, checked=cached[1])
        return key, data

    def _parse(self, raw: bytes) -> Data:
        if not raw.strip():
            raise CorruptStoreError(self.path, "fichier vide")
        try:
            data: object = json.loads(raw)
        except (ValueError, RecursionError) as error:
            raise CorruptStoreError(self.path, "JSON invalide") from error
        tables = data if isinstance(data, dict) else {}
        meta_table = tables.get(META_TABLE)
        meta = meta_table.get("1") if isinstance(meta_table, dict) else None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
            raise ForeignStoreError(self.path)
        version = meta.get("schema")
        # bool is an int subclass: `true` is not a schema version.
        if type(version) is not int or version < 1:
            raise ForeignStoreError(self.path)
        if version > SCHEMA_VERSION:
            raise NewerStoreError(self.path, version, SCHEMA_VERSION)
        # Ours but damaged: TinyDB would fail half-way through a transaction on these.
        if not all(isinstance(table, dict) for table in tables.values()):
            raise CorruptStoreError(self.path, "structure inattendue")
        # Nothing but the format and the version: this version writes nothing else there.
        if tables[META_TABLE].keys() != {"1"} or meta.keys() != {"format", "schema"}:
            raise CorruptStoreError(self.path, "table « _meta » inattendue")
        return tables

    def _write(self, data: Data) -> None:
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        directory = self.path.parent
        existing = stat_or_none(self.path)
        refuse_read_only(self.path, existing)
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=TEMP_SUFFIX, dir=directory
        )
        try:
            with os.fdopen(fd, "wb") as handle:
                if existing is not None:
                    copy_access(handle.fileno(), existing)
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
                key = _file_key(os.fstat(handle.fileno()))
            os.replace(temp_name, self.path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        _fsync_directory(directory)
        with self._cache_guard:
            self._cache = (key, data)

    def _remove_stale_temp_files(self) -> None:
        """Temp files of writers killed before their ``os.replace`` (SIGKILL, or the SIGHUP of a
        dropped SSH session): each is a whole copy of the data. Only call with the lock held:
        every writer holds it from creating its temp file to renaming it."""
        pattern = glob.escape(f".{self.path.name}.") + "*" + TEMP_SUFFIX
        for leftover in self.path.parent.glob(pattern):
            leftover.unlink(missing_ok=True)

    def _check_key(self, info: os.stat_result) -> None:
        refuse_not_regular(self.key_path, info)
        if info.st_size != KEY_SIZE:
            # A shorter key would still hash, and silently weaken every code.
            raise DamagedFileError(
                self.key_path, f"la clé secrète fait {info.st_size} octets au lieu de {KEY_SIZE}"
            )

    def _create_key(self) -> None:
        fd = os.open(self.key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, os.urandom(KEY_SIZE))
            os.fsync(fd)
        finally:
            os.close(fd)


def _empty_document() -> Data:
    return {META_TABLE: {"1": {"format": FORMAT_NAME, "schema": SCHEMA_VERSION}}}


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as error:
        # mkdir's own error names the wrong cause: what exists there is not a folder.
        raise NotADirectoryError(errno.ENOTDIR, "", str(folder)) from error


def _exists(path: Path) -> bool:
    """Whether ``path`` is there; a symbolic link to nothing (a share not mounted) is refused
    rather than replaced by a new, empty file."""
    if stat_or_none(path) is not None:
        return True
    refuse_dangling_link(path)
    # Another process may have created it since the stat.
    return os.path.lexists(path)


def _file_key(info: os.stat_result) -> FileKey:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
