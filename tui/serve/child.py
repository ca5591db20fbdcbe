"""The program each SSH session and each browser tab runs: the app on one store, nothing else.

The servers build the whole command line themselves (``app_command``), so a remote person can
never reach another ``educonnect`` subcommand (import, demo, ...) through them.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import termios
from functools import partial
from pathlib import Path

from store.paths import resolve_db_path

__all__ = ["app_command", "main"]


def app_command(db_path: Path) -> list[str]:
    """The argv that starts one session's app on ``db_path``, with this very interpreter."""
    return [sys.executable, "-m", "tui.serve.child", str(db_path)]


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.exit("Utilisation : python -m tui.serve.child FICHIER_DE_DONNÉES")
    _take_terminal()
    # Not through the ``educonnect`` command: click and the domain would be imported before
    # the first screen. The app builds the services once that screen is out; a data file
    # refused then ends it with the French message and exit code 2.
    from tui.app import make_app
    from tui.loading import PendingServices, open_services

    app = make_app(PendingServices(partial(open_services, resolve_db_path(args[0]))))
    app.run()
    sys.exit(app.return_code)


def _take_terminal() -> None:
    """Make the session's pty the controlling terminal of this new session: the kernel then
    signals window changes itself, and hangs the app up if the SSH server dies under it."""
    if os.isatty(0) and os.getsid(0) == os.getpid():
        with contextlib.suppress(OSError):
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)


if __name__ == "__main__":
    main()
