"""A code sent by SMS or e-mail: the field, the button that checks it, and the link that sends
a new code (the old one then stops working). Registration, FranceConnect's first use, the
password reset and the e-mail confirmation all ask for one this way."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Input, Static

from services import ServiceError
from tui.language import N_, _
from tui.screens.base import FormScreen, show_refusal
from tui.screens.common.fields import code_field
from tui.widgets import TextField
from tui.widgets.button import InstantButton

__all__ = ["CodeStep"]


class CodeStep(FormScreen):
    """Subclasses name the labels, ``check`` the code typed and say, with ``send_again``, what
    a new code's sentence is.

    A screen lists this class after its other base: Textual's CSS type selectors follow only
    a class's first base, and the styles name those (``RegistrationStep TextField``)."""

    AUTO_FOCUS = "#code-input"
    CODE_LABEL: ClassVar[str] = ""
    """The code field's label; this and the labels below are ``N_()`` msgids."""
    CHECK_BUTTON: ClassVar[tuple[str, str]] = ("continue", N_("Continuer"))
    """(id, label) of the button that checks the code."""
    RESEND_LABEL: ClassVar[str] = ""
    ENDING: ClassVar[tuple[type[ServiceError], ...]] = ()
    """Refusals of a new code that end the whole step, not only the resend."""
    ACTION_CLASSES: ClassVar[str] = ""
    """Extra classes of the check button's row and of the resend link."""

    def compose_code(self) -> ComposeResult:
        check_id, check_label = self.CHECK_BUTTON
        yield code_field(_(self.CODE_LABEL))
        with Horizontal(classes=f"actions {self.ACTION_CLASSES}"):
            yield InstantButton(_(check_label), id=check_id, variant="primary", compact=True)
        yield InstantButton(
            _(self.RESEND_LABEL), id="resend", classes=f"link {self.ACTION_CLASSES}", compact=True
        )
        yield Static("", id="resend-message", markup=False)

    # Both ids a check button has (``CHECK_BUTTON``): a selector cannot read a class variable.
    @on(Button.Pressed, "#continue, #confirm")
    @on(Input.Submitted, "#code-input")
    def submit(self) -> None:
        if not self.busy:
            self.verify()

    @on(Button.Pressed, "#resend")
    def ask_resend(self) -> None:
        if not self.busy:
            self.resend()

    @work(exclusive=True)
    async def verify(self) -> None:
        await self.check(self.query_one("#code", TextField).value)

    async def check(self, code: str) -> None:
        """Check ``code`` with the service; end the step if it is right."""
        raise NotImplementedError

    async def send_again(self) -> str:
        """Ask the service for a new code; the sentence that says it left."""
        raise NotImplementedError

    @work(exclusive=True)
    async def resend(self) -> None:
        self.busy = True
        self.clear_messages()
        notice = self.query_one("#resend-message", Static)
        try:
            sentence = await self.send_again()
        except ServiceError as error:
            if isinstance(error, self.ENDING):
                self.show_error(error)
            else:
                self.show_resend_refusal(error)
                self.until_wait_over(error, self.show_resend_refusal)
            return
        finally:
            self.busy = False
            self.refresh_phone()
        notice.update(Content(sentence))
        notice.set_classes("-sent")
        code = self.query_one("#code", TextField)
        code.input.value = ""
        code.input.focus()

    def show_resend_refusal(self, error: ServiceError | None) -> None:
        notice = self.query_one("#resend-message", Static)
        notice.remove_class("-sent")
        show_refusal(notice, error, shown="-error")
