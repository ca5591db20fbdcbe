"""The trainer's phone (F2): the SMS received by the number of the person in the current flow
(``Flow``: typed at step 3 or « Identifiant oublié », or the account's once logged in or after a
reset request), newest first, and, once an e-mail address is in play, the e-mails it received
under « Courriel ». Nothing of anyone else: a new flow starts with an empty panel."""

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

from tui.flow import Flow
from tui.language import _, read_back

if TYPE_CHECKING:
    from services import Services
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
    /* The message list takes the focus so that the arrows scroll it: reverse video says so
       without colour. */
    PhonePanel #phone-messages:focus > * {
        text-style: reverse;
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
        self, services: Callable[[], Services], flow: Flow, *, id: str = "phone-panel"
    ) -> None:
        """``services`` is called only once a number, an address or an account has been
        given: the first screen is shown before the services are built."""
        super().__init__(id=id)
        self._services = services
        self._flow = flow
        self._shown: tuple[object, ...] | None = None
        self._account_recipients: tuple[str, str | None, str | None] | None = None

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
        self._read_outbox(self._flow)

    @work(exclusive=True, group="phone-panel")
    async def _read_outbox(self, flow: Flow) -> None:
        """Reads the outbox journal in a thread (file I/O never runs on the event loop), then
        shows what changed. A journal that cannot be read leaves the panel as it was."""
        services = self._services
        account, known = flow.account, self._account_recipients

        def recipients() -> tuple[str | None, str | None]:
            # The account named by a login or a reset request, looked up once per panel.
            if not account:
                return None, None
            if known is not None and known[0] == account:
                return known[1], known[2]
            return services().account.recipients(account)

        def read(
            phone: str | None, email: str | None
        ) -> tuple[tuple[OutboxMessage, ...], tuple[OutboxMessage, ...]]:
            if not phone and not email:
                return (), ()
            reader = services().outbox
            return (
                tuple(reader.messages(channel="sms", to=phone)) if phone else (),
                tuple(reader.messages(channel="email", to=email)) if email else (),
            )

        try:
            account_phone, account_email = await asyncio.to_thread(recipients)
            # What the flow itself names (a number typed, an address just given) comes first.
            phone = flow.phone or account_phone
            email = flow.email or account_email
            messages, mails = await asyncio.to_thread(read, phone, email)
        except Exception:
            log.exception("the phone panel could not read the outbox")
            return
        self._account_recipients = (account, account_phone, account_email)
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
                Static(
                    Content(f"{_time(message)}  {read_back(message.text)}"), classes="phone--sms"
                )
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
                Content.assemble(
                    f"{_time(mail)}  ",
                    (read_back(mail.subject), "bold"),
                    "\n",
                    read_back(mail.text),
                ),
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
