"""The administration app's dialogs: confirm an action, choose what to issue, read an outcome."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, RadioSet, Static

from services.i18n import _
from tui.widgets import ChoiceButton, ChoiceList, TextField
from tui.widgets.button import InstantButton

__all__ = [
    "ConfirmScreen",
    "IssueChoice",
    "IssueRequest",
    "IssueScope",
    "IssueScreen",
    "ResultScreen",
]


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; Escape and « Annuler » answer no."""

    # Textual reads the footer's descriptions itself: translated once, at import.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Annuler"), id="admin-confirm-cancel"),
    ]

    def __init__(self, title: str, text: str, confirm_label: str) -> None:
        super().__init__()
        self._title = title
        self._text = text
        self._confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self._title), classes="dialog-title")
            yield Static(Content(self._text), classes="dialog-text")
            with Horizontal(classes="dialog-actions"):
                yield InstantButton(
                    self._confirm_label, id="confirm", variant="warning", compact=True
                )
                yield InstantButton(_("Annuler"), id="cancel", compact=True)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        # A stray Enter must not confirm something that cannot be undone.
        self.query_one("#cancel").focus()

    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


class ResultScreen(ModalScreen[None]):
    """What an action did: a few lines, then « Fermer »."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", _("Fermer"), id="admin-result-close"),
    ]

    def __init__(self, title: str, lines: tuple[str, ...]) -> None:
        super().__init__()
        self._title = title
        self._lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self._title), classes="dialog-title")
            yield Static(Content("\n".join(self._lines)), classes="dialog-text", id="result-text")
            with Horizontal(classes="dialog-actions"):
                yield InstantButton(_("Fermer"), id="close", variant="primary", compact=True)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#close").focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)


class IssueScope(StrEnum):
    PUPIL = "eleve"
    CLASS = "classe"
    ALL = "tous"


@dataclass(frozen=True)
class IssueChoice:
    """One way to issue offered by the dialog, with the sentence that describes it."""

    scope: IssueScope
    label: str
    # The pupil's id, the class name or the establishment's UAI.
    target: str


@dataclass(frozen=True)
class IssueRequest:
    choice: IssueChoice
    out_dir: Path


class IssueScreen(ModalScreen[IssueRequest | None]):
    """« Émettre des identifiants provisoires »: for whom, and where the notices go."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Annuler"), id="admin-issue-cancel"),
    ]

    def __init__(self, choices: tuple[IssueChoice, ...], out_dir: str) -> None:
        super().__init__()
        self._choices = choices
        self._out_dir = out_dir

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="issue-dialog"):
            yield Label(_("Émettre des identifiants provisoires"), classes="dialog-title")
            with ChoiceList(id="issue-scope"):
                for index, choice in enumerate(self._choices):
                    yield ChoiceButton(Content(choice.label), value=index == 0, name=str(index))
            yield TextField(
                _("Dossier des avis à imprimer (PDF et texte)"),
                id="out-dir",
                value=self._out_dir,
                max_length=4096,
            )
            yield Static(
                _("Un nouvel avis annule le mot de passe provisoire précédent de l'élève."),
                classes="dialog-note",
            )
            with Horizontal(classes="dialog-actions"):
                yield InstantButton(_("Émettre"), id="issue", variant="primary", compact=True)
                yield InstantButton(_("Annuler"), id="cancel", compact=True)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#issue-scope").focus()

    @on(Button.Pressed, "#issue")
    def issue(self) -> None:
        out_dir = self.query_one("#out-dir", TextField)
        if not out_dir.value.strip():
            out_dir.show_error(_("Indiquez le dossier où écrire les avis."))
            out_dir.input.focus()
            return
        pressed = self.query_one("#issue-scope", RadioSet).pressed_index
        choice = self._choices[max(pressed, 0)]
        self.dismiss(IssueRequest(choice, Path(out_dir.value.strip()).expanduser()))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
