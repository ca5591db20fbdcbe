"""``educonnect serve ssh``: every SSH connection gets its own app process on a pseudo-terminal.

Nothing is shared between sessions but the store file, which is safe across processes. The
server only ever starts ``tui.serve.child`` (the guardian and pupil app): no shell, no command,
no subsystem, no forwarding.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import ipaddress
import logging
import os
import signal
import struct
import termios
import time
import warnings
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.utils import CryptographyDeprecationWarning

from tui.serve.child import app_command

# cryptography 51 deprecates DSA and asyncssh 2.24 names `dsa.*` while it loads: five English
# warnings before the server's banner. Only that warning, and only from asyncssh, is silenced.
warnings.filterwarnings(
    "ignore",
    message="DSA is deprecated",
    category=CryptographyDeprecationWarning,
    module=r"asyncssh(\.|$)",
)

import asyncssh  # noqa: E402  (after the filter above, which must see its import)

__all__ = [
    "AuthPolicy",
    "RateLimiter",
    "ServeError",
    "SshAppServer",
    "SshConfig",
    "host_key_path_for",
    "is_loopback",
    "load_authorized_keys",
    "load_or_create_host_key",
    "serve_forever",
]

log = logging.getLogger("educonnect.ssh")

NO_TERMINAL = (
    "Cette application a besoin d'un terminal. Reconnectez-vous avec « ssh -t » "
    "(et sans commande ni sous-système).\r\n"
)
TOO_MANY_SESSIONS = (
    "Trop de sessions sont ouvertes en ce moment. Réessayez dans quelques minutes.\r\n"
)
TOO_MANY_CONNECTIONS = "Trop de connexions depuis votre adresse. Réessayez dans une minute."

# Offered in this order; an OpenSSH client picks zlib when run with `ssh -C`.
COMPRESSION_ALGS = ("zlib@openssh.com", "zlib", "none")

# Whatever the app had switched on (alternate screen, mouse reports, bracketed paste, kitty
# keyboard, hidden cursor) is switched off after it was stopped, so the person's own terminal
# is usable again. Harmless when the app had already restored everything itself.
TERMINAL_RESET = (
    b"\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1016l\x1b[?1004l\x1b[?2004l"
    b"\x1b[?2048l\x1b[<u\x1b[?7h\x1b[0m\x1b[?25h\x1b[?1049l"
)

STOP_GRACE_SECONDS = 5.0
READ_SIZE = 65536


class ServeError(Exception):
    """The server cannot start as asked; ``message`` is French, for the person who started it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_key_path_for(db_path: Path) -> Path:
    """The host key lives beside the store, so a restarted server keeps its identity."""
    return db_path.with_name(db_path.name + ".ssh_host_ed25519_key")


def load_or_create_host_key(path: Path) -> asyncssh.SSHKey:
    """The ed25519 host key at ``path``; created (mode 0600) on the first start."""
    if path.exists():
        try:
            return asyncssh.read_private_key(path)
        except (OSError, asyncssh.KeyImportError) as error:
            raise ServeError(
                f"La clé d'hôte {path} ne peut pas être lue ({error}). Supprimez-la pour qu'une "
                "nouvelle soit créée (les clients verront alors une nouvelle empreinte)."
            ) from None
    key = asyncssh.generate_private_key("ssh-ed25519", comment="educonnect")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created 0600 from the start: never readable by others, not even for an instant.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(key.export_private_key())
    return key


def load_authorized_keys(path: Path, user: str | None) -> dict[str, set[bytes]]:
    """Allowed users and their public keys, from an OpenSSH ``authorized_keys`` file.

    Each line is ``TYPE BASE64 COMMENT``. The login name is ``user`` for every key when given,
    else the key's comment up to its first ``@`` (``sophie@portable`` logs in as ``sophie``).
    Lines with options (``from=…``, ``command=…``) are refused rather than silently ignored:
    a restriction this server would not enforce must not look enforced.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ServeError(f"Le fichier de clés {path} ne peut pas être lu ({error}).") from None
    allowed: dict[str, set[bytes]] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        where = f"{path}, ligne {number}"
        try:
            key = asyncssh.import_public_key(" ".join(parts[:2]))
        except (asyncssh.KeyImportError, ValueError):
            raise ServeError(
                f"{where} : clé publique illisible. Seules les lignes « type clé commentaire » "
                "sont acceptées (les options comme from= ou command= ne le sont pas)."
            ) from None
        comment = parts[2].strip() if len(parts) > 2 else ""
        login = user or comment.split("@", 1)[0]
        if not login:
            raise ServeError(
                f"{where} : la clé n'a pas de commentaire pour nommer l'utilisateur. "
                "Ajoutez-en un, ou indiquez --user."
            )
        allowed.setdefault(login, set()).add(key.public_data)
    if not allowed:
        raise ServeError(f"Le fichier de clés {path} ne contient aucune clé.")
    return allowed


@dataclass(frozen=True)
class AuthPolicy:
    """Open demo mode (``keys`` is None: any user name, no password) or public keys only."""

    keys: dict[str, set[bytes]] | None

    @property
    def is_open(self) -> bool:
        return self.keys is None

    @classmethod
    def choose(
        cls, host: str, *, open_mode: bool, authorized_keys: Path | None, user: str | None
    ) -> AuthPolicy:
        if authorized_keys is not None:
            if open_mode:
                raise ServeError(
                    "--open et --authorized-keys s'excluent : choisissez l'un des deux."
                )
            return cls(load_authorized_keys(authorized_keys, user))
        if user is not None:
            raise ServeError("--user n'a de sens qu'avec --authorized-keys.")
        if not open_mode and not is_loopback(host):
            raise ServeError(
                f"Sur l'adresse {host}, n'importe qui pourrait se connecter sans mot de passe. "
                "Indiquez --authorized-keys FICHIER pour n'accepter que certaines clés, ou "
                "--open pour confirmer le mode ouvert de démonstration."
            )
        return cls(None)

    def allows(self, user: str, key: asyncssh.SSHKey) -> bool:
        return self.keys is not None and key.public_data in self.keys.get(user, set())


class RateLimiter:
    """At most ``limit`` connections per address in any ``window`` seconds."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._recent: dict[str, deque[float]] = {}

    def allow(self, address: str) -> bool:
        now = self._clock()
        for known in list(self._recent):
            times = self._recent[known]
            while times and times[0] <= now - self.window:
                times.popleft()
            if not times:
                # Forgotten once quiet: the table only holds addresses seen in the last window.
                del self._recent[known]
        times = self._recent.setdefault(address, deque())
        if len(times) >= self.limit:
            return False
        times.append(now)
        return True


@dataclass(frozen=True)
class SshConfig:
    db_path: Path
    host: str = "127.0.0.1"
    port: int = 2222
    open_mode: bool = False
    """``--open``: accept the open demo mode on a non-loopback address."""
    authorized_keys: Path | None = None
    user: str | None = None
    max_sessions: int = 50
    idle_timeout: float = 15 * 60
    rate_limit: int = 10
    """Connections allowed per address in ``rate_window`` seconds."""
    rate_window: float = 60.0
    host_key: Path | None = None
    """Defaults to ``host_key_path_for(db_path)``."""
    command: Sequence[str] | None = None
    """What each session runs; defaults to ``app_command(db_path)``."""
    inherited_env: tuple[str, ...] = field(default=("PATH", "HOME", "TZ", "PYTHONPATH", "LANG"))
    """The only server variables a session's app sees (plus TERM, from the client)."""


def _describe(seconds: float) -> str:
    if seconds >= 60:
        minutes = round(seconds / 60)
        return f"{minutes} minute" + ("s" if minutes > 1 else "")
    whole = max(1, round(seconds))
    return f"{whole} seconde" + ("s" if whole > 1 else "")


def _set_window_size(fd: int, width: int, height: int, pixwidth: int, pixheight: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, pixwidth, pixheight))


class SshAppServer:
    """The listening server; ``start()``, then ``port`` and ``fingerprint``; ``close()``."""

    def __init__(self, config: SshConfig, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config
        self.policy = AuthPolicy.choose(
            config.host,
            open_mode=config.open_mode,
            authorized_keys=config.authorized_keys,
            user=config.user,
        )
        self.limiter = RateLimiter(config.rate_limit, config.rate_window, clock)
        self.sessions = 0
        self._host_key = load_or_create_host_key(
            config.host_key or host_key_path_for(config.db_path)
        )
        self._acceptor: asyncssh.SSHAcceptor | None = None
        self._live: set[_PtySession] = set()

    @property
    def fingerprint(self) -> str:
        return str(self._host_key.get_fingerprint("sha256"))

    @property
    def port(self) -> int:
        assert self._acceptor is not None
        return int(self._acceptor.get_port())

    async def start(self) -> None:
        try:
            self._acceptor = await asyncssh.create_server(
                lambda: _Connection(self),
                self.config.host,
                self.config.port,
                server_host_keys=[self._host_key],
                process_factory=self._run_session,
                encoding=None,
                line_editor=False,
                allow_pty=True,
                compression_algs=list(COMPRESSION_ALGS),
                agent_forwarding=False,
                x11_forwarding=False,
                allow_scp=False,
                login_timeout=60,
                keepalive_interval=60,
            )
        except OSError as error:
            raise ServeError(
                f"Impossible d'écouter sur {self.config.host}:{self.config.port} "
                f"({error.strerror or error})."
            ) from None

    def close(self) -> None:
        """Stop listening and end every session (each app is stopped, each person told)."""
        if self._acceptor is not None:
            self._acceptor.close()
        for live in self._live:
            live.shut_down()

    async def wait_closed(self) -> None:
        if self._acceptor is not None:
            await self._acceptor.wait_closed()
        await asyncio.gather(*(live.finished.wait() for live in list(self._live)))

    def child_env(self, term: str) -> dict[str, str]:
        # No COLUMNS/LINES: Textual would read them and then ignore every window resize.
        env = {name: os.environ[name] for name in self.config.inherited_env if name in os.environ}
        env.setdefault("LANG", "C.UTF-8")
        env["TERM"] = term
        return env

    async def _run_session(self, process: asyncssh.SSHServerProcess[bytes]) -> None:
        peer = _peer(process.get_extra_info("peername"))
        user = process.get_extra_info("username") or ""
        term = process.get_terminal_type()
        if term is None or process.subsystem:
            log.info("session refusée sans terminal : %s@%s", user, peer)
            _write(process.stderr, NO_TERMINAL.encode())
            process.exit(1)
            return
        if self.sessions >= self.config.max_sessions:
            log.warning("session refusée, %d sessions ouvertes : %s@%s", self.sessions, user, peer)
            _write(process.stderr, TOO_MANY_SESSIONS.encode())
            process.exit(1)
            return
        self.sessions += 1
        command = list(self.config.command or app_command(self.config.db_path))
        session = _PtySession(process, command, self.child_env(term), self.config.idle_timeout)
        log.info("session ouverte : %s@%s (%d en cours)", user, peer, self.sessions)
        self._live.add(session)
        try:
            status = await session.run()
        finally:
            self.sessions -= 1
            self._live.discard(session)
            session.finished.set()
        log.info("session fermée : %s@%s (%s)", user, peer, session.end_reason)
        with contextlib.suppress(OSError, asyncssh.Error):
            process.exit(status)


class _Connection(asyncssh.SSHServer):
    """One SSH connection: rate limit, authentication policy, logging."""

    def __init__(self, server: SshAppServer) -> None:
        self._server = server
        self._peer = "?"

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._peer = _peer(conn.get_extra_info("peername"))
        if not self._server.limiter.allow(self._peer):
            log.warning("connexion refusée (trop de connexions) : %s", self._peer)
            conn.disconnect(asyncssh.DISC_TOO_MANY_CONNECTIONS, TOO_MANY_CONNECTIONS)
            return
        log.info("connexion de %s", self._peer)

    def connection_lost(self, exc: Exception | None) -> None:
        if exc is None:
            log.info("déconnexion de %s", self._peer)
        else:
            log.info("déconnexion de %s : %s", self._peer, exc)

    def begin_auth(self, username: str) -> bool:
        # False means "no authentication needed": the open demo mode.
        return not self._server.policy.is_open

    def public_key_auth_supported(self) -> bool:
        return not self._server.policy.is_open

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        allowed = self._server.policy.allows(username, key)
        if not allowed:
            log.info("clé refusée pour %s depuis %s", username, self._peer)
        return allowed


class _PtySession:
    """One app process on its own pseudo-terminal, wired to one SSH channel."""

    def __init__(
        self,
        process: asyncssh.SSHServerProcess[bytes],
        command: list[str],
        env: dict[str, str],
        idle_timeout: float,
    ) -> None:
        self.process = process
        self.command = command
        self.env = env
        self.idle_timeout = idle_timeout
        self.end_reason = "fin de l'application"
        self._master = -1
        self._child: asyncio.subprocess.Process | None = None
        self._idle = asyncio.Event()
        self._shutdown = asyncio.Event()
        self.finished = asyncio.Event()
        self._idle_timer: asyncio.TimerHandle | None = None

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        master, slave = os.openpty()
        self._master = master
        try:
            width, height, pixwidth, pixheight = self.process.get_terminal_size()
            _set_window_size(master, width or 80, height or 24, pixwidth, pixheight)
            child = await asyncio.create_subprocess_exec(
                *self.command,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=self.env,
                start_new_session=True,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        self._child = child
        os.set_blocking(master, False)
        self._touch(loop)
        pumps = {
            asyncio.create_task(self._pump_output()): "output",
            asyncio.create_task(self._pump_input()): "input",
            asyncio.create_task(self._idle.wait()): "idle",
            asyncio.create_task(self._shutdown.wait()): "shutdown",
        }
        try:
            done, _ = await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
            first = pumps[next(iter(done))]
            if first == "input":
                self.end_reason = "le client s'est déconnecté"
                await _stop(child)
            elif first == "output":
                # The app closed its terminal (it has ended), or the client went away while
                # the app was writing. An app left running would keep the session, and the
                # server's shutdown, waiting for ever.
                await _stop(child)
            elif first == "idle":
                self.end_reason = f"inactif depuis {_describe(self.idle_timeout)}"
                await self._stop_with(
                    child,
                    f"Session fermée après {_describe(self.idle_timeout)} sans activité. "
                    "Au revoir !",
                )
            elif first == "shutdown":
                self.end_reason = "arrêt du serveur"
                await self._stop_with(child, "Le serveur s'arrête. Au revoir !")
            status = await child.wait()
        finally:
            if child.returncode is None:
                # The server is shutting down under this session: the app, in its own session,
                # would otherwise outlive it.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGTERM)
            for task in pumps:
                task.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)
            if self._idle_timer is not None:
                self._idle_timer.cancel()
            os.close(master)
        return status if status >= 0 else 128 - status

    def shut_down(self) -> None:
        self._shutdown.set()

    async def _stop_with(self, child: asyncio.subprocess.Process, goodbye: str) -> None:
        await _stop(child)
        _write(self.process.stdout, TERMINAL_RESET + f"\r\n{goodbye}\r\n".encode())

    def _touch(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        self._idle_timer = loop.call_later(self.idle_timeout, self._idle.set)

    async def _pump_output(self) -> None:
        """App → client, at the pace the client's link drains it."""
        while True:
            await _readable(self._master)
            try:
                data = os.read(self._master, READ_SIZE)
            except BlockingIOError:
                continue
            except OSError:
                # EIO: the app closed its side of the terminal, i.e. it has ended.
                return
            if not data:
                return
            try:
                self.process.stdout.write(data)
                await self.process.stdout.drain()
            except (OSError, asyncssh.Error):
                return

    async def _pump_input(self) -> None:
        """Client → app; window changes are applied to the pty and signalled to the app."""
        loop = asyncio.get_running_loop()
        while True:
            try:
                data = await self.process.stdin.read(READ_SIZE)
            except asyncssh.TerminalSizeChanged as change:
                self._touch(loop)
                self._resize(change.width, change.height, change.pixwidth, change.pixheight)
                continue
            except (asyncssh.BreakReceived, asyncssh.SignalReceived):
                continue
            except (asyncssh.Error, OSError):
                return
            if not data:
                return
            self._touch(loop)
            await _write_all(self._master, data)

    def _resize(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        _set_window_size(self._master, width, height, pixwidth, pixheight)
        try:
            # The app took the pty as its controlling terminal: the kernel sent it SIGWINCH.
            os.tcgetpgrp(self._master)
        except OSError:
            if self._child is not None and self._child.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self._child.pid, signal.SIGWINCH)


def serve_forever(config: SshConfig, announce: Callable[[str], None]) -> None:
    """Run the server until Ctrl+C or SIGTERM; ``announce`` gets the lines to show at start."""

    async def run() -> None:
        server = SshAppServer(config)
        await server.start()
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        mode = (
            "mode ouvert de démonstration : tout nom d'utilisateur, sans mot de passe"
            if server.policy.is_open
            else "clés publiques autorisées seulement"
        )
        announce(f"Serveur SSH ÉduConnect sur {config.host}:{server.port} ({mode}).")
        announce(f"Empreinte de la clé d'hôte : {server.fingerprint}")
        announce(f"Connexion : ssh -C -p {server.port} demo@{config.host}")
        try:
            await stop.wait()
        finally:
            server.close()
            await server.wait_closed()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())


async def _stop(child: asyncio.subprocess.Process) -> None:
    """SIGTERM to the app's process group; SIGKILL if it has not ended after a grace period."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if child.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, sig)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(child.wait(), STOP_GRACE_SECONDS)


async def _readable(fd: int) -> None:
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.add_reader(fd, ready.set_result, None)
    try:
        await ready
    finally:
        loop.remove_reader(fd)


async def _writable(fd: int) -> None:
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.add_writer(fd, ready.set_result, None)
    try:
        await ready
    finally:
        loop.remove_writer(fd)


async def _write_all(fd: int, data: bytes) -> None:
    """Everything to the pty, waiting while the app has not read what came before."""
    view = memoryview(data)
    while view:
        try:
            written = os.write(fd, view)
        except BlockingIOError:
            await _writable(fd)
            continue
        except OSError:
            return
        view = view[written:]


def _write(stream: asyncssh.SSHWriter[bytes], data: bytes) -> None:
    with contextlib.suppress(OSError, asyncssh.Error):
        stream.write(data)


def _peer(peername: object) -> str:
    if isinstance(peername, tuple) and peername:
        return str(peername[0])
    return "?"
