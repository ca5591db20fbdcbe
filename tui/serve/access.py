"""Who may reach the SSH server, and as whom: its host key, the open demo mode or the
authorized public keys, the connection rate per address. Imports asyncssh (after silencing its
import-time warning): ``tui.serve.ssh`` and ``tui.serve.session`` import it through here.
"""

from __future__ import annotations

import ipaddress
import os
import time
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.utils import CryptographyDeprecationWarning

from services.i18n import _
from store.errors import os_error_reason

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
    "host_key_path_for",
    "is_loopback",
    "load_authorized_keys",
    "load_or_create_host_key",
]


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
