"""Steps 1, 1.1, 1.2 and 2 of the guide: from the site to the authentication screen."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, RadioSet, Static

from services import ServiceError
from tui.choices import ENT_PROFILES, ENT_SITE, GUARDIAN, PROFILE_NAMES, PUPIL, SITES
from tui.journey import (
    BackToLogin,
    EntChosen,
    EntProfileChosen,
    FirstLoginStarted,
    FranceConnectChosen,
    IdentifiantForgotten,
    LoggedIn,
    NoAccount,
    Outcome,
    PasswordForgotten,
    ProfileChosen,
    Step,
    TeleservicesChosen,
)
from tui.language import (
    N_,
    RIGHT_TO_LEFT_LANGUAGES,
    _,
    current,
    current_language,
    each_side,
    language_name,
    split_lines,
)
from tui.screens.base import StepScreen, run_service, show_refusal
from tui.screens.calm import keep_in_view
from tui.screens.common.fields import UP_DOWN_BINDINGS
from tui.screens.notice import NoticeScreen
from tui.sentences import (
    ARABIC_IN_TERMINALS,
    GLOSSARY,
    PUPIL_FRANCECONNECT,
    PUPIL_IDENTIFIANT,
    PUPIL_NO_ACCOUNT,
)
from tui.widgets import ChoiceButton, ChoiceList, RevealToggle, TextField
from tui.widgets.button import InstantButton
from tui.widgets.passwords import TOGGLE_ACTION

__all__ = ["AuthenticationScreen", "EduconnectProfileScreen", "EntProfileScreen", "EntryScreen"]

ACCESS_LIST = N_(
    "Le compte ÉduConnect peut donner accès :\n"
    " • aux démarches en ligne, comme la fiche de renseignements, la demande de bourse, etc ;\n"
    " • à l'espace numérique de travail (ENT) ;\n"
    " • au livret scolaire."
)

WHAT_IS_FRANCECONNECT = N_(
    "FranceConnect vous permet d'accéder à de nombreux services de l'État en utilisant un "
    "compte dont vous disposez déjà. Utilisez-le pour ÉduConnect !"
)


class BeforeLogin(StepScreen):
    """Steps 1 to 1.2. Shown again (Escape, « ← Changer de profil »), they start a new flow:
    the next person at the keyboard sees an empty phone panel, not the last one's messages."""

    def on_screen_resume(self) -> None:
        # Textual also runs ``StepScreen``'s handler, after this one: it opens the panel if it
        # should be open; one already open is refreshed here.
        self.flow.new_person()
        self.refresh_phone()


class EntryScreen(BeforeLogin):
    """Step 1: the page the parent starts from, and « Se connecter »."""

    STEP = Step.ENTRY
    STEP_LABEL = N_("Étape 1 / 7 — Accès au service")
    GUIDE_STEP = "1"

    def compose_form(self) -> ComposeResult:
        yield Label(_("Bienvenue"), classes="title")
        yield Static(
            _("Rendez-vous sur une des pages suivantes, puis cliquez sur « Se connecter » :"),
            classes="muted",
        )
        if current_language() is not None:
            yield Static(_(GLOSSARY), id="glossary", classes="muted")
        with ChoiceList(id="site"):
            for index, (key, label) in enumerate(SITES):
                yield ChoiceButton(_(label), value=index == len(SITES) - 1, name=key)
        if current_language() in RIGHT_TO_LEFT_LANGUAGES and not self.app.is_web:
            yield Static(_(ARABIC_IN_TERMINALS), id="arabic-in-terminals", classes="muted")
        with Horizontal(classes="actions"):
            yield InstantButton(_("Se connecter"), id="connect", variant="primary", compact=True)
            if getattr(self.app, "offer_languages", False):
                # Said in both languages whatever the one shown: whoever reads no French
                # must find it.
                yield InstantButton(
                    _("Langue / Language : %(language)s")
                    % {"language": language_name(current_language())},
                    id="language",
                    classes="link",
                    compact=True,
                )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The first screen has nowhere to go back to.
        return action != "back"

    @on(Button.Pressed, "#language")
    async def next_language(self) -> None:
        await self.app.run_action("next_language")

    @on(Button.Pressed, "#connect")
    def connect(self) -> None:
        pressed = self.query_one("#site", RadioSet).pressed_button
        site = pressed.name if pressed is not None and pressed.name else ENT_SITE
        self.flow.site = site
        self.end(EntChosen() if site == ENT_SITE else TeleservicesChosen())


class EntProfileScreen(BeforeLogin):
    """Step 1.1: the ENT's own profile list; only the ÉduConnect entries lead on."""

    STEP = Step.ENT_PROFILE
    STEP_LABEL = N_("Étape 1.1 / 7 — Profil ENT")
    GUIDE_STEP = "1.1"

    def compose_form(self) -> ComposeResult:
        yield Label(_("mon ent occitanie"), classes="title")
        yield Static(_("Vous souhaitez vous connecter à votre ENT en tant que :"))
        with ChoiceList(id="ent-profile"):
            for index, (label, _leads_on) in enumerate(ENT_PROFILES):
                yield ChoiceButton(_(label), value=index == 0, name=str(index))
        yield Static("", id="ent-refusal", classes="form-error", markup=False)
        with Horizontal(classes="actions"):
            yield InstantButton(_("Valider"), id="validate", variant="primary", compact=True)

    @on(RadioSet.Changed)
    def forget_refusal(self) -> None:
        self.query_one("#ent-refusal").remove_class("-shown")

    @on(Button.Pressed, "#validate")
    def validate(self) -> None:
        pressed = self.query_one("#ent-profile", RadioSet).pressed_button
        index = int(pressed.name) if pressed is not None and pressed.name else 0
        label, leads_on = ENT_PROFILES[index]
        if leads_on:
            self.end(EntProfileChosen())
            return
        refusal = self.query_one("#ent-refusal", Static)
        refusal.update(
            _(
                "« %(profile)s » ne passe pas par ÉduConnect : ce parcours est en dehors de ce "
                "service. Pour créer un compte de représentant légal, choisissez « %(way)s »."
            )
            % {"profile": _(label), "way": _(ENT_PROFILES[0][0])}
        )
        refusal.add_class("-shown")


class EduconnectProfileScreen(BeforeLogin):
    """Step 1.2: ÉduConnect's welcome and « Je sélectionne mon profil »."""

    STEP = Step.EDUCONNECT_PROFILE
    STEP_LABEL = N_("Étape 1.2 / 7 — Profil ÉduConnect")
    GUIDE_STEP = "1.2"
    BINDINGS: ClassVar[list[BindingType]] = UP_DOWN_BINDINGS

    def compose_form(self) -> ComposeResult:
        yield Label(_("ÉduConnect"), classes="title")
        yield Static(
            _("Un compte unique pour les services numériques des écoles et des établissements"),
            classes="subtitle",
        )
        yield Static(_(ACCESS_LIST))
        yield Label(_("Je sélectionne mon profil"), classes="subtitle")
        with Vertical(id="profiles"):
            yield InstantButton(_(PROFILE_NAMES[GUARDIAN]), id=GUARDIAN, compact=True)
            yield InstantButton(_(PROFILE_NAMES[PUPIL]), id=PUPIL, compact=True)

    @on(Button.Pressed, f"#{GUARDIAN}")
    @on(Button.Pressed, f"#{PUPIL}")
    def choose(self, event: Button.Pressed) -> None:
        self.flow.profile = event.button.id or GUARDIAN
        self.end(ProfileChosen())


# Narrower than this, the two columns of step 2 would cut « S'identifier avec FranceConnect »:
# they become one.
ONE_COLUMN_BELOW = 76


class AuthenticationScreen(StepScreen):
    """Step 2: log in, or « Je n'ai pas de compte → » to start the activation."""

    STEP = Step.AUTHENTICATION
    STEP_LABEL = N_("Étape 2 / 7 — Authentification")
    GUIDE_STEP = "2"
    AUTO_FOCUS = "#identifiant-input"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Changer de profil"), id="back"),
        # Shorter than step 7's « Afficher / masquer »: beside « Changer de profil » the
        # footer would otherwise cut « Téléphone » at 80 columns.
        Binding("f3", TOGGLE_ACTION, N_("Voir / masquer"), id="toggle-password"),
    ]
    # A second « Se connecter » while the first is checked would count a second failure.
    busy = False
    # A session (or a pupil's first login) began here: coming back to this screen after it
    # means a logout, and whoever comes next is a new person.
    session_began = False

    def compose_form(self) -> ComposeResult:
        self.set_class(self.app.size.width < ONE_COLUMN_BELOW, "-one-column")
        # The guide's picture, top to bottom: the profile, what the account gives access to,
        # the login form with each « … oublié ? » beside its field's label, « Se connecter »,
        # « Je n'ai pas de compte → »; then « ou » and FranceConnect, in a column to the right
        # on a wide enough terminal so that all of it fits in 80×24. In bilingual mode, where
        # each text takes two lines, the profile shares its row with « ← Changer de profil ».
        profile = PROFILE_NAMES.get(self.flow.profile, PROFILE_NAMES[GUARDIAN])
        title = Label(_(profile), classes="title", id="auth-profile")
        bilingual = current_language() is not None
        with Horizontal(id="auth-top"):
            if bilingual:
                yield title
            yield InstantButton(
                _("← Changer de profil"), id="change-profile", classes="link", compact=True
            )
        if not bilingual:
            yield title
        heading, *bullets = split_lines(_(ACCESS_LIST))
        with Vertical(id="auth-access"):
            yield Static(heading)
            # Each bullet hangs: a long one wraps under its own text, not under the bullet.
            for bullet in bullets:
                with Horizontal(classes="auth-bullet"):
                    yield Static("•", classes="auth-bullet-mark")
                    yield Static(
                        each_side(bullet, lambda line: line.strip().removeprefix("•").strip())
                    )
        with Horizontal(id="auth-columns"):
            with Vertical(id="auth-login"):
                yield Static(_("Je me connecte avec mon compte ÉduConnect"), classes="subtitle")
                with Horizontal(classes="auth-label-row"):
                    yield Label(_("Identifiant"), classes="auth-label")
                    yield InstantButton(
                        _("Identifiant oublié ? →"),
                        id="forgot-identifiant",
                        classes="link",
                        compact=True,
                    )
                yield TextField(_("Identifiant"), id="identifiant", max_length=80)
                with Horizontal(classes="auth-label-row"):
                    yield Label(_("Mot de passe"), classes="auth-label")
                    yield InstantButton(
                        _("Mot de passe oublié ? →"),
                        id="forgot-password",
                        classes="link",
                        compact=True,
                    )
                yield TextField(_("Mot de passe"), id="password", password=True, max_length=128)
                yield RevealToggle("#password-input")
                yield InstantButton(_("Se connecter"), id="login", variant="primary", compact=True)
                yield Static("", id="login-message", classes="form-error", markup=False)
                yield InstantButton(
                    _("Je n'ai pas de compte →"), id="no-account", variant="primary", compact=True
                )
            with Vertical(id="auth-other"):
                yield Static(_("ou"), id="auth-or")
                yield Static(_("Je me connecte avec FranceConnect"), classes="subtitle")
                yield InstantButton(
                    _("S'identifier avec FranceConnect"), id="franceconnect", compact=True
                )
                yield InstantButton(
                    _("Qu'est-ce que FranceConnect ? ↗"),
                    id="what-franceconnect",
                    classes="link",
                    compact=True,
                )
                yield Static(_(WHAT_IS_FRANCECONNECT), id="auth-fc-sentence", classes="muted")

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < ONE_COLUMN_BELOW, "-one-column")

    @on(Button.Pressed, "#change-profile")
    def change_profile(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#no-account")
    def no_account(self) -> None:
        if self.flow.profile == PUPIL:
            self.app.push_screen(
                NoticeScreen(
                    _("Je n'ai pas de compte — élève"),
                    _(PUPIL_NO_ACCOUNT),
                )
            )
            return
        # A registration is a new person: no number or address of an earlier visit stays.
        self.flow.new_person()
        self.end(NoAccount())

    @on(Button.Pressed, "#what-franceconnect")
    def what_is_franceconnect(self) -> None:
        self.app.push_screen(
            NoticeScreen(
                _("Qu'est-ce que FranceConnect ?"),
                _(WHAT_IS_FRANCECONNECT),
            )
        )

    def action_toggle_password(self) -> None:
        self.query_one(RevealToggle).toggle()

    @on(Input.Submitted, "#identifiant-input")
    def identifiant_submitted(self) -> None:
        self.query_one("#password-input").focus()

    @on(Button.Pressed, "#login")
    @on(Input.Submitted, "#password-input")
    def login(self) -> None:
        if not self.busy:
            self.log_in()

    @work(exclusive=True)
    async def log_in(self) -> None:
        # Imported here: this module gives the first screen, shown before the domain is loaded.
        from services.login import LoginSession
        from store.records import AccountKind

        identifiant = self.query_one("#identifiant", TextField).value
        password = self.query_one("#password", TextField)
        self.busy = True
        self.reset_errors()
        try:
            if self.flow.profile == PUPIL:
                outcome = await run_service(self.services.pupils.login, identifiant, password.value)
            else:
                outcome = await run_service(
                    self.services.login.login,
                    identifiant,
                    password.value,
                    profile=AccountKind.GUARDIAN,
                )
        except ServiceError as error:
            self.show_login_error(error)
            return
        finally:
            self.busy = False
        password.input.value = ""
        self.flow.new_person()
        self.session_began = True
        # The trainer's panel now shows what this account receives.
        self.flow.account = identifiant
        if not isinstance(outcome, LoginSession):
            self.end(FirstLoginStarted(outcome))
            return
        self.flow.session = outcome
        self.end(LoggedIn())

    def reset_errors(self) -> None:
        self.forget_wait()
        for field in self.query(TextField):
            field.clear_error()
        self.query_one("#login-message").remove_class("-shown")

    def show_login_error(self, error: ServiceError) -> None:
        field = next((f for f in self.query(TextField) if f.id == error.field), None)
        if field is not None:
            field.show_error(error.text(current()))
            field.input.focus()
            return
        self.show_login_message(error)
        self.until_wait_over(error, self.show_login_message)
        password = self.query_one("#password", TextField).input
        password.value = ""
        password.focus()
        # Whoever typed a password without having an account goes to « Je n'ai pas de compte
        # → » next: once the refusal is laid out, it comes into view with the refusal above
        # it (in bilingual mode the refusal's four lines push it below the fold).
        keep_in_view(self.query_one("#no-account"))

    def show_login_message(self, error: ServiceError | None) -> None:
        show_refusal(self.query_one("#login-message", Static), error)

    def returned_to(self, outcome: Outcome) -> None:
        if isinstance(outcome, BackToLogin):
            if self.session_began:
                self.session_began = False
                self.flow.new_person()
                self.refresh_phone()
            self.reset_form(outcome.identifiant)

    def reset_form(self, identifiant: str = "") -> None:
        """Back from logout or a password reset: nothing typed before is kept but the
        identifiant, and the cursor waits where typing goes on."""
        self.reset_errors()
        self.query_one("#password", TextField).input.value = ""
        self.query_one(RevealToggle).reveal(False)
        if identifiant:
            self.query_one("#identifiant", TextField).input.value = identifiant
            self.query_one("#password-input").focus()
        else:
            self.query_one("#identifiant-input").focus()

    @on(Button.Pressed, "#forgot-identifiant")
    def forgot_identifiant(self) -> None:
        if self.flow.profile == PUPIL:
            self.app.push_screen(
                NoticeScreen(_("Identifiant oublié — élève"), _(PUPIL_IDENTIFIANT))
            )
            return
        self.end(IdentifiantForgotten())

    @on(Button.Pressed, "#forgot-password")
    def forgot_password(self) -> None:
        self.end(PasswordForgotten(self.query_one("#identifiant", TextField).value))

    @on(Button.Pressed, "#franceconnect")
    def franceconnect(self) -> None:
        if self.flow.profile == PUPIL:
            self.app.push_screen(
                NoticeScreen(
                    _("FranceConnect — élève"),
                    _(PUPIL_FRANCECONNECT),
                )
            )
            return
        # FranceConnect's own steps give the number; its session ends back here.
        self.flow.new_person()
        self.session_began = True
        self.end(FranceConnectChosen())
