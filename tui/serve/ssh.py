"""``educonnect serve ssh``: every SSH connection gets its own app process on a pseudo-terminal.

Nothing is shared between sessions but the store (the file, safe across processes, or the
PostgreSQL database, which several such servers on several machines can share). The server
only ever starts ``tui.serve.child`` (the guardian and pupil app, or its line mode:
``tui.serve.modes``): no shell, no command, no subsystem, no forwarding.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from services.i18n import N_, _
from store.errors import os_error_reason
from store.paths import ENV_VAR
from tui.glyphs import ASCII_VARIABLE
from tui.language import LANGUAGE_VARIABLE

# First: it silences asyncssh's import-time warning, then imports asyncssh.
from tui.serve.access import (
    AuthPolicy,
    RateLimiter,
    ServeError,
    host_key_path_for,
    is_loopback,
    load_authorized_keys,
    load_or_create_host_key,
)

# isort: split
import asyncssh

from tui.serve.child import FROM_ENVIRONMENT
from tui.serve.forking import (
    NO_PRELOAD,
    NO_SESSION,
    Forked,
    Launcher,
    WarmParent,
    WarmParentError,
)
from tui.serve.modes import plan_session
from tui.serve.sandbox import NO_SANDBOX, SANDBOXED, SandboxError, SandboxRoot
from tui.serve.session import PtySession, write

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

# What a refused client reads (msgids, translated when sent).
NO_TERMINAL = N_(
    "Cette application a besoin d'un terminal. Reconnectez-vous avec « ssh -t » "
    "(et sans commande ni sous-système)."
)
TOO_MANY_SESSIONS = N_(
    "Trop de sessions sont ouvertes en ce moment. Réessayez dans quelques minutes."
)
TOO_MANY_CONNECTIONS = N_("Trop de connexions depuis votre adresse. Réessayez dans une minute.")

# Offered in this order; an OpenSSH client picks zlib when run with `ssh -C`.
COMPRESSION_ALGS = ("zlib@openssh.com", "zlib", "none")


@dataclass(frozen=True)
class SshConfig:
    db_path: Path
    """The data file; with ``db_url``, only where the host key goes by default."""
    db_url: str | None = None
    """The PostgreSQL database every session opens, handed over in its environment."""
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
    """What each session runs; defaults to ``app_command`` on the store."""
    sandboxes: Path | None = None
    """``--bac-a-sable``: the folder where each session gets its own fresh copy of the demo
    families (``tui.serve.sandbox``); the store is then never opened."""
    inherited_env: tuple[str, ...] = field(
        default=("PATH", "HOME", "TZ", "PYTHONPATH", "LANG", ASCII_VARIABLE, LANGUAGE_VARIABLE)
    )
    """The only server variables a session's app sees (plus TERM, from the client)."""
    preload: bool = True
    """Each session forked from the warm parent (``tui.serve.warm``); False
    (``--sans-prechargement``): a new interpreter per session."""


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
        self._live: set[PtySession] = set()
        self._sandboxes: SandboxRoot | None = None
        self.warm: WarmParent | None = None
        if config.sandboxes is not None:
            try:
                self._sandboxes = SandboxRoot(config.sandboxes).open()
            except SandboxError as error:
                raise ServeError(error.message) from None

    @property
    def fingerprint(self) -> str:
        return str(self._host_key.get_fingerprint("sha256"))

    @property
    def port(self) -> int:
        assert self._acceptor is not None
        return int(self._acceptor.get_port())

    async def start(self) -> None:
        if self.config.preload and not self.config.command:
            self.warm = WarmParent(
                self.parent_env(), log, sandboxes=self.config.sandboxes is not None
            )
            try:
                await self.warm.start()
            except (OSError, WarmParentError):
                log.exception("processus préchargé impossible")
                await self.warm.close()
                raise ServeError(_(NO_PRELOAD)) from None
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
                _("Impossible d'écouter sur %(host)s:%(port)d (%(reason)s).")
                % {
                    "host": self.config.host,
                    "port": self.config.port,
                    "reason": os_error_reason(error),
                }
            ) from None
        finally:
            if self._acceptor is None and self.warm is not None:
                await self.warm.close()

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
        if self.warm is not None:
            await self.warm.close()
        if self._sandboxes is not None:
            self._sandboxes.close()

    def parent_env(self) -> dict[str, str]:
        """What the warm parent and every session see of the server's environment."""
        # No COLUMNS/LINES: Textual would read them and then ignore every window resize.
        env = {name: os.environ[name] for name in self.config.inherited_env if name in os.environ}
        env.setdefault("LANG", "C.UTF-8")
        if self.config.db_url is not None:
            env[ENV_VAR] = self.config.db_url
        return env

    def child_env(self, term: str) -> dict[str, str]:
        return {**self.parent_env(), "TERM": term}

    @property
    def session_pids(self) -> list[int]:
        """The processes of the sessions running now."""
        return [pid for live in self._live if (pid := live.pid) is not None]

    async def _run_session(self, process: asyncssh.SSHServerProcess[bytes]) -> None:
        peer = _peer(process.get_extra_info("peername"))
        user = process.get_extra_info("username") or ""
        term = process.get_terminal_type()
        if term is None or process.subsystem:
            log.info("session refusée sans terminal : %s@%s", user, peer)
            write(process.stderr, f"{_(NO_TERMINAL)}\r\n".encode())
            process.exit(1)
            return
        if self.sessions >= self.config.max_sessions:
            log.warning("session refusée, %d sessions ouvertes : %s@%s", self.sessions, user, peer)
            write(process.stderr, f"{_(TOO_MANY_SESSIONS)}\r\n".encode())
            process.exit(1)
            return
        self.sessions += 1
        # The sandboxes are counted with the sessions: at most --max-sessions of them on disk.
        sandbox: Path | None = None
        try:
            if self._sandboxes is not None:
                sandbox = await self._new_sandbox(process, f"{user}@{peer}")
                if sandbox is None:
                    return
            db = sandbox or (None if self.config.db_url else self.config.db_path)
            plan = plan_session(self.config.command, db, user=user, term=term)
            start: list[str] | Launcher = plan.command
            if self.warm is not None:
                # The child writes the demo into its sandbox itself.
                start = Forked(self.warm, str(db or FROM_ENVIRONMENT), plan.lines, sandbox)
            env, idle = self.child_env(term), self.config.idle_timeout
            session = PtySession(process, start, env, idle, f"{user}@{peer}", lines=plan.lines)
            log.info("session ouverte : %s@%s (%d en cours)", user, peer, self.sessions)
            self._live.add(session)
            try:
                status = await session.run()
            except WarmParentError:
                log.exception("session impossible : %s@%s", user, peer)
                write(process.stderr, f"{_(NO_SESSION)}\r\n".encode())
                process.exit(1)
                return
            finally:
                self._live.discard(session)
                if self._sandboxes is not None and sandbox is not None:
                    # Whatever way the session ended, even cancelled by the server's shutdown.
                    self._sandboxes.remove(sandbox)
                session.finished.set()
        finally:
            self.sessions -= 1
        log.info("session fermée : %s@%s (%s)", user, peer, session.end_reason)
        with contextlib.suppress(OSError, asyncssh.Error):
            process.exit(status)

    async def _new_sandbox(
        self, process: asyncssh.SSHServerProcess[bytes], who: str
    ) -> Path | None:
        """The session's sandbox (its data file), or None after telling the person why not.
        For a child of the warm parent, an empty folder it writes the demo into; else written
        here, in a thread: the demo's password is hashed."""
        assert self._sandboxes is not None
        try:
            if self.warm is not None:
                return self._sandboxes.new_folder()
            return await asyncio.to_thread(self._sandboxes.new_sandbox)
        except Exception:
            log.exception("bac à sable impossible pour %s", who)
            write(process.stderr, f"{_(NO_SANDBOX)}\r\n".encode())
            process.exit(1)
            return None


class _Connection(asyncssh.SSHServer):
    """One SSH connection: rate limit, authentication policy, logging."""

    def __init__(self, server: SshAppServer) -> None:
        self._server = server
        self._peer = "?"

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._peer = _peer(conn.get_extra_info("peername"))
        if not self._server.limiter.allow(self._peer):
            log.warning("connexion refusée (trop de connexions) : %s", self._peer)
            conn.disconnect(asyncssh.DISC_TOO_MANY_CONNECTIONS, _(TOO_MANY_CONNECTIONS))
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


def serve_forever(config: SshConfig, announce: Callable[[str], None]) -> None:
    """Run the server until Ctrl+C or SIGTERM; ``announce`` gets the lines to show at start."""

    async def run() -> None:
        server = SshAppServer(config)
        await server.start()
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        where = {"host": config.host, "port": server.port}
        if server.policy.is_open:
            announce(
                _(
                    "Serveur SSH ÉduConnect sur %(host)s:%(port)d (mode ouvert de "
                    "démonstration : tout nom d'utilisateur, sans mot de passe)."
                )
                % where
            )
        else:
            announce(
                _(
                    "Serveur SSH ÉduConnect sur %(host)s:%(port)d (clés publiques autorisées "
                    "seulement)."
                )
                % where
            )
        announce(
            _("Empreinte de la clé d'hôte : %(fingerprint)s") % {"fingerprint": server.fingerprint}
        )
        announce(_("Connexion : ssh -C -p %(port)d demo@%(host)s") % where)
        if config.sandboxes is not None:
            announce(_(SANDBOXED))
        try:
            await stop.wait()
        finally:
            server.close()
            await server.wait_closed()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())


def _peer(peername: object) -> str:
    if isinstance(peername, tuple) and peername:
        return str(peername[0])
    return "?"
