"""Steps 3 to 8 of the guide: the guardian's self-registration by SMS.

Each screen drives one call of ``services.registration`` in a worker, through ``run_service``,
so a refusal is always a French sentence beside the field it concerns and never a traceback.
What one screen learns (token, number, children, identifiant) reaches the next through the
``Flow`` and the next screen's constructor.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from services import ServiceError, Services
from services.errors import SINGLE_LINK_SENTENCE, BirthDateMismatch, RegistrationEnded
from services.registration import (
    AccountActivated,
    ChildAnswer,
    ChildrenToConfirm,
    ChildView,
    PasswordContext,
)
from tui.flow import Flow
from tui.screens.base import FormScreen, Refused, StepScreen, run_service
from tui.screens.calm import CalmModalScreen
from tui.screens.notice import NoticeScreen
from tui.widgets import NewPasswordFields, RevealToggle, TextField
from tui.widgets.button import InstantButton

__all__ = [
    "AbandonScreen",
    "AccountActivatedScreen",
    "ActivationCodeScreen",
    "ActivationScreen",
    "ChildrenScreen",
    "PasswordScreen",
    "SmsConfirmationScreen",
]

ACTIVATION_INTRO = (
    "Pour avoir accès aux services concernant les élèves ci-dessous, vous devez confirmer que "
    "vous êtes bien représentant(e) légal(e) de ces élèves et renseigner leur date de naissance."
)
PHONE_INTRO = (
    "Indiquez le numéro de téléphone portable communiqué à l'école ou à l'établissement "
    "scolaire. Il est indispensable pour activer votre compte."
)
OVERSEAS_HINT = (
    "Pour les numéros hors France métropolitaine, merci d'indiquer l'indicatif régional."
)
SMS_CONFIRMATION = (
    "Vous allez recevoir un code de création par SMS que vous devrez saisir dans l'écran suivant."
)
DISPUTE_NOTE = (
    "« Non » permet de signaler un rattachement élève-responsable erroné et d'accéder aux "
    "services pour les autres élèves."
)
WRITE_IT_DOWN = (
    "N'oubliez pas de noter l'identifiant et le mot de passe définitif que vous avez choisi pour "
    "votre compte."
)
SAME_ACCOUNT = (
    "Une fois votre compte créé, vous pouvez utiliser ce même identifiant et le mot de passe qui "
    "lui est associé sur ENT, Pronote, Scolarité Services, etc."
)
FORGOTTEN = (
    "En cas d'oubli, utilisez « Identifiant oublié ? » ou « Mot de passe oublié ? » sur la page "
    "de connexion : l'établissement n'envoie pas d'identifiant ni de mot de passe aux "
    "représentants légaux."
)

# (button id, label on the screen, name in the notice)
SERVICES = (
    ("service-ent", "ENT — espace numérique de travail", "L'ENT"),
    ("service-pronote", "Pronote", "Pronote"),
    ("service-scolarite", "Scolarité Services", "Scolarité Services"),
    ("service-livret", "Livret scolaire", "Le livret scolaire"),
    (
        "service-demarches",
        "Démarches en ligne (fiche de renseignements, demande de bourse)",
        "Les démarches en ligne",
    ),
)

PHONE_CHARACTERS = r"[0-9+ .\-()]*"
CODE_CHARACTERS = r"[A-Za-z ]*"


def code_field(label: str) -> TextField:
    """The field for a six-letter code sent by SMS or e-mail: letters and spaces only, and
    room for a code typed with spaces between the letters."""
    return TextField(
        label, id="code", placeholder="6 lettres", max_length=12, restrict=CODE_CHARACTERS
    )


DATE_CHARACTERS = r"[0-9/.\- ]*"


def child_name(child: ChildView) -> Content:
    """« Lucas MARTIN »: pupil names are data from a file, never markup."""
    return Content(f"{child.prenom} {child.nom.upper()}")


class RegistrationStep(FormScreen):
    """What steps 3 to 7 share: one service call at a time, errors beside their field, and the
    way back to step 3 once the registration has ended on the server."""

    def __init__(self, services: Services, flow: Flow) -> None:
        super().__init__(services, flow)
        self.ended = False

    def compose_messages(self) -> ComposeResult:
        yield from self.compose_message()
        with Vertical(id="ended"):
            yield Static("", id="ended-message", markup=False)
            yield InstantButton(
                "Recommencer l'activation", id="restart", variant="primary", compact=True
            )

    def show_error(self, error: ServiceError) -> None:
        if isinstance(error, RegistrationEnded):
            self.show_ended(error.message)
            return
        super().show_error(error)

    def show_ended(self, message: str) -> None:
        """The server closed this registration: nothing here can succeed any more."""
        self.ended = True
        self.flow.token = None
        for action in self.query(".step-action"):
            action.display = False
        self.query_one("#ended-message", Static).update(Content(message))
        self.query_one("#ended").display = True
        self.query_one("#restart").focus()

    @on(Button.Pressed, "#restart")
    def restart(self) -> None:
        pop_to(self.app.screen_stack, ActivationScreen)

    def abandon(self) -> None:
        """« Annuler » once the server has moved on (steps 6 and 7): confirm, then step 2."""
        if self.ended:
            self.leave_registration()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.leave_registration()

        self.app.push_screen(AbandonScreen(), answered)

    def leave_registration(self) -> None:
        from tui.screens.start import AuthenticationScreen

        self.flow.token = None
        pop_to(self.app.screen_stack, AuthenticationScreen)


def pop_to(stack: list[Screen[Any]], kind: type[Screen[Any]]) -> Screen[Any] | None:
    """Pop every screen above the newest ``kind`` in ``stack``; that screen, or None."""
    for index in range(len(stack) - 1, -1, -1):
        if isinstance(stack[index], kind):
            app = stack[index].app
            for _ in range(len(stack) - 1 - index):
                app.pop_screen()
            return stack[index]
    return None


class ActivationScreen(RegistrationStep):
    """Step 3: nom, prénom and mobile as the school knows them, then « Suivant »."""

    STEP_LABEL = "Étape 3 / 7 — Activation du compte"
    GUIDE_STEP = "3"
    AUTO_FOCUS = "#nom-input"

    def compose_form(self) -> ComposeResult:
        yield Static("Représentant légal", classes="profile")
        yield Label("Activation du compte", classes="title -under-profile")
        yield Static("L'activation est réservée aux représentants légaux", classes="lead")
        yield Static(ACTIVATION_INTRO)
        yield Label("Je confirme mon identité", classes="subtitle")
        with Horizontal(id="identity"):
            yield TextField("Nom", id="nom", max_length=100)
            yield TextField("Prénom", id="prenom", max_length=100)
        yield Label("Je renseigne mon n° de téléphone portable", classes="subtitle")
        yield Static(PHONE_INTRO, classes="muted")
        yield TextField(
            "N° de téléphone portable",
            id="portable",
            hint=OVERSEAS_HINT,
            max_length=30,
            restrict=PHONE_CHARACTERS,
        )
        yield from self.compose_messages()
        with Horizontal(classes="actions"):
            yield InstantButton("Suivant", id="next", variant="primary", compact=True)

    @on(Input.Submitted, "#nom-input, #prenom-input")
    def next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#next")
    @on(Input.Submitted, "#portable-input")
    def submit(self) -> None:
        if not self.busy:
            self.register()

    @work(exclusive=True)
    async def register(self) -> None:
        started = await self.attempt(
            self.services.registration.start,
            self.query_one("#nom", TextField).value,
            self.query_one("#prenom", TextField).value,
            self.query_one("#portable", TextField).value,
        )
        if isinstance(started, Refused):
            return
        self.flow.token = started.token
        self.flow.phone = started.phone
        self.flow.phone_display = started.phone_display
        self.flow.identifiant = ""
        self.app.push_screen(SmsConfirmationScreen(self.services, self.flow))


class SmsConfirmationScreen(RegistrationStep):
    """Step 4: the number as understood, « Recevoir mon code SMS », then the site's own
    « Confirmation par SMS » box and its « Valider », which sends the code."""

    STEP_LABEL = "Étape 4 / 7 — Confirmation par SMS"
    GUIDE_STEP = "4"
    AUTO_FOCUS = "#receive"

    def compose_form(self) -> ComposeResult:
        yield Static("Représentant légal", classes="profile")
        yield Label("Activation du compte", classes="title -under-profile")
        yield Label("N° de téléphone portable", classes="subtitle")
        yield Static(OVERSEAS_HINT, classes="muted")
        with Horizontal(id="phone-row"):
            yield Static(Content(self.flow.phone_display), id="phone-display")
            yield InstantButton(
                "← Modifier le numéro", id="change-number", classes="link", compact=True
            )
        with Horizontal(classes="actions"):
            yield InstantButton(
                "Recevoir mon code SMS",
                id="receive",
                variant="primary",
                compact=True,
                classes="step-action",
            )
        with Vertical(id="sms-confirmation", classes="step-action"):
            yield Label("Confirmation par SMS", classes="box-title")
            yield Static(SMS_CONFIRMATION)
            yield InstantButton("Valider", id="validate", variant="primary", compact=True)
        yield from self.compose_messages()

    @on(Button.Pressed, "#change-number")
    def change_number(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#receive")
    def ask_confirmation(self) -> None:
        box = self.query_one("#sms-confirmation")
        box.add_class("-shown")
        self.query_one("#validate").focus()

    @on(Button.Pressed, "#validate")
    def validate(self) -> None:
        if not self.busy:
            self.send()

    @work(exclusive=True)
    async def send(self) -> None:
        token = self.flow.token or ""
        sent = await self.attempt(self.services.registration.send_code, token)
        self.refresh_phone()
        if isinstance(sent, Refused):
            return
        self.app.push_screen(ActivationCodeScreen(self.services, self.flow))

    def field_widget(self, field: str | None) -> TextField | None:
        # A refusal to send (too soon after the last SMS) concerns the whole step here.
        return None


class ActivationCodeScreen(RegistrationStep):
    """Step 5: the code received by SMS, « Continuer », and asking for a new code."""

    STEP_LABEL = "Étape 5 / 7 — Code d'activation"
    GUIDE_STEP = "5"
    AUTO_FOCUS = "#code-input"

    def compose_form(self) -> ComposeResult:
        yield Label("J'active mon compte", classes="title")
        yield code_field("J'indique le code d'activation reçu par SMS (valable 30min)")
        with Horizontal(classes="actions step-action"):
            yield InstantButton("Continuer", id="continue", variant="primary", compact=True)
        yield InstantButton(
            "Je n'ai pas reçu de code d'activation par SMS",
            id="resend",
            classes="link step-action",
            compact=True,
        )
        yield Static("", id="resend-message", markup=False)
        yield from self.compose_messages()

    @on(Button.Pressed, "#continue")
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
        token = self.flow.token or ""
        registration = self.services.registration
        code = self.query_one(TextField).value

        def verify_then_list() -> ChildrenToConfirm:
            registration.verify_code(token, code)
            return registration.children(token)

        to_confirm = await self.attempt(verify_then_list)
        if isinstance(to_confirm, Refused):
            return
        self.app.push_screen(self.children_screen(to_confirm))

    def children_screen(self, to_confirm: ChildrenToConfirm) -> ChildrenScreen:
        """Step 6, where this path goes once the code is right."""
        return ChildrenScreen(self.services, self.flow, to_confirm)

    @work(exclusive=True)
    async def resend(self) -> None:
        token = self.flow.token or ""
        self.busy = True
        self.clear_messages()
        notice = self.query_one("#resend-message", Static)
        try:
            sent = await run_service(self.services.registration.send_code, token, resend=True)
        except RegistrationEnded as error:
            self.show_ended(error.message)
            return
        except ServiceError as error:
            notice.update(Content(error.message))
            notice.set_classes("-error")
            return
        finally:
            self.busy = False
            self.refresh_phone()
        notice.update(
            Content(
                f"Un nouveau code a été envoyé au {sent.phone_display}. "
                "Le code précédent n'est plus valable."
            )
        )
        notice.set_classes("-sent")
        code = self.query_one(TextField)
        code.input.value = ""
        code.input.focus()

    def show_ended(self, message: str) -> None:
        self.query_one("#resend-message").set_classes("")
        super().show_ended(message)


class ChildrenScreen(RegistrationStep):
    """Step 6: for each linked pupil, « Oui » with the date of birth or « Non » to report a
    wrong link; « Annuler » or « Confirmer »."""

    STEP_LABEL = "Étape 6 / 7 — Mes enfants"
    GUIDE_STEP = "6"
    AUTO_FOCUS = "#answer-0"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Annuler", id="back"),
    ]

    def __init__(self, services: Services, flow: Flow, to_confirm: ChildrenToConfirm) -> None:
        super().__init__(services, flow)
        self.to_confirm = to_confirm
        # Widget ids cannot hold any pupil id a school may export: rows are numbered instead.
        self.row_of = {child.pupil_id: index for index, child in enumerate(to_confirm.children)}

    def compose_form(self) -> ComposeResult:
        yield Label("Je confirme être le représentant légal de", classes="title")
        for index, child in enumerate(self.to_confirm.children):
            with Vertical(classes="child", id=f"child-{index}"):
                yield Label(child_name(child), classes="child--name")
                yield Static(
                    Content(f"{child.etablissement} — classe {child.classe}"),
                    classes="child--school",
                )
                yield Static("Je suis le représentant légal de cet élève ?")
                with RadioSet(id=f"answer-{index}", classes="answer", compact=True):
                    yield RadioButton("Oui", value=True, name="oui")
                    yield RadioButton("Non", name="non")
                if self.to_confirm.single_link:
                    yield Static(
                        SINGLE_LINK_SENTENCE, id=f"single-link-{index}", classes="single-link"
                    )
                yield TextField(
                    "né(e) le",
                    id=f"naissance-{index}",
                    placeholder="JJ/MM/AAAA",
                    max_length=10,
                    restrict=DATE_CHARACTERS,
                )
        if not self.to_confirm.single_link:
            yield Static(DISPUTE_NOTE, classes="muted")
        yield from self.compose_messages()
        with Horizontal(classes="actions step-action"):
            yield InstantButton("Annuler", id="cancel", compact=True)
            yield InstantButton("Confirmer", id="confirm", variant="primary", compact=True)

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
        if not self.busy:
            self.confirm()

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.abandon()

    def action_back(self) -> None:
        self.abandon()

    @work(exclusive=True)
    async def confirm(self) -> None:
        token = self.flow.token or ""
        registration = self.services.registration
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
            confirmed = await run_service(registration.confirm_children, token, answers)
            context = await run_service(registration.password_context, token)
        except BirthDateMismatch as error:
            self.show_mismatch(error)
            return
        except ServiceError as error:
            self.show_error(error)
            return
        finally:
            self.busy = False
        self.flow.identifiant = confirmed.identifiant
        self.app.push_screen(PasswordScreen(self.services, self.flow, context))

    def show_mismatch(self, error: BirthDateMismatch) -> None:
        fields = [
            self.query_one(f"#naissance-{self.row_of[pupil_id]}", TextField)
            for pupil_id in error.pupil_ids
            if pupil_id in self.row_of
        ]
        if not fields:
            self.show_message(error.message)
            return
        for field in fields:
            field.show_error(error.message)
        fields[0].input.focus()

    def field_widget(self, field: str | None) -> TextField | None:
        kind, _, pupil_id = (field or "").partition(":")
        if kind == "naissance" and pupil_id in self.row_of:
            return self.query_one(f"#naissance-{self.row_of[pupil_id]}", TextField)
        return None


class PasswordScreen(RegistrationStep):
    """Step 7: the identifiant to write down, the new password twice, the rules ticking live."""

    STEP_LABEL = "Étape 7 / 7 — Mot de passe"
    GUIDE_STEP = "7"
    AUTO_FOCUS = "#password-input"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Annuler", id="back"),
        Binding("f3", "toggle_password", "Afficher / masquer", id="toggle-password"),
    ]

    def __init__(self, services: Services, flow: Flow, context: PasswordContext) -> None:
        super().__init__(services, flow)
        self.context = context

    def compose_form(self) -> ComposeResult:
        yield Label("Je choisis mon mot de passe", classes="title")
        yield Static("Votre identifiant :")
        yield Static(Content(self.context.identifiant), id="identifiant-box")
        yield Static(WRITE_IT_DOWN, classes="warning")
        yield NewPasswordFields(self.services.settings, self.context)
        yield from self.compose_messages()
        with Horizontal(classes="actions step-action"):
            yield InstantButton("Annuler", id="cancel", compact=True)
            yield InstantButton("Valider", id="validate", variant="primary", compact=True)

    @on(Button.Pressed, "#validate")
    @on(Input.Submitted, "#confirmation-input")
    def submit(self) -> None:
        if not self.busy:
            self.set_password()

    def action_toggle_password(self) -> None:
        self.query_one(RevealToggle).toggle()

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.abandon()

    def action_back(self) -> None:
        self.abandon()

    @work(exclusive=True)
    async def set_password(self) -> None:
        token = self.flow.token or ""
        password = self.query_one("#password", TextField).value
        confirmation = self.query_one("#confirmation", TextField).value
        activated = await self.attempt(
            self.services.registration.set_password, token, password, confirmation
        )
        if isinstance(activated, Refused):
            return
        self.flow.token = None
        self.app.push_screen(AccountActivatedScreen(self.services, self.flow, activated))


class AccountActivatedScreen(StepScreen):
    """After step 7: « Votre compte est activé », the identifiant once more and the services.

    There is no way back into a finished registration: « Terminer » starts a new visit."""

    STEP_LABEL = "Compte activé"
    GUIDE_STEP = "8"
    AUTO_FOCUS = "#service-ent"
    # Priority: the scrolling form column would otherwise take Up/Down before the screen.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "app.focus_previous", "Précédent", show=False, priority=True),
        Binding("down", "app.focus_next", "Suivant", show=False, priority=True),
    ]

    def __init__(self, services: Services, flow: Flow, activated: AccountActivated) -> None:
        super().__init__(services, flow)
        self.activated = activated

    def compose_form(self) -> ComposeResult:
        yield Label("Votre compte est activé", classes="title")
        yield Static("Votre identifiant :")
        yield Static(Content(self.activated.identifiant), id="identifiant-box")
        yield Static(WRITE_IT_DOWN, classes="warning")
        yield Static(SAME_ACCOUNT)
        yield Label("Élèves rattachés à votre compte", classes="subtitle")
        for child in self.activated.children:
            yield Static(
                Content(" • ")
                .append(child_name(child))
                .append(f" — {child.etablissement}, classe {child.classe}"),
                classes="confirmed-child",
            )
        yield Label("Vous pouvez accéder aux services :", classes="subtitle")
        with Vertical(id="services"):
            for button_id, label, _ in SERVICES:
                yield InstantButton(label, id=button_id, compact=True)
        yield Static(FORGOTTEN, id="forgotten", classes="muted")
        with Horizontal(classes="actions"):
            yield InstantButton("Terminer", id="finish", variant="primary", compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "back"

    @on(Button.Pressed, "#services Button")
    def open_service(self, event: Button.Pressed) -> None:
        name = next(name for button_id, _, name in SERVICES if button_id == event.button.id)
        self.app.push_screen(
            NoticeScreen(
                name,
                f"{name} : ce service est en dehors de cette démonstration. Sur le vrai site, "
                f"vous vous y connectez avec votre identifiant ÉduConnect "
                f"{self.activated.identifiant} et le mot de passe que vous venez de choisir.",
            )
        )

    @on(Button.Pressed, "#finish")
    def finish(self) -> None:
        from tui.screens.start import EntryScreen

        if pop_to(self.app.screen_stack, EntryScreen) is not None:
            self.app.switch_screen(EntryScreen(self.services, Flow()))


class AbandonScreen(CalmModalScreen[bool]):
    """« Annuler » at steps 6 and 7 asks first: the SMS code has already been used."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stay", "Continuer l'activation", id="stay"),
    ]
    AUTO_FOCUS = "#stay"

    def compose(self) -> ComposeResult:
        with Vertical(id="abandon-dialog"):
            yield Label("Abandonner l'activation ?", id="abandon-title")
            yield Static(
                "Votre compte ne sera pas activé. Pour recommencer, il faudra de nouveau "
                "saisir vos informations et recevoir un nouveau code par SMS."
            )
            with Horizontal(classes="actions"):
                yield InstantButton("Continuer l'activation", id="stay", compact=True)
                yield InstantButton("Abandonner", id="leave", variant="error", compact=True)

    @on(Button.Pressed, "#stay")
    def action_stay(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#leave")
    def leave(self) -> None:
        self.dismiss(True)
