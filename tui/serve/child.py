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
from pathlib import Path

__all__ = ["app_command", "main"]


def app_command(db_path: Path) -> list[str]:
    """The argv that starts one session's app on ``db_path``, with this very interpreter."""
    return [sys.executable, "-m", "tui.serve.child", str(db_path)]


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.exit("Utilisation : python -m tui.serve.child FICHIER_DE_DONNÉES")
    _take_terminal()
    # The command line's own start-up: a refused data file ends with its French message.
    from tui.cli import main as educonnect

    educonnect(args=["--db", args[0]], prog_name="educonnect")


def _take_terminal() -> None:
    """Make the session's pty the controlling terminal of this new session: the kernel then
    signals window changes itself, and hangs the app up if the SSH server dies under it."""
    if os.isatty(0) and os.getsid(0) == os.getpid():
        with contextlib.suppress(OSError):
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)


if __name__ == "__main__":
    main()
