"""``educonnect serve web``: the same app in a browser, through textual-serve.

Each browser tab gets its own app process. textual-serve has no authentication of its own: put
it behind a reverse proxy that authenticates (and terminates TLS), and pass ``--public-url``.

The page is this package's own (``web_assets/app_index.html``): a visitor's browser loads
everything from this server, the font included, and contacts no other host.
"""

from __future__ import annotations

import asyncio
import os
import shlex
from pathlib import Path

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

from services.i18n import _
from store.paths import ENV_VAR
from tui.serve.child import app_command
from tui.serve.sandbox import SANDBOXED, SandboxError, SandboxRoot, wrapper_command
from tui.serve.ssh import ServeError, is_loopback

__all__ = ["ASSETS", "serve_web"]

ASSETS = Path(__file__).with_name("web_assets")


class _Server(Server):
    def __init__(self, command: str, host: str, port: int, public_url: str | None) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title="ÉduConnect",
            public_url=public_url,
            templates_path=ASSETS,
        )
        self._tabs: set[asyncio.Task[object]] = set()
        self.sandboxed = False

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.router.add_static("/fonts", ASSETS / "fonts", name="fonts")
        templates = aiohttp_jinja2.get_env(app)
        templates.globals["fonts_url"] = f"{self.public_url}/fonts/"
        templates.globals["_"] = _
        return app

    async def on_startup(self, app: object) -> None:
        self.console.print(
            _("Application ÉduConnect servie sur %(url)s (Ctrl+C pour arrêter).")
            % {"url": self.public_url},
            highlight=False,
        )
        if self.sandboxed:
            self.console.print(_(SANDBOXED), highlight=False)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        tab = asyncio.current_task()
        assert tab is not None
        self._tabs.add(tab)
        try:
            return await super().handle_websocket(request)
        finally:
            self._tabs.discard(tab)

    async def on_shutdown(self, app: web.Application) -> None:
        # aiohttp would wait up to a minute for open tabs before cutting them off; textual-serve
        # ends a tab that is cancelled cleanly: its app is told to quit, its websocket closed.
        for tab in list(self._tabs):
            tab.cancel()


def serve_web(
    db_path: Path,
    host: str,
    port: int,
    *,
    open_mode: bool,
    public_url: str | None,
    db_url: str | None = None,
    sandboxes: Path | None = None,
) -> None:
    """Serve the app on the file ``db_path``, or on the PostgreSQL database ``db_url``, or
    (``sandboxes``, a folder) each tab on its own fresh copy of the demo families."""
    if not open_mode and not is_loopback(host):
        raise ServeError(
            _(
                "Sur l'adresse %(host)s, n'importe qui pourrait ouvrir l'application : le serveur "
                "web n'a pas d'authentification. Placez-le derrière un proxy inverse qui "
                "authentifie, sur l'adresse locale, ou ajoutez --open pour confirmer."
            )
            % {"host": host}
        )
    if db_url is not None:
        # textual-serve gives each tab a copy of this process's environment and no other way
        # in: the URL reaches the tabs there, never on their command line (``ps`` shows it).
        os.environ[ENV_VAR] = db_url
    if sandboxes is None:
        command = shlex.join(app_command(None if db_url else db_path))
        _Server(command, host=host, port=port, public_url=public_url).serve()
        return
    try:
        root = SandboxRoot(sandboxes).open()
    except SandboxError as error:
        raise ServeError(error.message) from None
    try:
        # Each tab's command makes its sandbox and removes it at its end (tui.serve.sandbox).
        server = _Server(
            shlex.join(wrapper_command(root.folder)), host=host, port=port, public_url=public_url
        )
        server.sandboxed = True
        server.serve()
    finally:
        root.close()
