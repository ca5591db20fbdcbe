"""What every step of the guide has in common: header, form column, phone panel, footer."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar, ParamSpec, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Input, Static

from services import ServiceError
from store import StoreError
from tui.flow import Flow
from tui.journey import Outcome, Step
from tui.language import N_, _, current
from tui.loading import PendingServices
from tui.navigator import Navigating
from tui.screens.calm import CalmScreen, keep_in_view
from tui.widgets import CalmFooter, PhonePanel, StepHeader, TextField

if TYPE_CHECKING:
    from services import Services

__all__ = ["FormColumn", "FormScreen", "Refused", "StepScreen", "run_service", "show_refusal"]

P = ParamSpec("P")
T = TypeVar("T")

log = logging.getLogger(__name__)

UNEXPECTED = N_(
    "Une erreur inattendue est survenue. Réessayez ; si elle persiste, contactez l'établissement."
)


async def run_service(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a service call in a thread (hashing and file I/O never block the event loop).

    Whatever goes wrong reaches the screen as a ``ServiceError`` with a French sentence, never
    as a traceback.
    """
    try:
        return await asyncio.to_thread(function, *args, **kwargs)
    except ServiceError:
        raise
    except StoreError as error:
        raise ServiceError.relaying(error.message) from error
    except Exception as error:
        log.exception("service call failed")
        raise ServiceError.relaying(_(UNEXPECTED)) from error


def show_refusal(line: Static, error: ServiceError | None, shown: str = "-shown") -> None:
    """``error``'s sentence on ``line``, which the class ``shown`` displays; or, for ``None``,
    the line emptied and hidden (a wait that is over, ``StepScreen.until_wait_over``)."""
    line.update(Content(error.text(current()) if error else ""))
    line.set_class(error is not None, shown)


class FormColumn(VerticalScroll, can_focus=False):
    """Scrolls when a form is taller than the terminal, but is never a Tab stop itself: the
    first Tab stop of a screen is its first field."""

    def on_resize(self) -> None:
        # Made shorter or narrower (the phone panel opened, the terminal resized), the form
        # is laid out again: the control with the focus may have gone below the fold.
        focused = self.screen.focused
        if focused is not None and self in focused.ancestors:
            keep_in_view(focused)


class StepScreen(CalmScreen[None]):
    """A screen of the guide. Subclasses set the class variables and write ``compose_form``;
    they end with ``end(outcome)`` and the app shows the step the journey table names."""

    STEP: ClassVar[Step]
    """This screen's row in the journey table (``tui.journey``)."""
    STEP_LABEL: ClassVar[str] = ""
    """Shown top right, e.g. « Étape 5 / 7 — Code d'activation »: an ``N_()`` msgid."""
    GUIDE_STEP: ClassVar[str] = "1"
    """Key of ``tui.guide.GUIDE_TEXT`` shown by F1."""
    wait_timer: Timer | None = None
    built_with: tuple[object, ...] = ()
    """What ``tui.navigator`` built it with: to build it again in another language."""
    refill: dict[str, str] | None = None
    """What to type back in its fields (by id) once shown: what the same step held before."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Retour"), id="back"),
    ]

    def __init__(self, services: Services | PendingServices, flow: Flow) -> None:
        super().__init__()
        self.pending = (
            services if isinstance(services, PendingServices) else PendingServices.ready(services)
        )
        self.flow = flow

    @property
    def services(self) -> Services:
        """Built by the time a screen acts: the app holds keys and clicks until they are."""
        return self.pending.get()

    def compose(self) -> ComposeResult:
        self.set_breakpoint_classes()
        yield StepHeader(_(self.STEP_LABEL) if self.STEP_LABEL else "")
        with Horizontal(id="body"):
            with FormColumn(id="form"):
                yield from self.compose_form()
            # The first screen is composed before the services are built; the panel reads the
            # outbox only once a number or an address has been given.
            yield PhonePanel(lambda: self.services, self.flow)
        yield CalmFooter()

    def compose_form(self) -> ComposeResult:
        raise NotImplementedError

    def set_breakpoint_classes(self) -> None:
        """The app's width class (``-narrow`` / ``-wide``), set as Textual would set it.

        Textual sets it on the screen's first resize, after every widget of the screen has been
        styled, and a new class styles them all again: a few hundredths of a second on each
        screen shown. Set before the widgets exist, it is already right then.
        """
        breakpoints = sorted(self.app.HORIZONTAL_BREAKPOINTS or [])
        width = self.app.size.width
        reached = [name for threshold, name in breakpoints if width >= threshold][-1:]
        self.update_classes({name: name in reached for _, name in breakpoints})

    def on_mount(self) -> None:
        # Bilingual mode: every text takes two lines and a form's buttons would fall below
        # the fold; they stay at the bottom of the form column, as a long form's do.
        if self.app.has_class("-bilingual"):
            for row in self.query_one(FormColumn).query_children(".actions"):
                row.add_class("pinned")

    def on_screen_resume(self) -> None:
        self.show_phone_panel(getattr(self.app, "phone_panel_visible", False))
        if self.refill:
            for field in self.query(Input):
                if field.id in self.refill:
                    field.value = self.refill[field.id]
            self.refill = None

    def typed_values(self) -> dict[str, str]:
        """What is typed in this screen's fields, by id (the person's own text, kept as is)."""
        return {field.id: field.value for field in self.query(Input) if field.id and field.value}

    def show_phone_panel(self, visible: bool) -> None:
        panel = self.query_one(PhonePanel)
        # Only on a change: even a no-op style assignment relayouts and repaints the screen,
        # and this runs each time a screen is shown.
        if panel.display == visible:
            return
        panel.show(visible)
        # Lets a screen's styles give the form a single column when the panel takes the room.
        self.set_class(visible, "-with-phone")

    def refresh_phone(self) -> None:
        """Called after a service call that may have sent an SMS: no need to wait for the poll."""
        panel = self.query_one(PhonePanel)
        if panel.display:
            panel.refresh_messages()

    def action_back(self) -> None:
        self.app.pop_screen()

    def end(self, outcome: Outcome) -> None:
        """This step is over: the app moves on as the journey table says.

        A call, not a posted message: the next screen is there before any further key is
        handled (keys that came in the same read included), as when screens pushed one
        another."""
        app = self.app
        if not isinstance(app, Navigating):
            raise TypeError(f"{type(app).__name__} has no navigator for the journey")
        app.navigator.follow(self, outcome)

    def returned_to(self, outcome: Outcome) -> None:
        """Shown again because a later step ended with ``outcome`` (closing the steps above)."""

    def until_wait_over(
        self, error: ServiceError, replace: Callable[[ServiceError | None], None]
    ) -> None:
        """A refusal that asks to wait N seconds is no longer true after them: it then loses
        its wait (or goes). No countdown: over a slow link each second would cost a repaint."""
        self.forget_wait()
        if error.wait_seconds:
            self.wait_timer = self.set_timer(
                error.wait_seconds, lambda: replace(error.after_wait())
            )

    def forget_wait(self) -> None:
        if self.wait_timer is not None:
            self.wait_timer.stop()
            self.wait_timer = None


class Refused:
    """What ``FormScreen.attempt`` returns when the service said no (the screen already shows
    why)."""


class FormScreen(StepScreen):
    """A step that drives one service call at a time. A second press while a call runs would
    send a second message or count a second attempt, hence ``busy``. A refusal goes beside the
    field it names, else under the form (``compose_message`` places that line)."""

    def __init__(self, services: Services | PendingServices, flow: Flow) -> None:
        super().__init__(services, flow)
        self.busy = False

    def compose_message(self) -> ComposeResult:
        yield Static("", id="form-message", classes="form-error", markup=False)

    def field_widget(self, field: str | None) -> TextField | None:
        """The field a service error names, if this screen shows it."""
        return next((widget for widget in self.query(TextField) if widget.id == field), None)

    def clear_messages(self) -> None:
        self.forget_wait()
        for widget in self.query(TextField):
            widget.clear_error()
        self.query_one("#form-message").remove_class("-shown")

    def show_message(self, message: str) -> None:
        form_message = self.query_one("#form-message", Static)
        form_message.update(Content(message))
        form_message.add_class("-shown")
        form_message.scroll_visible()

    async def attempt(
        self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs
    ) -> T | Refused:
        """One service call with the form locked and its old messages cleared; a refusal is
        shown where it belongs and ``Refused`` returned."""
        self.busy = True
        self.clear_messages()
        try:
            return await run_service(function, *args, **kwargs)
        except ServiceError as error:
            self.show_error(error)
            return Refused()
        finally:
            self.busy = False

    def show_error(self, error: ServiceError) -> None:
        field = self.field_widget(error.field)
        if field is None:
            self.show_message(error.text(current()))
        else:
            field.show_error(error.text(current()))
            field.input.focus()
        self.until_wait_over(error, partial(self.replace_error, field))

    def replace_error(self, field: TextField | None, error: ServiceError | None) -> None:
        """The refusal shown beside ``field`` (under the form when ``None``) becomes ``error``,
        or goes when ``error`` is ``None``; the focus stays where the person is."""
        if field is None:
            show_refusal(self.query_one("#form-message", Static), error)
        elif error is None:
            field.clear_error()
        else:
            field.show_error(error.text(current()))
