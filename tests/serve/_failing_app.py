"""An app built on the same base as ÉduConnect's that fails on the key « x », the way an
unexpected bug would: ``python -m tests.serve._failing_app``, as a session's program."""

from __future__ import annotations

import sys

from textual import events
from textual.app import ComposeResult
from textual.widgets import Static

from tui.serve.child import log_to_server
from tui.terminal.guarded import GuardedApp

READY = "Appuyez sur x"


class FailingApp(GuardedApp):
    def compose(self) -> ComposeResult:
        yield Static(READY)

    def on_key(self, event: events.Key) -> None:
        if event.key == "x":
            raise RuntimeError("panne simulée dans /srv/educonnect/secret.py")


if __name__ == "__main__":
    log_to_server()
    app = FailingApp()
    app.run()
    sys.exit(app.return_code)
