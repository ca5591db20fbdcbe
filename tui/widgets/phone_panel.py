"""The trainer's phone (F2): the SMS the number being registered has received, newest first."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from services.messaging import OutboxReader
from services.phones import format_for_display
from store.records import OutboxMessage
from tui.flow import Flow

__all__ = ["PhonePanel"]

POLL_SECONDS = 1.0


class PhonePanel(Vertical):
    """Polls the outbox only while shown; the outbox journal is re-read only when it grew, and
    the widget repaints only when the list of messages changed, so an idle panel sends nothing."""

    DEFAULT_CSS = """
    PhonePanel {
        width: 32;
        height: 100%;
        border-left: solid $primary;
        padding: 0 1;
        display: none;
    }
    PhonePanel > .phone--title {
        text-style: bold;
        width: 100%;
        content-align: center middle;
    }
    PhonePanel > .phone--number {
        width: 100%;
        content-align: center middle;
        color: $text-muted;
    }
    PhonePanel .phone--sms {
        background: $boost;
        margin-top: 1;
        padding: 0 1;
    }
    PhonePanel .phone--empty {
        color: $text-muted;
        margin-top: 1;
    }
    """

    def __init__(self, outbox: OutboxReader, flow: Flow, *, id: str = "phone-panel") -> None:
        super().__init__(id=id)
        self._outbox = outbox
        self._flow = flow
        self._shown: tuple[OutboxMessage, ...] | None = None
        self._shown_phone: str | None = None

    def compose(self) -> ComposeResult:
        yield Label("Téléphone (démo)", classes="phone--title")
        yield Static("", classes="phone--number", markup=False, id="phone-number")
        yield VerticalScroll(id="phone-messages")

    def on_mount(self) -> None:
        self._timer = self.set_interval(POLL_SECONDS, self.refresh_messages, pause=True)

    def show(self, visible: bool) -> None:
        self.display = visible
        if visible:
            self.refresh_messages()
            self._timer.resume()
        else:
            self._timer.pause()

    def refresh_messages(self) -> None:
        phone = self._flow.phone
        messages = tuple(self._outbox.messages(channel="sms", to=phone)) if phone else ()
        if messages == self._shown and phone == self._shown_phone:
            return
        self._shown, self._shown_phone = messages, phone
        self.query_one("#phone-number", Static).update(
            Content(format_for_display(phone) if phone else "aucun numéro saisi")
        )
        container = self.query_one("#phone-messages", VerticalScroll)
        container.remove_children()
        if not messages:
            container.mount(Static("Aucun SMS reçu.", classes="phone--empty"))
            return
        container.mount_all(
            Static(
                Content(f"{message.at.astimezone().strftime('%H:%M')}  {message.text}"),
                classes="phone--sms",
            )
            for message in reversed(messages)
        )
