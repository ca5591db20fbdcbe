"""``educonnect serve web``: the same app in a browser, through textual-serve.

Each browser tab gets its own app process. textual-serve has no authentication of its own: put
it behind a reverse proxy that authenticates (and terminates TLS), and pass ``--public-url``.

The page is this package's own (``web_assets/app_index.html``): a visitor's browser loads
everything from this server, the font included, and contacts no other host.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shlex
from pathlib import Path

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

from services.i18n import _
from store.paths import ENV_VAR
from tui.serve.access import ServeError, is_loopback
from tui.serve.child import FROM_ENVIRONMENT, app_command
from tui.serve.forking import NO_PRELOAD, WarmParent, WarmParentError
from tui.serve.sandbox import SANDBOXED, SandboxError, SandboxRoot, wrapper_command
from tui.serve.tab import tab_command

__all__ = ["ASSETS", "serve_web"]

ASSETS = Path(__file__).with_name("web_assets")

log = logging.getLogger("educonnect.web")


class _Server(Server):
    def __init__(
        self,
        command: str,
        host: str,
        port: int,
        public_url: str | None,
        warm: WarmParent | None = None,
    ) -> None:
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
        self.warm = warm

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.router.add_static("/fonts", ASSETS / "fonts", name="fonts")
        templates = aiohttp_jinja2.get_env(app)
        templates.globals["fonts_url"] = f"{self.public_url}/fonts/"
        templates.globals["_"] = _
        return app

    async def on_startup(self, app: object) -> None:
        if self.warm is not None:
            try:
                await self.warm.start()
            except (OSError, WarmParentError):
                log.exception("processus préchargé impossible")
                raise ServeError(_(NO_PRELOAD)) from None
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
        if self.warm is not None:
            await self.warm.close()


def serve_web(
    db_path: Path,
    host: str,
    port: int,
    *,
    open_mode: bool,
    public_url: str | None,
    db_url: str | None = None,
    sandboxes: Path | None = None,
    preload: bool = True,
) -> None:
    """Serve the app on the file ``db_path``, or on the PostgreSQL database ``db_url``, or
    (``sandboxes``, a folder) each tab on its own fresh copy of the demo families; each tab
    forked from the warm parent (``tui.serve.warm``) unless ``preload`` is False."""
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
    warm = None
    if preload:
        warm = WarmParent(dict(os.environ), log, sandboxes=sandboxes is not None)
    db = FROM_ENVIRONMENT if db_url else str(db_path)
    try:
        if sandboxes is None:
            argv = tab_command(warm.path, db) if warm else app_command(None if db_url else db_path)
            _Server(shlex.join(argv), host, port, public_url, warm).serve()
            return
        try:
            root = SandboxRoot(sandboxes).open()
        except SandboxError as error:
            raise ServeError(error.message) from None
        try:
            # Each tab's command makes its sandbox and removes it at its end (tui.serve.sandbox,
            # or tui.serve.tab, whose child writes the demo into it).
            argv = tab_command(warm.path, db, root.folder) if warm else wrapper_command(root.folder)
            server = _Server(shlex.join(argv), host, port, public_url, warm)
            server.sandboxed = True
            server.serve()
        finally:
            root.close()
    finally:
        if warm is not None:
            # Its folder, when the server never started it (a port taken, say).
            warm.remove_folder()
