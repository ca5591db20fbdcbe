"""Choosing a password: the rules as a live checklist, and the show / hide switch (F3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static

if TYPE_CHECKING:
    from services.passwords import PasswordContext
    from services.settings import Settings

__all__ = ["PasswordChecklist", "RevealToggle"]

SAME_PASSWORDS = "Les deux saisies sont identiques"
MET, UNMET = "✓", "✗"


class PasswordChecklist(Vertical):
    """Every rule of the password policy, ticked ✓ as the person types, then « identiques ».

    The rules come from ``services.passwords.check_password``, the same function the services
    enforce, so the list can never promise what the service will refuse. Rows repaint only when
    a rule changes state, and only that row: one keystroke usually costs no checklist bytes
    at all.
    """

    DEFAULT_CSS = """
    PasswordChecklist {
        height: auto;
    }
    PasswordChecklist > .rule {
        color: $text-error;
    }
    PasswordChecklist > .rule.-met {
        color: $text-success;
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
        for index, (label, _) in enumerate(self._rules("")):
            yield Static(Content(f"{UNMET} {label}"), id=f"rule-{index}", classes="rule")
        yield Static(Content(f"{UNMET} {SAME_PASSWORDS}"), id="rule-same", classes="rule")

    def check(self, password: str, confirmation: str) -> None:
        """Tick the rules ``password`` meets, and « identiques » if both entries match."""
        checks = (
            *self._rules(password),
            (SAME_PASSWORDS, bool(password) and password == confirmation),
        )
        met = tuple(ok for _, ok in checks)
        previous = self._met or (False,) * len(met)
        self._met = met
        ids = [f"rule-{index}" for index in range(len(checks) - 1)] + ["rule-same"]
        for widget_id, (label, ok), was_met in zip(ids, checks, previous, strict=True):
            if ok == was_met:
                continue
            rule = self.query_one(f"#{widget_id}", Static)
            rule.update(Content(f"{MET if ok else UNMET} {label}"))
            rule.set_class(ok, "-met")


class RevealToggle(Button):
    """« Afficher le mot de passe (F3) »: shows or hides the password inputs that ``selector``
    matches on its screen. The screen binds F3 to ``toggle``."""

    def __init__(self, selector: str, *, plural: bool = False, id: str = "toggle-password") -> None:
        self._selector = selector
        self._noun = "les mots de passe" if plural else "le mot de passe"
        super().__init__(self._label_for(hidden=True), id=id, classes="link", compact=True)

    def _label_for(self, *, hidden: bool) -> str:
        return f"{'Afficher' if hidden else 'Masquer'} {self._noun} (F3)"

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
