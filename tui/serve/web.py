"""``educonnect serve web``: the same app in a browser, through textual-serve.

Each browser tab gets its own app process. textual-serve has no authentication of its own: put
it behind a reverse proxy that authenticates (and terminates TLS), and pass ``--public-url``.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from textual_serve.server import Server

from tui.serve.child import app_command
from tui.serve.ssh import ServeError, is_loopback

__all__ = ["serve_web"]


class _Server(Server):
    async def on_startup(self, app: object) -> None:
        self.console.print(
            f"Application ÉduConnect servie sur {self.public_url} (Ctrl+C pour arrêter).",
            highlight=False,
        )


def serve_web(
    db_path: Path, host: str, port: int, *, open_mode: bool, public_url: str | None
) -> None:
    if not open_mode and not is_loopback(host):
        raise ServeError(
            f"Sur l'adresse {host}, n'importe qui pourrait ouvrir l'application : le serveur web "
            "n'a pas d'authentification. Placez-le derrière un proxy inverse qui authentifie, "
            "sur l'adresse locale, ou ajoutez --open pour confirmer."
        )
    command = shlex.join(app_command(db_path))
    _Server(command, host=host, port=port, title="ÉduConnect", public_url=public_url).serve()
