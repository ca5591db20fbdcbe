"""What the registration's steps share, and the two of its steps (the SMS code, the
children) that FranceConnect's first use goes through as well: one service call at a time,
errors beside their field, and the way back once the server has ended the registration."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, RadioSet, Static

from services import ServiceError, Services
from services.errors import (
    SINGLE_LINK_SENTENCE,
    AlreadyHasAccount,
    BirthDateMismatch,
    RegistrationEnded,
    TooManyBirthDates,
)
from services.registration import ChildAnswer, ChildrenToConfirm, ExistingAccount
from tui.flow import Flow
from tui.journey import (
    AccountAlreadyActive,
    CodeAccepted,
    Outcome,
    RegistrationAbandoned,
    RegistrationRestarted,
)
from tui.language import N_, _, current
from tui.screens.base import FormScreen, Refused, run_service
from tui.screens.calm import CalmModalScreen
from tui.screens.common.code_step import CodeStep
from tui.screens.common.fields import child_name, date_field
from tui.widgets import ChoiceButton, ChoiceList, TextField
from tui.widgets.button import InstantButton

if TYPE_CHECKING:
    from tui.screens.base import StepScreen

__all__ = ["AbandonScreen", "ChildrenStep", "RegistrationStep", "SmsCodeStep"]

DISPUTE_NOTE = N_(
    "« Non » permet de signaler un rattachement élève-responsable erroné et d'accéder aux "
    "services pour les autres élèves."
)


class RegistrationStep(FormScreen):
    """A step of an activation in progress: once the registration has ended on the server,
    only « Recommencer l'activation » is left, unless it ended on an account already active:
    then the screen of that account, with « Se connecter » and « Mot de passe oublié ? ».
    When the domain says a new start must wait (``TooManyBirthDates.next_at``), step 3 would
    only refuse: « Retour à la connexion » takes its place, and the message says from when."""

    def __init__(self, services: Services, flow: Flow) -> None:
        super().__init__(services, flow)
        self.ended = False

    def compose_messages(self) -> ComposeResult:
        yield from self.compose_message()
        with Vertical(id="ended"):
            yield Static("", id="ended-message", markup=False)
            yield InstantButton(
                _("Recommencer l'activation"), id="restart", variant="primary", compact=True
            )
            yield InstantButton(
                _("Retour à la connexion"), id="to-login", variant="primary", compact=True
            )

    def show_error(self, error: ServiceError) -> None:
        if isinstance(error, AlreadyHasAccount):
            self.flow.token = None
            self.end(AccountAlreadyActive(error.identifiant))
            return
        if isinstance(error, RegistrationEnded):
            # The first end says why (and until when): a later « no longer valid » must not
            # replace it.
            if not self.ended:
                self.show_ended(error)
            return
        super().show_error(error)

    def show_ended(self, error: RegistrationEnded) -> None:
        """The server closed this registration: nothing here can succeed any more."""
        self.ended = True
        self.flow.token = None
        for action in self.query(".step-action"):
            action.display = False
        must_wait = isinstance(error, TooManyBirthDates) and error.next_at is not None
        self.query_one("#ended-message", Static).update(Content(error.text(current())))
        self.query_one("#restart").display = not must_wait
        self.query_one("#to-login").display = must_wait
        self.query_one("#ended").display = True
        self.query_one("#to-login" if must_wait else "#restart").focus()

    @on(Button.Pressed, "#restart")
    def restart(self) -> None:
        self.end(RegistrationRestarted())

    @on(Button.Pressed, "#to-login")
    def to_login(self) -> None:
        leave_registration(self)

    def abandon(self) -> None:
        """« Annuler » once the server has moved on (steps 6 and 7): confirm, then step 2."""
        if self.ended:
            leave_registration(self)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                leave_registration(self)

        self.app.push_screen(AbandonScreen(), answered)


def leave_registration(step: StepScreen) -> None:
    step.flow.token = None
    step.end(RegistrationAbandoned())


class SmsCodeStep(RegistrationStep, CodeStep):
    """Step 5: the code received by SMS, « Continuer », and asking for a new code."""

    GUIDE_STEP = "5"
    CODE_LABEL = N_("J'indique le code d'activation reçu par SMS (valable 30min)")
    RESEND_LABEL = N_("Je n'ai pas reçu de code d'activation par SMS")
    ENDING = (RegistrationEnded,)
    ACTION_CLASSES = "step-action"

    def compose_form(self) -> ComposeResult:
        yield Label(_("J'active mon compte"), classes="title")
        yield from self.compose_code()
        yield from self.compose_messages()

    async def check(self, code: str) -> None:
        token = self.flow.token or ""
        registration = self.services.registration

        def verify_then_list() -> ChildrenToConfirm | ExistingAccount:
            return registration.verify_code(token, code) or registration.children(token)

        checked = await self.attempt(verify_then_list)
        if isinstance(checked, Refused):
            return
        if isinstance(checked, ExistingAccount):
            # The code proved the mobile is theirs: only now may the screen name the account.
            self.flow.token = None
            self.end(AccountAlreadyActive(checked.identifiant))
            return
        self.end(CodeAccepted(checked))

    async def send_again(self) -> str:
        token = self.flow.token or ""
        sent = await run_service(self.services.registration.send_code, token, resend=True)
        return _(
            "Un nouveau code a été envoyé au %(phone)s. Le code précédent n'est plus valable."
        ) % {"phone": sent.phone_display}

    def show_ended(self, error: RegistrationEnded) -> None:
        self.query_one("#resend-message").set_classes("")
        super().show_ended(error)


class ChildrenStep(RegistrationStep):
    """Step 6: for each linked pupil, « Oui » with the date of birth or « Non » to report a
    wrong link; « Annuler » or « Confirmer ». Subclasses say what confirming leads to."""

    GUIDE_STEP = "6"
    AUTO_FOCUS = "#answer-0"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Annuler"), id="back"),
    ]

    def __init__(self, services: Services, flow: Flow, to_confirm: ChildrenToConfirm) -> None:
        super().__init__(services, flow)
        self.to_confirm = to_confirm
        # Widget ids cannot hold any pupil id a school may export: rows are numbered instead.
        self.row_of = {child.pupil_id: index for index, child in enumerate(to_confirm.children)}

    def compose_form(self) -> ComposeResult:
        yield Label(_("Je confirme être le représentant légal de"), classes="title")
        for index, child in enumerate(self.to_confirm.children):
            with Vertical(classes="child", id=f"child-{index}"):
                yield Label(child_name(child), classes="child--name")
                yield Static(
                    Content(
                        _("%(school)s — classe %(classe)s")
                        % {"school": child.etablissement, "classe": child.classe}
                    ),
                    classes="child--school",
                )
                yield Static(_("Je suis le représentant légal de cet élève ?"))
                with ChoiceList(id=f"answer-{index}", classes="answer", compact=True):
                    yield ChoiceButton(_("Oui"), value=True, name="oui")
                    yield ChoiceButton(_("Non"), name="non")
                if self.to_confirm.single_link:
                    yield Static(
                        _(SINGLE_LINK_SENTENCE), id=f"single-link-{index}", classes="single-link"
                    )
                yield date_field(_("né(e) le"), f"naissance-{index}")
        if not self.to_confirm.single_link:
            yield Static(_(DISPUTE_NOTE), classes="muted")
        yield from self.compose_messages()
        with Horizontal(classes="actions step-action pinned"):
            yield InstantButton(_("Annuler"), id="cancel", compact=True)
            yield InstantButton(_("Confirmer"), id="confirm", variant="primary", compact=True)

    def answer_is_yes(self, index: int) -> bool:
        pressed = self.query_one(f"#answer-{index}", RadioSet).pressed_button
        return pressed is None or pressed.name == "oui"

    @on(RadioSet.Changed)
    def answer_changed(self, event: RadioSet.Changed) -> None:
        index = int((event.radio_set.id or "answer-0").removeprefix("answer-"))
        yes = event.pressed.name == "oui"
        self.query_one(f"#naissance-{index}").display = yes
        if self.to_confirm.single_link:
            self.query_one(f"#single-link-{index}").set_class(not yes, "-shown")

    @on(Input.Submitted)
    def date_submitted(self, event: Input.Submitted) -> None:
        row = int((event.input.id or "naissance-0-input").split("-")[1])
        later = [
            field
            for field in self.query(TextField)
            if field.display and int((field.id or "naissance-0").split("-")[1]) > row
        ]
        if later:
            later[0].input.focus()
        else:
            self.submit()

    @on(Button.Pressed, "#confirm")
    def submit(self) -> None:
        # Enter in a date field once the registration has ended: nothing left to confirm.
        if not self.busy and not self.ended:
            self.confirm()

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.abandon()

    def action_back(self) -> None:
        self.abandon()

    @work(exclusive=True)
    async def confirm(self) -> None:
        token = self.flow.token or ""
        answers = [
            ChildAnswer(
                pupil_id=child.pupil_id,
                is_guardian=self.answer_is_yes(index),
                birth_date=self.query_one(f"#naissance-{index}", TextField).value,
            )
            for index, child in enumerate(self.to_confirm.children)
        ]
        self.busy = True
        self.clear_messages()
        try:
            confirmed = await self.confirm_answers(token, answers)
        except BirthDateMismatch as error:
            self.show_mismatch(error)
            return
        except ServiceError as error:
            self.show_error(error)
            return
        finally:
            self.busy = False
        self.end(confirmed)

    async def confirm_answers(self, token: str, answers: list[ChildAnswer]) -> Outcome:
        """Send the answers (in a worker thread, through ``run_service``); how the step ends."""
        raise NotImplementedError

    def show_mismatch(self, error: BirthDateMismatch) -> None:
        fields = [
            self.query_one(f"#naissance-{self.row_of[pupil_id]}", TextField)
            for pupil_id in error.pupil_ids
            if pupil_id in self.row_of
        ]
        if not fields:
            self.show_message(error.text(current()))
            return
        for field in fields:
            field.show_error(error.text(current()))
        fields[0].input.focus()

    def field_widget(self, field: str | None) -> TextField | None:
        kind, _colon, pupil_id = (field or "").partition(":")
        if kind == "naissance" and pupil_id in self.row_of:
            return self.query_one(f"#naissance-{self.row_of[pupil_id]}", TextField)
        return None


class AbandonScreen(CalmModalScreen[bool]):
    """« Annuler » at steps 6 and 7 asks first: the SMS code has already been used."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stay", N_("Continuer l'activation"), id="stay"),
    ]
    AUTO_FOCUS = "#stay"

    def compose(self) -> ComposeResult:
        with Vertical(id="abandon-dialog"):
            yield Label(_("Abandonner l'activation ?"), id="abandon-title")
            yield Static(
                _(
                    "Votre compte ne sera pas activé. Pour recommencer, il faudra de nouveau "
                    "saisir vos informations et recevoir un nouveau code par SMS."
                )
            )
            with Horizontal(classes="actions"):
                yield InstantButton(_("Continuer l'activation"), id="stay", compact=True)
                yield InstantButton(_("Abandonner"), id="leave", variant="error", compact=True)

    @on(Button.Pressed, "#stay")
    def action_stay(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#leave")
    def leave(self) -> None:
        self.dismiss(True)
