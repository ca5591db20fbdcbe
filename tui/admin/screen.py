"""The administration app's one screen: the establishment, its four tabs, and the actions on
the highlighted account (issue, unlock, reset), each in a worker thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Label, Select, TabbedContent

from services import ServiceError, Services
from services.admin import (
    AccountRow,
    AccountState,
    DisputedLink,
    EstablishmentStats,
    GuardianResetDone,
    IssueResult,
    PupilResetDone,
    Skipped,
)
from services.issuing import (
    NOTICES_TO_PRINT,
    Done,
    WithNotices,
    issue_with_notices,
    issued_sentence,
    skipped_sentence,
)
from services.pupils import IssuedCredentials
from store.records import AccountKind, AuditEvent
from tui.admin.accounts import ACCOUNTS_TAB, AccountsPane
from tui.admin.dialogs import (
    ConfirmScreen,
    IssueChoice,
    IssueRequest,
    IssueScope,
    IssueScreen,
    ResultScreen,
)
from tui.admin.disputes import DisputesPane
from tui.admin.journal import AUDIT_LIMIT, JournalPane
from tui.admin.stats import StatsPane
from tui.admin.text import display_path
from tui.screens.base import run_service
from tui.widgets import StepHeader

__all__ = ["AdminScreen"]


@dataclass(frozen=True)
class _Filters:
    uai: str | None
    classe: str | None
    state: AccountState | None
    kind: AccountKind | None


@dataclass(frozen=True)
class _Loaded:
    """Everything the tabs show, read in one worker call."""

    uai: str | None
    schools: tuple[EstablishmentStats, ...]
    accounts: tuple[AccountRow, ...]
    disputes: tuple[DisputedLink, ...]
    audit: tuple[AuditEvent, ...]


class AdminScreen(Screen[None]):
    """The one screen: the establishment, then four tabs."""

    AUTO_FOCUS = "#accounts"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "issue", "Émettre…", id="admin-issue"),
        Binding("d", "unlock", "Déverrouiller", id="admin-unlock"),
        Binding("r", "reset", "Réinitialiser", id="admin-reset"),
        Binding("f5", "reload", "Actualiser", id="admin-reload"),
    ]

    def __init__(self, services: Services, notices_dir: Path) -> None:
        super().__init__()
        self.services = services
        self.notices_dir = notices_dir
        self.filters = _Filters(None, None, None, None)
        self.schools: tuple[EstablishmentStats, ...] = ()
        # An action in progress: its key must not start a second one meanwhile.
        self.busy = False

    def compose(self) -> ComposeResult:
        yield StepHeader(f"Administration des comptes — {self.services.admin.operator}")
        with Horizontal(id="establishment-bar"):
            yield Label("Établissement :", id="establishment-label")
            yield Select[str]([], id="establishment", prompt="Établissement", compact=True)
        with TabbedContent(initial=ACCOUNTS_TAB):
            yield AccountsPane()
            yield StatsPane()
            yield DisputesPane()
            yield JournalPane()
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.reload()

    @property
    def accounts(self) -> AccountsPane:
        """The « Comptes » tab: the actions act on its highlighted account."""
        return self.query_one(AccountsPane)

    @property
    def rows(self) -> dict[str, AccountRow]:
        """The accounts listed in the « Comptes » tab, by table row key."""
        return self.accounts.rows

    # -- reading --------------------------------------------------------------------------

    def _load(self, filters: _Filters) -> _Loaded:
        admin = self.services.admin
        schools = admin.stats()
        known = [school.uai for school in schools]
        uai = filters.uai if filters.uai in known else (known[0] if known else None)
        if uai is None:
            return _Loaded(None, schools, (), (), admin.audit(limit=AUDIT_LIMIT))
        classes = next(s.classes for s in schools if s.uai == uai)
        classe = filters.classe if filters.classe in {c.classe for c in classes} else None
        return _Loaded(
            uai,
            schools,
            admin.accounts(uai=uai, classe=classe, state=filters.state, kind=filters.kind),
            admin.disputes(uai=uai),
            admin.audit(limit=AUDIT_LIMIT),
        )

    @work(exclusive=True, group="load")
    async def reload(self) -> None:
        try:
            loaded = await run_service(self._load, self.filters)
        except ServiceError as error:
            self.accounts.set_status(error.message)
            return
        self.show(loaded)

    def show(self, loaded: _Loaded) -> None:
        self.schools = loaded.schools
        school = next((s for s in loaded.schools if s.uai == loaded.uai), None)
        self.filters = _Filters(
            loaded.uai,
            self.filters.classe
            if school is not None and self.filters.classe in {c.classe for c in school.classes}
            else None,
            self.filters.state,
            self.filters.kind,
        )
        with self.prevent(Select.Changed):
            establishment = self.query_one("#establishment", Select)
            establishment.set_options(
                (Content(f"{s.nom} ({s.uai})"), s.uai) for s in loaded.schools
            )
            if loaded.uai is not None:
                establishment.value = loaded.uai
            classe = self.query_one("#classe", Select)
            classe.set_options(
                (Content(c.classe or "(sans classe)"), c.classe)
                for c in (school.classes if school else ())
            )
            if self.filters.classe is not None:
                classe.value = self.filters.classe
        self.accounts.show(loaded.accounts)
        self.query_one(StatsPane).show(school)
        self.query_one(DisputesPane).show(loaded.disputes)
        self.query_one(JournalPane).show(loaded.audit)
        self.refresh_bindings()

    # -- tabs and filters -----------------------------------------------------------------

    @on(TabbedContent.TabActivated)
    def tab_activated(self) -> None:
        self.refresh_bindings()

    @on(Select.Changed, "#establishment")
    def establishment_changed(self, event: Select.Changed) -> None:
        uai = event.value if isinstance(event.value, str) else None
        if uai != self.filters.uai:
            self.filters = _Filters(uai, None, self.filters.state, self.filters.kind)
            self.reload()

    @on(Select.Changed, "#classe, #etat, #profil")
    def filter_changed(self) -> None:
        def chosen(selector: str) -> str | None:
            value = self.query_one(selector, Select).value
            return value if isinstance(value, str) else None

        state, kind = chosen("#etat"), chosen("#profil")
        self.filters = _Filters(
            self.filters.uai,
            chosen("#classe"),
            AccountState(state) if state else None,
            AccountKind(kind) if kind else None,
        )
        self.reload()

    # -- actions --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in ("issue", "unlock", "reset"):
            return True
        if self.busy or self.query_one(TabbedContent).active != ACCOUNTS_TAB:
            return False
        if action == "issue":
            return bool(self.issue_choices())
        row = self.accounts.selected_row()
        if row is None or row.identifiant is None:
            return False
        if action == "unlock":
            return row.state is AccountState.LOCKED
        return True

    def action_reload(self) -> None:
        self.reload()

    def issue_choices(self) -> tuple[IssueChoice, ...]:
        school = next((s for s in self.schools if s.uai == self.filters.uai), None)
        if school is None:
            return ()
        choices = []
        row = self.accounts.selected_row()
        # An active pupil needs « Réinitialiser », not a new notice.
        if (
            row is not None
            and row.kind is AccountKind.PUPIL
            and row.state is not AccountState.ACTIVE
        ):
            choices.append(
                IssueChoice(
                    IssueScope.PUPIL,
                    f"L'élève sélectionné : {row.prenom} {row.nom} ({row.classes[0]})",
                    row.person_id,
                )
            )
        classe = self.filters.classe
        if classe is None and row is not None and len(row.classes) == 1:
            classe = row.classes[0]
        if classe is not None:
            choices.append(
                IssueChoice(
                    IssueScope.CLASS,
                    f"Les élèves sans compte de la classe {classe}",
                    classe,
                )
            )
        choices.append(
            IssueChoice(IssueScope.ALL, f"Tous les élèves sans compte de {school.nom}", school.uai)
        )
        return tuple(choices)

    def action_issue(self) -> None:
        self.issue()

    @work(exclusive=True, group="action")
    async def issue(self) -> None:
        request = await self.app.push_screen_wait(
            IssueScreen(self.issue_choices(), display_path(self.notices_dir))
        )
        if request is None:
            return
        self.notices_dir = request.out_dir
        self.busy = True
        self.refresh_bindings()
        try:
            written = await run_service(self._issue_and_write, request)
        except ServiceError as error:
            await self.app.push_screen_wait(ResultScreen("Émission refusée", (error.message,)))
            return
        finally:
            self.busy = False
            self.reload()
        await self.app.push_screen_wait(
            ResultScreen(
                "Identifiants provisoires",
                _issue_lines(written.issued, written.done.skipped, written.files),
            )
        )

    def _issue_and_write(self, request: IssueRequest) -> WithNotices[IssueResult]:
        """In a worker thread."""
        admin = self.services.admin
        choice = request.choice
        if choice.scope is IssueScope.PUPIL:
            issue = partial(admin.issue_for_pupil, choice.target)
        elif choice.scope is IssueScope.CLASS:
            issue = partial(admin.issue_for_class, choice.target, uai=self.filters.uai)
        else:
            issue = partial(admin.issue_for_all, uai=choice.target)
        return self._with_notices(issue, request.out_dir)

    def _with_notices(self, issue: Callable[[], Done], out_dir: Path) -> WithNotices[Done]:
        return issue_with_notices(
            issue,
            out_dir,
            password_min_length=self.services.settings.password_min_length,
            again=_again,
            shown=display_path(out_dir),
        )

    def action_unlock(self) -> None:
        self.unlock()

    @work(exclusive=True, group="action")
    async def unlock(self) -> None:
        row = self.accounts.selected_row()
        if row is None or row.identifiant is None:
            return
        confirmed = await self.app.push_screen_wait(
            ConfirmScreen(
                "Déverrouiller le compte",
                f"Déverrouiller le compte {row.identifiant} de {row.prenom} {row.nom} ? "
                "Ses compteurs d'échecs de connexion sont remis à zéro ; son mot de passe ne "
                "change pas.",
                "Déverrouiller",
            )
        )
        if not confirmed:
            return
        self.busy = True
        self.refresh_bindings()
        try:
            done = await run_service(self.services.admin.unlock, row.identifiant)
        except ServiceError as error:
            self.accounts.set_status(error.message)
            return
        finally:
            self.busy = False
            self.reload()
        self.accounts.set_status(
            f"Compte {done.identifiant} déverrouillé."
            if done.was_locked
            else f"Le compte {done.identifiant} n'était plus verrouillé ; ses compteurs "
            "d'échecs sont remis à zéro."
        )

    def action_reset(self) -> None:
        self.reset()

    @work(exclusive=True, group="action")
    async def reset(self) -> None:
        row = self.accounts.selected_row()
        if row is None or row.identifiant is None:
            return
        if row.kind is AccountKind.GUARDIAN:
            text = (
                f"Le compte {row.identifiant} de {row.prenom} {row.nom} sera supprimé. Le "
                "représentant légal devra refaire lui-même l'auto-inscription par SMS "
                "(« Je n'ai pas de compte »). L'établissement ne lui délivre jamais de mot de "
                "passe."
            )
        else:
            text = (
                f"De nouveaux identifiants provisoires seront émis pour {row.prenom} {row.nom} "
                f"({row.identifiant}) ; son mot de passe actuel ne fonctionnera plus. L'avis "
                f"sera écrit dans {display_path(self.notices_dir)}."
            )
        confirmed = await self.app.push_screen_wait(
            ConfirmScreen("Réinitialiser le compte", text, "Réinitialiser")
        )
        if not confirmed:
            return
        self.busy = True
        self.refresh_bindings()
        try:
            written = await run_service(
                self._reset_and_write, row.identifiant, row.kind, self.notices_dir
            )
        except ServiceError as error:
            await self.app.push_screen_wait(
                ResultScreen("Réinitialisation refusée", (error.message,))
            )
            return
        finally:
            self.busy = False
            self.reload()
        if isinstance(written.done, GuardianResetDone):
            self.accounts.set_status(
                f"Compte {written.done.identifiant} supprimé : le représentant légal doit refaire "
                "l'auto-inscription par SMS."
            )
            return
        await self.app.push_screen_wait(
            ResultScreen(
                "Identifiants provisoires", _issue_lines(written.issued, (), written.files)
            )
        )

    def _reset_and_write(
        self, identifiant: str, kind: AccountKind, out_dir: Path
    ) -> WithNotices[PupilResetDone | GuardianResetDone]:
        """In a worker thread. Only a pupil's reset needs the notices' folder."""
        reset = partial(self.services.admin.reset, identifiant)
        if kind is AccountKind.PUPIL:
            return self._with_notices(reset, out_dir)
        return WithNotices(reset(), (), ())


def _again(issued: Sequence[IssuedCredentials]) -> str:
    """How the lost passwords are issued again from this app: by the pupils' names."""
    return "pour " + ", ".join(f"{c.prenom} {c.nom}" for c in issued)


def _issue_lines(
    issued: Sequence[IssuedCredentials], skipped: Sequence[Skipped], files: Sequence[Path]
) -> tuple[str, ...]:
    lines = [issued_sentence(issued)]
    if issued:
        lines.append(NOTICES_TO_PRINT)
        lines.extend(f"  {display_path(path)}" for path in files)
    if skipped:
        lines.append(skipped_sentence(skipped))
        lines.extend(f"  {s.prenom} {s.nom} : {s.reason}" for s in skipped)
    return tuple(lines)
