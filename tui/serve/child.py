"""The program each SSH session and each browser tab runs: the app (or, for an SSH client that
asks for it, the line mode) on one store, nothing else.

The servers build the whole command line themselves (``app_command``), so a remote person can
never reach another ``educonnect`` subcommand (import, demo, ...) through them.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import logging
import os
import select
import signal
import stat
import sys
import termios
import threading
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from services.i18n import N_, _
from store.paths import ENV_VAR, database_url, resolve_db_path

if TYPE_CHECKING:
    from services import Services
    from tui.app import EduConnectApp

__all__ = [
    "FROM_ENVIRONMENT",
    "LINES_FLAG",
    "LOG_FD_VARIABLE",
    "app_command",
    "log_to_server",
    "main",
    "run_lines_session",
    "run_session",
    "session_app",
]

LOG_FD_VARIABLE = "EDUCONNECT_LOG_FD"
"""Names the file descriptor of a session's log, read by the SSH server that started it: the
session's own stderr is the person's terminal."""


FROM_ENVIRONMENT = "--base-de-donnees"
"""In place of a file name: the session opens the PostgreSQL database whose URL its server put
in ``EDUCONNECT_DB``. Never on the command line: every local user can read it with ``ps``, and
a URL may carry a password."""

LINES_FLAG = "--lignes"
"""Before the store: the session runs the line mode (``tui.lines``) instead of the app."""
LINES_STOPPED = N_(
    "Une erreur inattendue a arrêté le mode lignes. Si elle persiste, contactez l'établissement."
)

log = logging.getLogger(__name__)


def app_command(db_path: Path | None, *, lines: bool = False) -> list[str]:
    """The argv that starts one session's app (the line mode with ``lines``), with this very
    interpreter: on the file ``db_path``, or (``None``) on the database named by the session's
    environment."""
    mode = [LINES_FLAG] if lines else []
    return [sys.executable, "-m", "tui.serve.child", *mode, str(db_path or FROM_ENVIRONMENT)]


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    lines = bool(args) and args[0] == LINES_FLAG
    if lines:
        args = args[1:]
    if len(args) != 1:
        sys.exit(_("Utilisation : python -m tui.serve.child FICHIER_DE_DONNÉES"))
    db: Path | str
    if args[0] == FROM_ENVIRONMENT:
        url = database_url(None)
        if url is None:
            sys.exit(
                _("%(variable)s ne contient pas l'adresse postgresql:// de la base de données.")
                % {"variable": ENV_VAR}
            )
        db = url
    else:
        db = resolve_db_path(args[0])
    sys.exit(run_lines_session(db) if lines else run_session(db))


def run_session(db: Path | str) -> int:
    """Run one session's app on ``db`` (see ``session_app``) to its end; its exit code."""
    _take_terminal()
    log_to_server()
    # Start-up allocates much and frees little: the collector's passes over it are wasted
    # time, a few hundredths of a second before the first screen. It is back on once the
    # services are built.
    gc.disable()
    app = session_app(db)
    app.run()
    return app.return_code or 0


def run_lines_session(db: Path | str) -> int:
    """Run the line mode on ``db`` to its end, on the session's pty (so passwords are read
    without echo, from the controlling terminal); its exit code. A store refused ends it with
    the French message and exit code 2, as the app does; no traceback reaches the person."""
    from services import ServiceError
    from store import StoreError
    from tui.language import from_environment, use_language
    from tui.lines import Console, output_wants_ascii, run_lines

    language = from_environment(os.environ)
    use_language(None if language == "fr" else language)

    _take_terminal()
    log_to_server()
    try:
        services = _open_services(db)
        run_lines(
            services, Console(sys.stdin, sys.stdout, ascii_only=output_wants_ascii(sys.stdout))
        )
    except (StoreError, ServiceError) as error:
        print(error.message, flush=True)
        return 2
    except Exception:
        log.exception("the line mode stopped")
        print(_(LINES_STOPPED), flush=True)
        return 1
    return 0


def session_app(db: Path | str) -> EduConnectApp:
    """The app of one session on the data file ``db`` (a ``Path``) or the PostgreSQL database
    at the URL ``db`` (a ``str``): its first screen comes before the domain is imported, the
    services are built once that screen is out, and a store refused then ends the app with the
    French message and exit code 2.

    On a database the session has one connection of its own, opened with its services: a
    session is one process serving one person, one operation at a time, so a pool would
    only hold idle connections.

    Not through the ``educonnect`` command: click and the domain would be imported before the
    first screen.
    """
    from tui.app import make_app
    from tui.language import from_environment
    from tui.loading import PendingServices

    # The server's --langue (``tui.language``), which each session can change at its entry.
    return make_app(PendingServices(partial(_open_services, db)), from_environment(os.environ))


def _open_services(db: Path | str) -> Services:
    from tui.loading import open_database, open_services

    try:
        # Neutral answers never wait for a message to be sent (services.delivery).
        if isinstance(db, Path):
            return open_services(db, deliver_in_background=True)
        return open_database(db, deliver_in_background=True)
    finally:
        gc.enable()


def log_to_server() -> None:
    """Send this session's log (an unexpected error's traceback) where its server reads it:
    the descriptor the SSH server named, or stderr when that is not a terminal (the web server
    reads each tab's stderr). Never the person's terminal."""
    named = os.environ.get(LOG_FD_VARIABLE, "")
    if named.isdigit():
        # Open for as long as the process lives: no ``with``.
        stream = open(int(named), "w", encoding="utf-8", buffering=1)  # noqa: SIM115
    elif sys.__stderr__ is not None and not sys.__stderr__.isatty():
        stream = sys.__stderr__
    else:
        return
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    logging.getLogger().addHandler(handler)


def _take_terminal() -> None:
    """Make the session's pty the controlling terminal of this new session (the kernel then
    signals window changes itself), and end the session once its terminal is gone."""
    # A character device: the pty, even hung up already (``isatty`` is then false).
    if not stat.S_ISCHR(os.fstat(0).st_mode):
        return
    if os.isatty(0) and os.getsid(0) == os.getpid():
        with contextlib.suppress(OSError):
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    _hang_up_with_the_terminal()


def _hang_up_with_the_terminal() -> None:
    """A session whose server closed its pty stops, as it would on a hangup. The kernel's own
    SIGHUP does not come when the pty was closed before the session took it, and Textual reads
    end-of-file from a closed terminal for ever: sessions left by a killed server kept a core
    busy. A thread asleep in ``poll`` costs nothing."""

    def watch() -> None:
        waiting = select.poll()
        # Asks for no event: poll still reports a hangup, an error or a closed descriptor.
        waiting.register(0, 0)
        while True:
            for _fd, event in waiting.poll():
                if event & (select.POLLHUP | select.POLLERR | select.POLLNVAL):
                    os.kill(os.getpid(), signal.SIGHUP)
                    return

    threading.Thread(target=watch, name="terminal-hangup", daemon=True).start()


if __name__ == "__main__":
    main()
