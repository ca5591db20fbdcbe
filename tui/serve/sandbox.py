"""``--bac-a-sable``: every session its own fresh copy of the demo families.

A sandbox is a folder of its own (mode 0700, ``tempfile.mkdtemp``) holding a data file the demo
was just written into, with its side files beside it (key, audit trail, outbox: the phone panel
reads that outbox, so each session has its own phone). The folder is removed when the session
ends.

Layout: ``$TMPDIR/educonnect-bac-a-sable-UID/`` (0700, checked to be this user's own folder),
then one folder per server, ``serveur-PID``, then one ``session-…`` folder per session. A server
removes its folder when it stops; a killed server's folder (its process is gone) is removed by
the next server that starts, so nothing is left behind for long whatever way a server ends.

The SSH server makes and removes each session's sandbox itself, around the session's process:
the sandbox goes whatever way the session ended (the person left, idle timeout, the app
crashed or was killed). textual-serve only runs a command per browser tab: that command is this
module's ``main``, which makes the sandbox, runs the app in it, and removes it at its end.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
from pathlib import Path
from types import FrameType

from services.i18n import N_, _
from services.passwords import PasswordHasher
from services.settings import PasswordHashing
from store.errors import os_error_reason

__all__ = [
    "DATA_NAME",
    "NO_SANDBOX",
    "SANDBOXED",
    "HashedOnce",
    "SandboxError",
    "SandboxRoot",
    "default_root",
    "fill_sandbox",
    "main",
    "new_sandbox",
    "remove_sandbox",
    "wrapper_command",
]

DATA_NAME = "demo.json"
SERVER_PREFIX = "serveur-"
SESSION_PREFIX = "session-"

# What the server's banner says, what a person reads when their sandbox could not be made.
SANDBOXED = N_(
    "Bac à sable : chaque connexion reçoit sa propre copie des familles de démonstration."
)
NO_SANDBOX = N_("Le bac à sable n'a pas pu être préparé. Réessayez dans quelques minutes.")


class SandboxError(Exception):
    """The sandboxes' folder cannot be used; ``message`` is French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def default_root() -> Path:
    """This user's sandboxes' folder under the system's temporary folder."""
    return Path(tempfile.gettempdir()) / f"educonnect-bac-a-sable-{os.getuid()}"


class SandboxRoot:
    """One server's folder of sandboxes: ``open()`` at start, ``close()`` at the end."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or default_root()
        self.folder = self.root / f"{SERVER_PREFIX}{os.getpid()}"
        self._hasher = HashedOnce()

    def open(self) -> SandboxRoot:
        """Make the private folders (and clean what killed servers left behind)."""
        try:
            self._private_root()
            self._remove_leftovers()
            self.folder.mkdir(mode=0o700)
        except OSError as error:
            raise SandboxError(
                _("Le dossier des bacs à sable %(path)s ne peut pas être créé (%(reason)s).")
                % {"path": self.root, "reason": os_error_reason(error)}
            ) from None
        return self

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def new_sandbox(self) -> Path:
        return new_sandbox(self.folder, self._hasher)

    def new_folder(self) -> Path:
        """An empty sandbox, for a session that writes the demo into it itself (a child of
        the warm parent, ``tui.serve.warm``); its data file's path."""
        return Path(tempfile.mkdtemp(prefix=SESSION_PREFIX, dir=self.folder)) / DATA_NAME

    def remove(self, data: Path) -> None:
        remove_sandbox(data)

    def _private_root(self) -> None:
        """The root is this user's own folder, readable by nobody else: another local user
        who made it first (or put a link there) would read, or swap, every sandbox."""
        with contextlib.suppress(FileExistsError):
            self.root.mkdir(mode=0o700)
        info = os.lstat(self.root)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            raise SandboxError(
                _(
                    "Le dossier des bacs à sable %(path)s n'appartient pas à cet utilisateur "
                    "(ou n'est pas un dossier) : supprimez-le, ou choisissez un autre dossier "
                    "temporaire avec TMPDIR."
                )
                % {"path": self.root}
            )
        os.chmod(self.root, 0o700)

    def _remove_leftovers(self) -> None:
        """Folders of servers whose process is gone: killed, they could not clean up. Ours,
        if it exists, is one of them (a dead server had this process number)."""
        for entry in self.root.iterdir():
            number = entry.name.removeprefix(SERVER_PREFIX)
            if entry.name.startswith(SERVER_PREFIX) and number.isdigit():
                pid = int(number)
                if pid == os.getpid() or not _alive(pid):
                    shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class HashedOnce(PasswordHasher):
    """The demo's password hashed once per server, not once per session: fifteen sessions
    opening at once would each spend argon2's memory on the same password. Any argon2 hash of
    a password verifies it."""

    def __init__(self) -> None:
        super().__init__(PasswordHashing())
        self._lock = threading.Lock()
        self._hashes: dict[str, str] = {}

    def hash(self, password: str) -> str:
        with self._lock:
            if password not in self._hashes:
                self._hashes[password] = super().hash(password)
            return self._hashes[password]


def new_sandbox(folder: Path, hasher: PasswordHasher | None = None) -> Path:
    """A new private folder in ``folder`` with the demo families written in its data file (as
    ``educonnect demo`` writes them); returns the data file."""
    sandbox = Path(tempfile.mkdtemp(prefix=SESSION_PREFIX, dir=folder))
    try:
        return fill_sandbox(sandbox / DATA_NAME, hasher)
    except BaseException:
        shutil.rmtree(sandbox, ignore_errors=True)
        raise


def fill_sandbox(data: Path, hasher: PasswordHasher | None = None) -> Path:
    """The demo families written into the new data file ``data`` (in its empty private
    folder), as ``educonnect demo`` writes them; returns ``data``."""
    from services import Settings, build_services
    from services.demo import load_demo

    services = build_services(Settings(db_path=data))
    hasher = hasher or PasswordHasher(services.settings.hashing)
    load_demo(services.store, hasher, services.clock)
    return data


def remove_sandbox(data: Path) -> None:
    """Remove the sandbox of the data file ``data``, side files and all."""
    shutil.rmtree(data.parent, ignore_errors=True)


def wrapper_command(folder: Path) -> list[str]:
    """The argv a browser tab runs: a sandbox in ``folder``, the app in it, removed at the end."""
    return [sys.executable, "-m", "tui.serve.sandbox", str(folder)]


def main(argv: list[str] | None = None) -> None:
    from tui.serve.child import run_session

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.exit(_("Utilisation : python -m tui.serve.sandbox DOSSIER"))
    # Ended by a signal (the server stopping, a hang-up), the sandbox is still removed.
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _exit_on_signal)
    data = new_sandbox(Path(args[0]))
    try:
        status = run_session(data)
    finally:
        remove_sandbox(data)
    sys.exit(status)


def _exit_on_signal(number: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + number)


if __name__ == "__main__":
    main()
