"""The app's base: input that no byte can break, and no traceback on the person's screen.

Input: the app reads its terminal through ``GuardedLinuxDriver``, which decodes it with
``tui.input_guard.TerminalDecoder``.

Errors: Textual prints the traceback of an unhandled error on the terminal when the app ends:
over SSH that is the person's screen, with the server's paths in it. Here the traceback goes to
the log (the server's: ``tui.serve.child``), and the person reads one French line.
"""

from __future__ import annotations

import io
import logging
import os
import selectors
from typing import Final

from rich.console import Console, RenderableType
from rich.text import Text
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver

from tui.input_guard import IDLE_SECONDS, TerminalDecoder
from tui.language import N_, _, plain_lines

__all__ = ["ENDED", "GuardedApp", "GuardedLinuxDriver"]

log = logging.getLogger("educonnect.app")

ENDED: Final = N_(
    "Une erreur inattendue a arrêté l'application ; elle a été signalée. "
    "Relancez-la pour reprendre."
)


class GuardedLinuxDriver(LinuxDriver):
    """Textual's Linux driver, reading its input through a ``TerminalDecoder``.

    Its input loop is Textual 8.2.8's, with two changes: the decoder, and a parser that is
    started afresh (and the error logged) if ever it fails on what a terminal sent, instead
    of ending the app.
    """

    def run_input_thread(self) -> None:
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        decoder = TerminalDecoder()
        parser = XTermParser(self._debug)
        try:
            while not self.exit_event.is_set():
                ready = selector.select(IDLE_SECONDS)
                if ready:
                    text = decoder.decode(self._read())
                elif decoder.pending:
                    text = decoder.flush()
                else:
                    text = ""
                parser = self._parse(parser, text)
            selector.unregister(self.fileno)
            if selector.select(IDLE_SECONDS):
                parser = self._parse(parser, decoder.decode(self._read()))
            self._parse(parser, decoder.flush())
        finally:
            selector.close()

    def _read(self) -> bytes:
        return os.read(self.fileno, 1024 * 4)

    def _parse(self, parser: XTermParser, text: str) -> XTermParser:
        """Hands the events in ``text`` (and those a timeout completed) to the app; returns the
        parser to go on with."""
        try:
            for event in parser.feed(text) if text else ():
                self.process_message(event)
            for event in parser.tick():
                self.process_message(event)
        except Exception:
            # Whatever a terminal sends is untrusted: a sequence the parser chokes on costs
            # that read, not the session.
            log.exception("terminal input not understood, %r", text)
            return XTermParser(self._debug)
        return parser


class GuardedApp(App[None]):
    """Reads a Linux terminal through ``GuardedLinuxDriver``; ends on an unexpected error as
    Textual does, but logs the traceback instead of printing it, and leaves the French line
    ``ENDED`` on the terminal."""

    _handling: object = None

    def get_driver_class(self) -> type[Driver]:
        chosen = super().get_driver_class()
        # Only Textual's own terminal driver: the web server's driver reads JSON packets.
        return GuardedLinuxDriver if chosen is LinuxDriver else chosen

    def _handle_exception(self, error: Exception) -> None:
        log.critical("erreur inattendue, l'application s'arrête", exc_info=error)
        # Textual hands an error that renders itself to ``panic``: already logged above.
        self._handling = error
        try:
            super()._handle_exception(error)
        finally:
            self._handling = None

    def _fatal_error(self) -> None:
        self._exit_renderables.append(Text(plain_lines(_(ENDED))))
        self._close_messages_no_wait()

    def panic(self, *renderables: RenderableType) -> None:
        if len(renderables) != 1 or renderables[0] is not self._handling:
            log.critical("arrêt de l'application :\n%s", _as_text(renderables))
        super().panic(Text(plain_lines(_(ENDED))))


def _as_text(renderables: tuple[RenderableType, ...]) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=120, color_system=None, force_terminal=False)
    for renderable in renderables:
        console.print(renderable)
    return buffer.getvalue()
