"""Choosing a password: the two entries, the rules as a live checklist, and the show / hide
switch (F3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from tui.language import N_, _
from tui.widgets.button import InstantButton
from tui.widgets.field import TextField

if TYPE_CHECKING:
    from services.passwords import PasswordContext
    from services.settings import Settings

__all__ = ["TOGGLE_ACTION", "NewPasswordFields", "PasswordChecklist", "RevealToggle"]

SAME_PASSWORDS = N_("Les deux saisies sont identiques")

TOGGLE_ACTION = "toggle_password"
"""The screens' F3 (``action_toggle_password``), which ``RevealToggle`` names in its label."""
MET, UNMET = "✓", "✗"


class PasswordChecklist(Vertical):
    """Every rule of the password policy, ticked ✓ as the person types, then « identiques ».

    The rules come from ``services.passwords.check_password``, the same function the services
    enforce, so the list can never promise what the service will refuse. Rows repaint only when
    a rule changes state, and only that row; only the mark is coloured, so a rule that flips
    sends its mark again, not its whole sentence: the first letter of a password can tick
    three rules at once.
    """

    DEFAULT_CSS = """
    PasswordChecklist {
        height: auto;
        /* Two columns: the rules then fit at 80×24 above the step's buttons. */
        layout: grid;
        grid-size: 2;
        grid-columns: 1fr 1fr;
        grid-rows: auto;
        grid-gutter: 0 2;
    }
    PasswordChecklist > .rule {
        height: auto;
    }
    """

    def __init__(self, settings: Settings, context: PasswordContext, *, id: str = "rules") -> None:
        super().__init__(id=id)
        self._settings = settings
        self._person = context
        self._met: tuple[bool, ...] = ()

    def _rules(self, password: str) -> tuple[tuple[str, bool], ...]:
        # Imported here: this module comes with the first screen (``RevealToggle``), which must
        # not wait for passlib.
        from services.passwords import check_password

        return tuple(
            (rule.label, rule.met)
            for rule in check_password(
                password,
                self._settings,
                identifiant=self._person.identifiant,
                nom=self._person.nom,
                prenom=self._person.prenom,
            )
        )

    def compose(self) -> ComposeResult:
        for index, (label, _met) in enumerate(self._rules("")):
            yield Static(_row(label, met=False), id=f"rule-{index}", classes="rule")
        yield Static(_row(_(SAME_PASSWORDS), met=False), id="rule-same", classes="rule")

    def check(self, password: str, confirmation: str) -> None:
        """Tick the rules ``password`` meets, and « identiques » if both entries match."""
        checks = (
            *self._rules(password),
            (_(SAME_PASSWORDS), bool(password) and password == confirmation),
        )
        met = tuple(ok for _, ok in checks)
        previous = self._met or (False,) * len(met)
        self._met = met
        ids = [f"rule-{index}" for index in range(len(checks) - 1)] + ["rule-same"]
        for widget_id, (label, ok), was_met in zip(ids, checks, previous, strict=True):
            if ok == was_met:
                continue
            rule = self.query_one(f"#{widget_id}", Static)
            rule.update(_row(label, met=ok))
            rule.set_class(ok, "-met")


def _row(label: str, *, met: bool) -> Content:
    # The space belongs to the mark: a span that starts with a space loses it when wrapped.
    if met:
        return Content.assemble((f"{MET} ", "$text-success"), label)
    return Content.assemble((f"{UNMET} ", "$text-error"), label)


class RevealToggle(InstantButton):
    """« Afficher le mot de passe (F3) »: shows or hides the password inputs that ``selector``
    matches on its screen. The screen binds F3 to ``toggle``."""

    def __init__(self, selector: str, *, plural: bool = False, id: str = "toggle-password") -> None:
        self._selector = selector
        self._plural = plural
        super().__init__(self._label_for(hidden=True), id=id, classes="link", compact=True)

    def _label_for(self, *, hidden: bool) -> str:
        if self._plural:
            return (
                _("Afficher les mots de passe (F3)")
                if hidden
                else _("Masquer les mots de passe (F3)")
            )
        return _("Afficher le mot de passe (F3)") if hidden else _("Masquer le mot de passe (F3)")

    def toggle(self) -> None:
        inputs = list(self.screen.query(self._selector).results(Input))
        if inputs:
            self.reveal(inputs[0].password)

    def reveal(self, shown: bool) -> None:
        """Show (or hide) the passwords; hiding again matters before the next person types."""
        for field_input in self.screen.query(self._selector).results(Input):
            field_input.password = not shown
        self.label = self._label_for(hidden=not shown)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.toggle()


class NewPasswordFields(Vertical):
    """« Nouveau mot de passe », its confirmation, the show / hide switch and the rules ticking
    as the person types: what every screen that chooses a password shows the same way
    (registration, recovery, Mon compte, the pupil's first login).

    Enter in the first entry moves to the confirmation; Enter in the confirmation is the
    screen's to handle (it submits). ``reveal`` selects, on the screen, the entries the switch
    shows and hides: a screen may add its own (the current password).
    """

    DEFAULT_CSS = """
    NewPasswordFields {
        height: auto;
        /* On the block, not on the fields inside: it then merges with the margin of the
           field above it, as the margins of two neighbours do. */
        margin-top: 1;
    }
    """

    def __init__(
        self,
        settings: Settings,
        context: PasswordContext,
        *,
        reveal: str = "#password-fields Input",
    ) -> None:
        super().__init__()
        self._settings = settings
        self._person = context
        self._reveal = reveal

    def compose(self) -> ComposeResult:
        with Horizontal(id="password-fields"):
            yield TextField(_("Nouveau mot de passe"), id="password", password=True, max_length=128)
            yield TextField(
                _("Confirmation du mot de passe"), id="confirmation", password=True, max_length=128
            )
        yield RevealToggle(self._reveal, plural=True)
        yield Label(_("Votre mot de passe doit respecter ces règles :"), classes="subtitle")
        yield PasswordChecklist(self._settings, self._person)

    @property
    def password(self) -> str:
        return self.query_one("#password", TextField).value

    @on(Input.Changed, "#password-input, #confirmation-input")
    def tick_rules(self) -> None:
        self.query_one(PasswordChecklist).check(
            self.password, self.query_one("#confirmation", TextField).value
        )

    @on(Input.Submitted, "#password-input")
    def to_confirmation(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#confirmation-input").focus()
