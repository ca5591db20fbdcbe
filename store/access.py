"""Who may read and write the data file and its side files, and what the store refuses when
the system will not let it use one of them.

The deployment in ``docs/deployment.md`` shares one folder between two accounts: one imports the
school's export, the other runs the sessions. A rewrite must therefore leave the data file's mode,
owner and group as they were, and a side file created later (lock, journals) must be as
accessible as the data file, or one account locks the other out.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from store.errors import DamagedFileError, ReadOnlyStoreError, UnusableFileError

__all__ = [
    "copy_access",
    "open_side_file",
    "read_all",
    "read_regular",
    "refuse_dangling_link",
    "refuse_not_regular",
    "refuse_read_only",
    "refusing_os_errors",
    "stat_or_none",
]

# A new file is private: it holds names, phone numbers and password hashes. The umask may only
# narrow this; an administrator who shares the file with a group widens it once (chmod), and
# every later rewrite and side file keeps what was chosen.
NEW_FILE_MODE = 0o600


def stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def refuse_dangling_link(path: Path) -> None:
    """Refuse a symbolic link to nothing (a share not mounted) found where a file was not: it
    must not be replaced by a new, empty file. Called after the file was found missing, and
    asked again here, link and target both: another process may have created the file since,
    which is no damage."""
    if os.path.islink(path) and not os.path.exists(path):
        raise DamagedFileError(path, "lien symbolique vers un fichier absent")


def refuse_read_only(path: Path, info: os.stat_result | None) -> None:
    """Raise ``ReadOnlyStoreError`` when this process may not write the existing data file."""
    if info is None:
        return
    # Root may write anything: a file without a single write bit is still meant to stay as is.
    if not info.st_mode & 0o222 or not os.access(path, os.W_OK, effective_ids=True):
        raise ReadOnlyStoreError(path)


def copy_access(fd: int, reference: os.stat_result) -> None:
    """Give the file open as ``fd`` the owner, group and mode described by ``reference``."""
    if os.geteuid() == 0:
        os.fchown(fd, reference.st_uid, reference.st_gid)
    elif os.fstat(fd).st_gid != reference.st_gid:
        # Only root gives a file away, so another account's rewrite becomes the owner; the
        # group is kept whenever this account belongs to it, as in the shared-folder set-up.
        with contextlib.suppress(PermissionError):
            os.fchown(fd, -1, reference.st_gid)
    # After fchown, which clears the set-id bits.
    os.fchmod(fd, stat.S_IMODE(reference.st_mode))


def open_side_file(path: Path, flags: int, data_file: Path | None) -> int:
    """Open ``path``; when this creates it, it takes the data file's owner, group and mode (a
    new data file's own mode when there is no data file yet)."""
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, NEW_FILE_MODE)
    except FileExistsError:
        return os.open(path, flags)
    reference = None if data_file is None else stat_or_none(data_file)
    if reference is not None:
        try:
            copy_access(fd, reference)
        except BaseException:
            os.close(fd)
            raise
    return fd


@contextmanager
def refusing_os_errors(path: Path) -> Iterator[None]:
    """An ``OSError`` inside becomes ``UnusableFileError`` naming the file the system named
    (else ``path``), so a refusal says which of the data file's companions is at fault."""
    try:
        yield
    except OSError as error:
        named = path if error.filename is None else Path(os.fsdecode(error.filename))
        raise UnusableFileError(named, error) from error


def refuse_not_regular(path: Path, info: os.stat_result) -> None:
    """A folder, a pipe or a device where the store expects one of its files is refused: a
    folder cannot be read as a file, and a pipe would block the reader for ever."""
    if stat.S_ISDIR(info.st_mode):
        raise UnusableFileError(path, IsADirectoryError(errno.EISDIR, "", str(path)))
    if not stat.S_ISREG(info.st_mode):
        raise DamagedFileError(path, "ce n'est pas un fichier ordinaire")


def read_regular(path: Path) -> tuple[os.stat_result, bytes]:
    """The whole content of the regular file at ``path`` and its status, as one read sees it.
    Raises ``StoreError`` for what is not a regular file, ``OSError`` for the rest."""
    # O_NONBLOCK: opening a pipe for reading would otherwise wait for a writer.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        refuse_not_regular(path, info)
        return info, read_all(fd, info.st_size)
    finally:
        os.close(fd)


def read_all(fd: int, size: int) -> bytes:
    """Up to ``size`` bytes from ``fd``'s position (fewer if the file is shorter)."""
    parts: list[bytes] = []
    remaining = size
    while remaining > 0:
        part = os.read(fd, remaining)
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)
