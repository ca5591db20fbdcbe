"""Append-only JSON Lines files kept beside the main document.

The audit trail and the message outbox grow forever; inside the TinyDB document they would make
every transaction rewrite them. Here each record is one line appended with ``O_APPEND`` and
fsynced, and a reader only reads what was appended since it last looked.

A process killed in the middle of an append leaves a torn last line. The next append removes
it first (under an exclusive lock on the journal, so it is never another writer's line in
progress): appended after it, a record would be glued to the fragment and lost with it. What
the torn line held is not lost for the audit trail: the data file keeps its transaction's
batch until it is found whole in the journal (``store.database``).
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from store.access import (
    open_side_file,
    read_all,
    refuse_dangling_link,
    refuse_not_regular,
    refusing_os_errors,
)
from store.errors import DamagedFileError

__all__ = ["Journal"]

_PROBE = 256


class Journal:
    """One JSON Lines file. Appends are whole lines; a torn last line is ignored until complete.

    A complete line that is not a JSON object is damage: ``read`` refuses the journal with
    ``DamagedFileError`` naming the line, and never rewrites it."""

    def __init__(self, path: Path, *, data_file: Path | None = None) -> None:
        self.path = path
        # A journal created beside a data file takes its owner, group and mode.
        self._data_file = data_file
        self._guard = threading.Lock()
        self._identity: tuple[int, int] | None = None
        self._offset = 0
        self._lines = 0
        self._records: list[dict[str, Any]] = []
        # The first and the last bytes already read. A cleared journal recreated by another
        # process often gets the same inode number back (ext4 reuses them at once), so the
        # identity alone cannot tell that the file was replaced: its content must match too.
        self._head = b""
        self._tail = b""

    def append(self, records: Iterable[dict[str, Any]]) -> None:
        payload = "".join(
            json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
            for record in records
        ).encode("utf-8")
        if not payload:
            return
        fd = open_side_file(self.path, os.O_RDWR | os.O_APPEND, self._data_file)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            _drop_torn_line(fd)
            # One write() call per batch: O_APPEND keeps concurrent writers' lines whole.
            os.write(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)

    def holds(self, marker: bytes, window: int = 1 << 20) -> bool:
        """Whether ``marker`` is in one of the whole lines of the journal's last ``window``
        bytes (a commit id: its batch was the last thing appended, or nearly)."""
        with refusing_os_errors(self.path):
            opened = self._open()
            if opened is None:
                return False
            fd, info = opened
            try:
                # From the end backwards: the batch looked for is almost always the last one.
                end = info.st_size
                tail = b""
                while end > max(0, info.st_size - window):
                    start = max(0, end - 65536)
                    chunk = os.pread(fd, end - start, start)
                    # A torn last line does not count: its batch is not whole there.
                    tail = (
                        chunk + tail
                        if tail or end < info.st_size
                        else chunk[: chunk.rfind(b"\n") + 1]
                    )
                    if marker in tail:
                        return True
                    end = start
            finally:
                os.close(fd)
        return False

    def read(self) -> list[dict[str, Any]]:
        """Every complete record, oldest first. Unchanged file: two small reads, no parsing."""
        with self._guard, refusing_os_errors(self.path):
            opened = self._open()
            if opened is None:
                self._forget(None)
                return []
            fd, info = opened
            try:
                identity = (info.st_dev, info.st_ino)
                if (
                    identity != self._identity
                    or info.st_size < self._offset
                    or not self._same_start(fd)
                ):
                    self._forget(identity)
                if info.st_size == self._offset:
                    return list(self._records)
                os.lseek(fd, self._offset, os.SEEK_SET)
                chunk = read_all(fd, info.st_size - self._offset)
            finally:
                os.close(fd)
            complete = chunk[: chunk.rfind(b"\n") + 1]
            # All parsed before anything is kept: a refused journal is read again next time.
            self._records.extend(list(self._records_in(complete, self._lines + 1)))
            if complete:
                if not self._head:
                    self._head = complete[:_PROBE]
                self._tail = (self._tail + complete)[-_PROBE:]
            self._offset += len(complete)
            self._lines += complete.count(b"\n")
            return list(self._records)

    def check(self) -> None:
        """Refuse the journal as ``read`` would, without keeping its records: the store checks
        both journals when it opens, and most sessions never read them (the audit journal
        grows for ever)."""
        with self._guard, refusing_os_errors(self.path):
            opened = self._open()
            if opened is None:
                return
            fd, info = opened
            try:
                chunk = read_all(fd, info.st_size)
            finally:
                os.close(fd)
        for _ in self._records_in(chunk[: chunk.rfind(b"\n") + 1], 1):
            pass

    def clear(self) -> None:
        with self._guard:
            self.path.unlink(missing_ok=True)
            self._forget(None)

    def _open(self) -> tuple[int, os.stat_result] | None:
        """The journal open for reading, or ``None`` when there is none yet."""
        try:
            # O_NONBLOCK: a pipe in the journal's place is refused instead of waited on.
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        except FileNotFoundError:
            refuse_dangling_link(self.path)
            # No journal yet; or another process has just created it, after this read began:
            # the read comes before that process's first line.
            return None
        try:
            info = os.fstat(fd)
            refuse_not_regular(self.path, info)
        except BaseException:
            os.close(fd)
            raise
        return fd, info

    def _forget(self, identity: tuple[int, int] | None) -> None:
        """Start again from the first line (of the file now at ``identity``)."""
        self._identity, self._offset, self._lines, self._records = identity, 0, 0, []
        self._head = self._tail = b""

    def _records_in(self, complete: bytes, first: int) -> Iterator[dict[str, Any]]:
        """The records of whole lines, the first numbered ``first``; ``DamagedFileError`` at
        the first line that is not a JSON object."""
        # split, not splitlines: a line ends at b"\n" only, as ``_lines`` counts them.
        for number, line in enumerate(complete.split(b"\n")[:-1], start=first):
            try:
                record = json.loads(line)
            except (ValueError, RecursionError):
                record = None
            if not isinstance(record, dict):
                raise DamagedFileError(self.path, f"la ligne {number} n'est pas un enregistrement")
            yield record

    def _same_start(self, fd: int) -> bool:
        """Whether the file still begins with the bytes this reader has already consumed."""
        if not self._offset:
            return True
        return os.pread(fd, len(self._head), 0) == self._head and (
            os.pread(fd, len(self._tail), self._offset - len(self._tail)) == self._tail
        )


def _drop_torn_line(fd: int) -> None:
    """Cut the journal after its last whole line (only a killed writer leaves one unfinished:
    every writer holds the journal's lock until its line is written)."""
    size = os.fstat(fd).st_size
    if not size or os.pread(fd, 1, size - 1) == b"\n":
        return
    end = size
    while end > 0:
        start = max(0, end - 65536)
        chunk = os.pread(fd, end - start, start)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            os.ftruncate(fd, start + newline + 1)
            return
        end = start
    os.ftruncate(fd, 0)
