"""The trainer's phone (F2): the SMS the number being registered has received, newest first,
and, once an e-mail address is in play, the e-mails it received under « Courriel »."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from services.i18n import _
from tui.flow import Flow

if TYPE_CHECKING:
    from services.messaging import OutboxReader
    from store.records import OutboxMessage

__all__ = ["PhonePanel"]

log = logging.getLogger(__name__)

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
    PhonePanel .mail--title {
        text-style: bold;
        width: 100%;
        content-align: center middle;
        margin-top: 1;
        border-top: solid $primary;
    }
    PhonePanel .mail--address {
        width: 100%;
        content-align: center middle;
        color: $text-muted;
    }
    """

    def __init__(
        self, outbox: Callable[[], OutboxReader], flow: Flow, *, id: str = "phone-panel"
    ) -> None:
        """``outbox`` is called only once a number or an address has been given: the first
        screen is shown before the services are built."""
        super().__init__(id=id)
        self._outbox = outbox
        self._flow = flow
        self._shown: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        yield Label(_("Téléphone (démo)"), classes="phone--title")
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
        self._read_outbox(self._flow.phone, self._flow.email)

    @work(exclusive=True, group="phone-panel")
    async def _read_outbox(self, phone: str | None, email: str | None) -> None:
        """Reads the outbox journal in a thread (file I/O never runs on the event loop), then
        shows what changed. A journal that cannot be read leaves the panel as it was."""
        outbox = self._outbox

        def read() -> tuple[tuple[OutboxMessage, ...], tuple[OutboxMessage, ...]]:
            reader = outbox()
            return (
                tuple(reader.messages(channel="sms", to=phone)) if phone else (),
                tuple(reader.messages(channel="email", to=email)) if email else (),
            )

        try:
            messages, mails = await asyncio.to_thread(read)
        except Exception:
            log.exception("the phone panel could not read the outbox")
            return
        self._show_messages(phone, messages, email, mails)

    def _show_messages(
        self,
        phone: str | None,
        messages: tuple[OutboxMessage, ...],
        email: str | None,
        mails: tuple[OutboxMessage, ...],
    ) -> None:
        shown = (phone, messages, email, mails)
        if shown == self._shown:
            return
        self._shown = shown
        self.query_one("#phone-number", Static).update(
            Content(_display_number(phone) if phone else _("aucun numéro saisi"))
        )
        container = self.query_one("#phone-messages", VerticalScroll)
        container.remove_children()
        if messages:
            container.mount_all(
                Static(Content(f"{_time(message)}  {message.text}"), classes="phone--sms")
                for message in reversed(messages)
            )
        else:
            container.mount(Static(_("Aucun SMS reçu."), classes="phone--empty"))
        if email is None:
            return
        container.mount(Label(_("Courriel (démo)"), classes="mail--title"))
        container.mount(Static(Content(email), classes="mail--address"))
        if not mails:
            container.mount(Static(_("Aucun courriel reçu."), classes="phone--empty"))
            return
        container.mount_all(
            Static(
                Content.assemble(f"{_time(mail)}  ", (mail.subject, "bold"), "\n", mail.text),
                classes="phone--sms",
            )
            for mail in reversed(mails)
        )


def _display_number(phone: str) -> str:
    # Imported here: phonenumbers is not needed before a number has been typed, and the first
    # screen must not wait for it.
    from services.phones import format_for_display

    return format_for_display(phone)


def _time(message: OutboxMessage) -> str:
    return message.at.astimezone().strftime("%H:%M")
