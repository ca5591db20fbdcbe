"""``educonnect serve ssh``: every SSH connection gets its own app process on a pseudo-terminal.

Nothing is shared between sessions but the store (the file, safe across processes, or the
PostgreSQL database, which several such servers on several machines can share). The server
only ever starts ``tui.serve.child`` (the guardian and pupil app, or its line mode:
``tui.serve.modes``): no shell, no command, no subsystem, no forwarding.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import signal
import time
import warnings
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.utils import CryptographyDeprecationWarning

from services.i18n import N_, _
from store.errors import os_error_reason
from store.paths import ENV_VAR
from tui.glyphs import ASCII_VARIABLE
from tui.language import LANGUAGE_VARIABLE
from tui.serve.sandbox import NO_SANDBOX, SANDBOXED, SandboxError, SandboxRoot

# cryptography 51 deprecates DSA and asyncssh 2.24 names `dsa.*` while it loads: five English
# warnings before the server's banner. Only that warning, and only from asyncssh, is silenced.
warnings.filterwarnings(
    "ignore",
    message="DSA is deprecated",
    category=CryptographyDeprecationWarning,
    module=r"asyncssh(\.|$)",
)

import asyncssh  # noqa: E402  (after the filter above, which must see its import)

from tui.serve.modes import plan_session  # noqa: E402
from tui.serve.session import PtySession, write  # noqa: E402

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
        if not path.is_file():
            # A pipe would block the read for ever; a folder cannot be read.
            raise _unreadable_host_key(path, _("ce n'est pas un fichier ordinaire"))
        try:
            return asyncssh.read_private_key(path)
        except OSError as error:
            raise _unreadable_host_key(path, os_error_reason(error)) from None
        except asyncssh.KeyImportError:
            raise _unreadable_host_key(path, _("format de clé non reconnu")) from None
    key = asyncssh.generate_private_key("ssh-ed25519", comment="educonnect")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created 0600 from the start: never readable by others, not even for an instant.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(key.export_private_key())
    return key


def _unreadable_host_key(path: Path, reason: str) -> ServeError:
    return ServeError(
        _(
            "La clé d'hôte %(path)s ne peut pas être lue (%(reason)s). Supprimez-la pour qu'une "
            "nouvelle soit créée (les clients verront alors une nouvelle empreinte)."
        )
        % {"path": path, "reason": reason}
    )


def load_authorized_keys(path: Path, user: str | None) -> dict[str, set[bytes]]:
    """Allowed users and their public keys, from an OpenSSH ``authorized_keys`` file.

    Each line is ``TYPE BASE64 COMMENT``. The login name is ``user`` for every key when given,
    else the key's comment up to its first ``@`` (``sophie@portable`` logs in as ``sophie``).
    Lines with options (``from=…``, ``command=…``) are refused rather than silently ignored:
    a restriction this server would not enforce must not look enforced.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ServeError(
            _("Le fichier de clés %(path)s ne peut pas être lu (%(reason)s).")
            % {"path": path, "reason": os_error_reason(error)}
        ) from None
    except UnicodeDecodeError:
        raise ServeError(
            _("Le fichier de clés %(path)s ne peut pas être lu (il n'est pas en UTF-8).")
            % {"path": path}
        ) from None
    allowed: dict[str, set[bytes]] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        try:
            key = asyncssh.import_public_key(" ".join(parts[:2]))
        except (asyncssh.KeyImportError, ValueError):
            raise ServeError(
                _(
                    "%(path)s, ligne %(line)d : clé publique illisible. Seules les lignes "
                    "« type clé commentaire » sont acceptées (les options comme from= ou "
                    "command= ne le sont pas)."
                )
                % {"path": path, "line": number}
            ) from None
        comment = parts[2].strip() if len(parts) > 2 else ""
        login = user or comment.split("@", 1)[0]
        if not login:
            raise ServeError(
                _(
                    "%(path)s, ligne %(line)d : la clé n'a pas de commentaire pour nommer "
                    "l'utilisateur. Ajoutez-en un, ou indiquez --user."
                )
                % {"path": path, "line": number}
            )
        allowed.setdefault(login, set()).add(key.public_data)
    if not allowed:
        raise ServeError(_("Le fichier de clés %(path)s ne contient aucune clé.") % {"path": path})
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
                    _("--open et --authorized-keys s'excluent : choisissez l'un des deux.")
                )
            return cls(load_authorized_keys(authorized_keys, user))
        if user is not None:
            raise ServeError(_("--user n'a de sens qu'avec --authorized-keys."))
        if not open_mode and not is_loopback(host):
            raise ServeError(
                _(
                    "Sur l'adresse %(host)s, n'importe qui pourrait se connecter sans mot de "
                    "passe. Indiquez --authorized-keys FICHIER pour n'accepter que certaines "
                    "clés, ou --open pour confirmer le mode ouvert de démonstration."
                )
                % {"host": host}
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
        if self._sandboxes is not None:
            self._sandboxes.close()

    def child_env(self, term: str) -> dict[str, str]:
        # No COLUMNS/LINES: Textual would read them and then ignore every window resize.
        env = {name: os.environ[name] for name in self.config.inherited_env if name in os.environ}
        env.setdefault("LANG", "C.UTF-8")
        env["TERM"] = term
        if self.config.db_url is not None:
            env[ENV_VAR] = self.config.db_url
        return env

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
            env, idle = self.child_env(term), self.config.idle_timeout
            session = PtySession(
                process, plan.command, env, idle, f"{user}@{peer}", lines=plan.lines
            )
            log.info("session ouverte : %s@%s (%d en cours)", user, peer, self.sessions)
            self._live.add(session)
            try:
                status = await session.run()
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
        In a thread: the demo's password is hashed."""
        assert self._sandboxes is not None
        try:
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
