"""Who may read and write the data file and its side files.

The deployment in ``docs/deployment.md`` shares one folder between two accounts: one imports the
school's export, the other runs the sessions. A rewrite must therefore leave the data file's mode,
owner and group as they were, and a side file created later (lock, journals) must be as
accessible as the data file, or one account locks the other out.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from store.errors import ReadOnlyStoreError

__all__ = ["copy_access", "open_side_file", "refuse_read_only", "stat_or_none"]

# A new file is private: it holds names, phone numbers and password hashes. The umask may only
# narrow this; an administrator who shares the file with a group widens it once (chmod), and
# every later rewrite and side file keeps what was chosen.
NEW_FILE_MODE = 0o600


def stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


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
