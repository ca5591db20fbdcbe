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
from services.i18n import _
from services.issuing import (
    NOTICES_TO_PRINT,
    Done,
    WithNotices,
    issue_with_notices,
    issued_sentence,
    skipped_sentence,
)
from services.pupils import IssuedCredentials
from services.school import SchoolDetails
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
    # Textual reads the footer's descriptions itself: translated once, at import.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "issue", _("Émettre…"), id="admin-issue"),
        Binding("d", "unlock", _("Déverrouiller"), id="admin-unlock"),
        Binding("r", "reset", _("Réinitialiser"), id="admin-reset"),
        Binding("f5", "reload", _("Actualiser"), id="admin-reload"),
    ]

    def __init__(
        self, services: Services, notices_dir: Path, school: SchoolDetails | None = None
    ) -> None:
        super().__init__()
        self.services = services
        self.notices_dir = notices_dir
        self.school = school
        self.filters = _Filters(None, None, None, None)
        self.schools: tuple[EstablishmentStats, ...] = ()
        # An action in progress: its key must not start a second one meanwhile.
        self.busy = False

    def compose(self) -> ComposeResult:
        yield StepHeader(
            _("Administration des comptes — %(operator)s")
            % {"operator": self.services.admin.operator}
        )
        with Horizontal(id="establishment-bar"):
            yield Label(_("Établissement :"), id="establishment-label")
            yield Select[str]([], id="establishment", prompt=_("Établissement"), compact=True)
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
                (Content(c.classe or _("(sans classe)")), c.classe)
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

    @on(Select.Changed, ".account-filter")
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
            label = _("L'élève sélectionné : %(prenom)s %(nom)s (%(classe)s)") % {
                "prenom": row.prenom,
                "nom": row.nom,
                "classe": row.classes[0],
            }
            choices.append(IssueChoice(IssueScope.PUPIL, label, row.person_id))
        classe = self.filters.classe
        if classe is None and row is not None and len(row.classes) == 1:
            classe = row.classes[0]
        if classe is not None:
            label = _("Les élèves sans compte de la classe %(classe)s") % {"classe": classe}
            choices.append(IssueChoice(IssueScope.CLASS, label, classe))
        label = _("Tous les élèves sans compte de %(school)s") % {"school": school.nom}
        choices.append(IssueChoice(IssueScope.ALL, label, school.uai))
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
            await self.app.push_screen_wait(ResultScreen(_("Émission refusée"), (error.message,)))
            return
        finally:
            self.busy = False
            self.reload()
        await self.app.push_screen_wait(
            ResultScreen(
                _("Identifiants provisoires"),
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
            settings=self.services.settings,
            again=_again,
            shown=display_path(out_dir),
            school=self.school,
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
                _("Déverrouiller le compte"),
                _(
                    "Déverrouiller le compte %(identifiant)s de %(prenom)s %(nom)s ? Ses "
                    "compteurs d'échecs de connexion sont remis à zéro ; son mot de passe ne "
                    "change pas."
                )
                % {"identifiant": row.identifiant, "prenom": row.prenom, "nom": row.nom},
                _("Déverrouiller"),
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
        unlocked = (
            _("Compte %(identifiant)s déverrouillé.")
            if done.was_locked
            else _(
                "Le compte %(identifiant)s n'était plus verrouillé ; ses compteurs d'échecs sont "
                "remis à zéro."
            )
        )
        self.accounts.set_status(unlocked % {"identifiant": done.identifiant})

    def action_reset(self) -> None:
        self.reset()

    @work(exclusive=True, group="action")
    async def reset(self) -> None:
        row = self.accounts.selected_row()
        if row is None or row.identifiant is None:
            return
        values = {
            "identifiant": row.identifiant,
            "prenom": row.prenom,
            "nom": row.nom,
            "folder": display_path(self.notices_dir),
        }
        if row.kind is AccountKind.GUARDIAN:
            text = _(
                "Le compte %(identifiant)s de %(prenom)s %(nom)s sera supprimé. Le représentant "
                "légal devra refaire lui-même l'auto-inscription par SMS (« Je n'ai pas de "
                "compte »). L'établissement ne lui délivre jamais de mot de passe."
            )
        else:
            text = _(
                "De nouveaux identifiants provisoires seront émis pour %(prenom)s %(nom)s "
                "(%(identifiant)s) ; son mot de passe actuel ne fonctionnera plus. L'avis sera "
                "écrit dans %(folder)s."
            )
        confirmed = await self.app.push_screen_wait(
            ConfirmScreen(_("Réinitialiser le compte"), text % values, _("Réinitialiser"))
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
                ResultScreen(_("Réinitialisation refusée"), (error.message,))
            )
            return
        finally:
            self.busy = False
            self.reload()
        if isinstance(written.done, GuardianResetDone):
            self.accounts.set_status(
                _(
                    "Compte %(identifiant)s supprimé : le représentant légal doit refaire "
                    "l'auto-inscription par SMS."
                )
                % {"identifiant": written.done.identifiant}
            )
            return
        await self.app.push_screen_wait(
            ResultScreen(
                _("Identifiants provisoires"), _issue_lines(written.issued, (), written.files)
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
    """How the lost passwords are issued again from this app: by the pupils' names (the end of
    the services' sentence, as ``issue_with_notices`` asks)."""
    names = ", ".join(f"{c.prenom} {c.nom}" for c in issued)
    return _("pour %(pupils)s") % {"pupils": names}


def _issue_lines(
    issued: Sequence[IssuedCredentials], skipped: Sequence[Skipped], files: Sequence[Path]
) -> tuple[str, ...]:
    lines = [issued_sentence(issued)]
    if issued:
        lines.append(_(NOTICES_TO_PRINT))
        lines.extend(f"  {display_path(path)}" for path in files)
    if skipped:
        lines.append(skipped_sentence(skipped))
        for pupil in skipped:
            left_out = _("%(prenom)s %(nom)s : %(reason)s") % {
                "prenom": pupil.prenom,
                "nom": pupil.nom,
                "reason": pupil.reason,
            }
            lines.append(f"  {left_out}")
    return tuple(lines)
