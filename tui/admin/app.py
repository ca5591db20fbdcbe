"""The school staff's administration app: accounts, provisional credentials, follow-up.

Separate from the families' app and never served over SSH or the web: it runs on a staff
machine with ``educonnect admin``. Every action goes through ``services.admin`` (audited with
the operator's name) in a worker thread; names and imported fields are shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Select, Static, TabbedContent, TabPane

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
from services.formatting import rate, when
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
from tui.admin.dialogs import (
    ConfirmScreen,
    IssueChoice,
    IssueRequest,
    IssueScope,
    IssueScreen,
    ResultScreen,
)
from tui.screens.base import run_service
from tui.widgets import StepHeader

__all__ = ["AdminApp", "AdminScreen", "display_path", "make_admin_app"]

ACCOUNTS_TAB = "tab-comptes"
STATS_TAB = "tab-suivi"
DISPUTES_TAB = "tab-contestes"
JOURNAL_TAB = "tab-journal"
AUDIT_LIMIT = 200

SHORT_STATES = {
    AccountState.NOT_ACTIVATED: "non activé",
    AccountState.PROVISIONAL: "provisoire",
    AccountState.ACTIVE: "actif",
    AccountState.LOCKED: "verrouillé",
}
KIND_LABELS = {AccountKind.PUPIL: "élève", AccountKind.GUARDIAN: "resp."}
KIND_FILTERS = {AccountKind.PUPIL: "Élèves", AccountKind.GUARDIAN: "Représentants légaux"}

EVENT_LABELS = {
    "account_activated": "compte activé",
    "admin_issue": "identifiants provisoires émis",
    "admin_reset": "compte réinitialisé",
    "admin_unlock": "compte déverrouillé",
    "birth_date_failed": "date de naissance erronée",
    "children_confirmed": "enfants confirmés",
    "code_expired": "code expiré",
    "code_failed": "code erroné",
    "code_refused": "code refusé",
    "code_sent": "code envoyé",
    "code_verified": "code vérifié",
    "code_voided": "code annulé",
    "first_login_started": "première connexion",
    "franceconnect_first_use": "FranceConnect : première utilisation",
    "franceconnect_linked": "FranceConnect : compte lié",
    "franceconnect_login": "FranceConnect : connexion",
    "franceconnect_refused": "FranceConnect : refus",
    "franceconnect_started": "FranceConnect : début",
    "identifiant_reminder_refused": "rappel d'identifiant refusé",
    "identifiant_reminder_sent": "rappel d'identifiant envoyé",
    "identity_confirmed": "identité confirmée",
    "link_disputed": "rattachement contesté",
    "login_failed": "échec de connexion",
    "login_locked": "compte verrouillé",
    "login_succeeded": "connexion",
    "password_reset": "mot de passe réinitialisé",
    "password_reset_refused": "réinitialisation refusée",
    "provisional_voided": "mot de passe provisoire annulé",
    "registration_ended": "inscription terminée",
    "registration_refused": "inscription refusée",
    "registration_started": "inscription commencée",
    "school_import": "import de l'établissement",
}


def display_path(path: Path) -> str:
    """Relative to the working folder when inside it (short enough for 80 columns), else
    absolute: either way the operator can find the file."""
    absolute = path.absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def _plain(text: str, style: str = "") -> Text:
    # DataTable parses ``str`` cells as markup; a Rich ``Text`` is shown as it is.
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")


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
        self.rows: dict[str, AccountRow] = {}
        self.schools: tuple[EstablishmentStats, ...] = ()
        self.events: tuple[AuditEvent, ...] = ()
        # An action in progress: its key must not start a second one meanwhile.
        self.busy = False

    def compose(self) -> ComposeResult:
        yield StepHeader(f"Administration des comptes — {self.services.admin.operator}")
        with Horizontal(id="establishment-bar"):
            yield Label("Établissement :", id="establishment-label")
            yield Select[str]([], id="establishment", prompt="Établissement", compact=True)
        with TabbedContent(initial=ACCOUNTS_TAB):
            with TabPane("Comptes", id=ACCOUNTS_TAB):
                with Horizontal(id="account-filters"):
                    yield Select[str]([], id="classe", prompt="Toutes les classes", compact=True)
                    yield Select[str](
                        [(label, state.value) for state, label in SHORT_STATES.items()],
                        id="etat",
                        prompt="Tous les états",
                        compact=True,
                    )
                    yield Select[str](
                        [(label, kind.value) for kind, label in KIND_FILTERS.items()],
                        id="profil",
                        prompt="Élèves et responsables",
                        compact=True,
                    )
                yield DataTable(id="accounts", cursor_type="row")
                yield Static("", id="account-detail", markup=False)
                yield Static("", id="status", markup=False)
            with TabPane("Suivi", id=STATS_TAB):
                yield Static("", id="stats-title", classes="pane-title", markup=False)
                yield DataTable(id="stats", cursor_type="row")
            with TabPane("Rattachements contestés", id=DISPUTES_TAB):
                yield Static(
                    "Un représentant légal a répondu « Non » pour cet élève à l'étape 6 : "
                    "vérifiez le lien avec lui.",
                    classes="pane-title",
                )
                yield Static("Aucun rattachement contesté.", id="disputes-empty")
                yield DataTable(id="disputes", cursor_type="row")
            with TabPane("Journal", id=JOURNAL_TAB):
                yield Static(
                    "Journal de sécurité, tous établissements, du plus récent au plus ancien.",
                    classes="pane-title",
                )
                yield DataTable(id="journal", cursor_type="row")
                yield Static("", id="journal-detail", markup=False)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        accounts = self.query_one("#accounts", DataTable)
        accounts.add_column("Profil", key="profil")
        accounts.add_column("Classe", key="classe")
        accounts.add_column("Nom", key="nom")
        accounts.add_column("Identifiant", key="identifiant")
        accounts.add_column("État", key="etat")
        accounts.add_column("Activité", key="activite")
        stats = self.query_one("#stats", DataTable)
        stats.add_columns("Classe", "Élèves activés", "Représentants légaux activés")
        disputes = self.query_one("#disputes", DataTable)
        disputes.add_columns("Date", "Représentant légal", "Élève", "Classe")
        journal = self.query_one("#journal", DataTable)
        journal.add_columns("Date", "Événement", "Identifiant", "Opérateur")
        self.reload()

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
            self.set_status(error.message)
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
        self.show_accounts(loaded.accounts)
        self.show_stats(school)
        self.show_disputes(loaded.disputes)
        self.show_journal(loaded.audit)
        self.refresh_bindings()

    def show_accounts(self, rows: Sequence[AccountRow]) -> None:
        table = self.query_one("#accounts", DataTable)
        selected = self.selected_key()
        table.clear()
        self.rows = {}
        for row in rows:
            key = f"{row.kind.value}:{row.person_id}"
            self.rows[key] = row
            table.add_row(
                _plain(KIND_LABELS[row.kind]),
                _plain(", ".join(row.classes) or "—"),
                _plain(f"{row.nom} {row.prenom}"),
                _plain(row.identifiant or "—"),
                _plain(SHORT_STATES[row.state]),
                _plain(
                    f"{row.last_activity_at.astimezone():%d/%m/%Y}" if row.last_activity_at else "—"
                ),
                key=key,
            )
        if selected in self.rows:
            table.move_cursor(row=table.get_row_index(selected), animate=False)
        self.show_detail()

    def show_stats(self, school: EstablishmentStats | None) -> None:
        title = self.query_one("#stats-title", Static)
        table = self.query_one("#stats", DataTable)
        table.clear()
        if school is None:
            title.update("Aucun élève enregistré.")
            return
        title.update("Comptes activés, par classe et pour tout l'établissement.")
        for group in school.classes:
            table.add_row(
                _plain(group.classe or "(sans classe)"),
                _plain(rate(group.pupils)),
                _plain(rate(group.guardians)),
            )
        table.add_row(
            _plain("Établissement", "bold"),
            _plain(rate(school.pupils), "bold"),
            _plain(rate(school.guardians), "bold"),
        )

    def show_disputes(self, disputes: Sequence[DisputedLink]) -> None:
        table = self.query_one("#disputes", DataTable)
        table.clear()
        for dispute in disputes:
            table.add_row(
                _plain(when(dispute.disputed_at)),
                _plain(f"{dispute.guardian_nom} {dispute.guardian_prenom}"),
                _plain(f"{dispute.pupil_nom} {dispute.pupil_prenom}"),
                _plain(dispute.classe or "—"),
            )
        table.display = bool(disputes)
        self.query_one("#disputes-empty").display = not disputes

    def show_journal(self, events: Sequence[AuditEvent]) -> None:
        table = self.query_one("#journal", DataTable)
        table.clear()
        self.events = tuple(events)
        for event in events:
            table.add_row(
                _plain(when(event.at)),
                _plain(EVENT_LABELS.get(event.event, event.event)),
                _plain(event.identifiant or "—"),
                _plain(event.operator or "—"),
            )
        self.show_event_detail()

    def show_event_detail(self) -> None:
        """The highlighted event's detail, in full: at 80 columns it has no room in the table."""
        table = self.query_one("#journal", DataTable)
        detail = self.query_one("#journal-detail", Static)
        if not self.events:
            detail.update("Le journal est vide.")
            return
        event = self.events[min(max(table.cursor_row, 0), len(self.events) - 1)]
        parts = [
            f"{event.at.astimezone():%d/%m/%Y %H:%M:%S}",
            EVENT_LABELS.get(event.event, event.event),
        ]
        if event.guardian_id:
            parts.append(f"responsable {event.guardian_id}")
        parts.append(" ".join(event.detail.split()) or "sans détail")
        detail.update(Content(" — ".join(parts)))

    @on(DataTable.RowHighlighted, "#journal")
    def event_highlighted(self) -> None:
        self.show_event_detail()

    # -- selection and filters ------------------------------------------------------------

    def selected_key(self) -> str | None:
        table = self.query_one("#accounts", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return key if key in self.rows else None

    def selected_row(self) -> AccountRow | None:
        key = self.selected_key()
        return self.rows[key] if key is not None else None

    def show_detail(self) -> None:
        detail = self.query_one("#account-detail", Static)
        row = self.selected_row()
        if row is None:
            detail.update("Aucun compte ne correspond aux filtres.")
            return
        profile = "élève" if row.kind is AccountKind.PUPIL else "représentant légal"
        state = {
            AccountState.NOT_ACTIVATED: "compte non activé",
            AccountState.PROVISIONAL: "identifiants provisoires remis",
            AccountState.ACTIVE: "compte actif",
            AccountState.LOCKED: "compte verrouillé",
        }[row.state]
        if row.provisional_until is not None and row.state is AccountState.PROVISIONAL:
            state += f", valables jusqu'au {row.provisional_until:%d/%m/%Y}"
        if row.last_activity_at is not None:
            state += f" ; dernière activité le {row.last_activity_at.astimezone():%d/%m/%Y à %H:%M}"
        detail.update(Content(f"{row.prenom} {row.nom} — {profile} {row.person_id} — {state}"))

    @on(DataTable.RowHighlighted, "#accounts")
    def row_highlighted(self) -> None:
        self.show_detail()
        self.refresh_bindings()

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

    def set_status(self, message: str) -> None:
        self.query_one("#status", Static).update(Content(message))

    # -- actions --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in ("issue", "unlock", "reset"):
            return True
        if self.busy or self.query_one(TabbedContent).active != ACCOUNTS_TAB:
            return False
        if action == "issue":
            return bool(self.issue_choices())
        row = self.selected_row()
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
        row = self.selected_row()
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
        row = self.selected_row()
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
            self.set_status(error.message)
            return
        finally:
            self.busy = False
            self.reload()
        self.set_status(
            f"Compte {done.identifiant} déverrouillé."
            if done.was_locked
            else f"Le compte {done.identifiant} n'était plus verrouillé ; ses compteurs "
            "d'échecs sont remis à zéro."
        )

    def action_reset(self) -> None:
        self.reset()

    @work(exclusive=True, group="action")
    async def reset(self) -> None:
        row = self.selected_row()
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
            self.set_status(
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


class AdminApp(App[None]):
    CSS_PATH = "admin.tcss"
    TITLE = "ÉduConnect — administration"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quitter", id="quit", priority=True),
    ]

    def __init__(self, services: Services, notices_dir: Path | None = None) -> None:
        super().__init__()
        self.services = services
        self.notices_dir = notices_dir or services.settings.db_path.parent / "notices"
        # Nothing may move or tick on its own.
        self.animation_level = "none"

    def get_default_screen(self) -> Screen[None]:
        return AdminScreen(self.services, self.notices_dir)


def make_admin_app(services: Services, *, notices_dir: Path | None = None) -> AdminApp:
    """The administration app; notices go to ``notices_dir``, by default a ``notices`` folder
    beside the data file."""
    return AdminApp(services, notices_dir)
