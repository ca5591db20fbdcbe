"""The ``educonnect`` command: the app, the school import, the SMS outbox and the demo.

A data file that must be refused, or a CSV that cannot be read, ends the command with its
French message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import ClassVar, TypeVar

import click

from services import ServiceError, Services
from services.admin import STATE_LABELS, AccountState, GuardianResetDone, Rate
from services.demo import (
    DEMO_ACTIVE_IDENTIFIANT,
    DEMO_ACTIVE_PASSWORD,
    DEMO_ESTABLISHMENTS,
    DEMO_GUARDIANS,
    DEMO_PUPILS,
    load_demo,
)
from services.importer import (
    ImportCounts,
    ImportResult,
    SchoolImporter,
    read_export,
    school_record_ids,
)
from services.notices import write_notices
from services.passwords import PasswordHasher
from services.phones import parse_mobile
from services.pupils import IssuedCredentials
from store import StoreError, resolve_db_path
from store.records import AccountKind
from tui.loading import open_services

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., object])

REFUSED = 2
IMPORT_FAILED = 1

_DB_HELP = (
    "Fichier de données à utiliser (sinon la variable EDUCONNECT_DB, sinon le dossier de "
    "données de l'utilisateur)."
)


class _FrenchHelpFormatter(click.HelpFormatter):
    """Click's own headings are English; the ones this command shows are put in French."""

    _HEADINGS: ClassVar[dict[str, str]] = {"Commands": "Commandes", "Arguments": "Arguments"}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix or "Utilisation : ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(self._HEADINGS.get(heading, heading))


class _Context(click.Context):
    formatter_class = _FrenchHelpFormatter


class _Command(click.Command):
    context_class = _Context


class _Group(click.Group):
    context_class = _Context
    command_class = _Command


def _db_option(function: F) -> F:
    # Accepted before and after the subcommand: `educonnect --db X sms` and `educonnect sms --db X`.
    return click.option("--db", "db", metavar="FICHIER", default=None, help=_DB_HELP)(function)


def _help_option(function: F) -> F:
    return click.help_option("-h", "--help", help="Afficher cette aide et quitter.")(function)


@click.group(
    cls=_Group,
    invoke_without_command=True,
    subcommand_metavar="[COMMANDE] [ARGUMENTS]...",
)
@_db_option
@_help_option
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """ÉduConnect dans un terminal. Sans commande : lance l'application."""
    ctx.obj = db
    if ctx.invoked_subcommand is None:
        _run_app(_open_services(db))


@main.command("import", short_help="Importer l'export CSV de l'établissement.")
@click.argument("fichier", metavar="FICHIER_CSV", type=click.Path(path_type=Path))
@_db_option
@_help_option
@click.pass_obj
def import_command(group_db: str | None, fichier: Path, db: str | None) -> None:
    """Importe l'export CSV de l'établissement (élèves, responsables et leurs liens).

    Tout ou rien : à la moindre erreur, rien n'est enregistré et chaque erreur est listée
    avec son numéro de ligne.
    """
    with _refusals():
        # Read first: a wrong file name must not create an empty data file.
        text = read_export(fichier)
        services = _open_services(db or group_db)
        result = SchoolImporter(services.store, services.clock).import_text(text)
    if result.errors:
        _report_errors(fichier, result)
        raise click.exceptions.Exit(IMPORT_FAILED)
    _report_import(fichier, services.settings.db_path, result)


@main.command("sms", short_help="Afficher les SMS envoyés.")
@click.option(
    "--to",
    "to",
    metavar="NUMÉRO",
    default=None,
    help="Seulement les SMS envoyés à ce numéro, écrit comme on le tape (06 12 34 56 78).",
)
@_db_option
@_help_option
@click.pass_obj
def sms_command(group_db: str | None, to: str | None, db: str | None) -> None:
    """Les SMS envoyés (boîte d'envoi simulée), du plus ancien au plus récent."""
    with _refusals():
        phone = parse_mobile(to) if to is not None else None
        services = _open_services(db or group_db)
        messages = services.outbox.messages(channel="sms", to=phone)
    if not messages:
        click.echo("Aucun SMS envoyé" + (f" au {phone}." if phone else "."))
        return
    for message in messages:
        when = message.at.astimezone()
        # One message a line, whatever the text holds.
        text = " ".join(message.text.split())
        click.echo(f"{when:%d/%m/%Y %H:%M}  {message.to}  {text}")


@main.command("mail", short_help="Afficher les courriels envoyés.")
@click.option(
    "--to",
    "to",
    metavar="ADRESSE",
    default=None,
    help="Seulement les courriels envoyés à cette adresse.",
)
@_db_option
@_help_option
@click.pass_obj
def mail_command(group_db: str | None, to: str | None, db: str | None) -> None:
    """Les courriels envoyés (boîte d'envoi simulée), du plus ancien au plus récent : date,
    adresse, objet, puis le texte en retrait."""
    address = to.strip().lower() if to is not None else None
    with _refusals():
        services = _open_services(db or group_db)
        messages = [
            message
            for message in services.outbox.messages(channel="email")
            if address is None or message.to.lower() == address
        ]
    if not messages:
        click.echo("Aucun courriel envoyé" + (f" à {address}." if address else "."))
        return
    for message in messages:
        click.echo(f"{message.at.astimezone():%d/%m/%Y %H:%M}  {message.to}  {message.subject}")
        for line in message.text.splitlines():
            click.echo(f"    {line}")


@main.command("demo", short_help="Préparer les familles de démonstration.")
@click.option("--no-app", is_flag=True, help="Préparer la démo sans lancer l'application.")
@click.option(
    "--force",
    is_flag=True,
    help="Remplacer le fichier même s'il contient d'autres données que celles de la démo.",
)
@_db_option
@_help_option
@click.pass_obj
def demo_command(group_db: str | None, no_app: bool, force: bool, db: str | None) -> None:
    """Crée (ou remet à zéro) les familles de démonstration, puis lance l'application."""
    with _refusals():
        services = _open_services(db or group_db)
        if not force:
            _refuse_foreign_data(services)
        load_demo(services.store, PasswordHasher(services.settings.hashing), services.clock)
    click.echo(f"Données de démonstration prêtes dans {services.settings.db_path}")
    _print_demo_families()
    if not no_app:
        _run_app(services)


# -- serve: the app for people on SSH or in a browser (tui/serve/) ---------------------------


@main.group(
    "serve",
    cls=_Group,
    subcommand_metavar="COMMANDE [ARGUMENTS]...",
    short_help="Servir l'application par SSH ou dans un navigateur.",
)
@_help_option
def serve_group() -> None:
    """Sert l'application à distance : chaque session a son propre processus, sur le même
    fichier de données. Seule l'application des familles est servie, jamais les commandes
    d'administration."""


@serve_group.command("ssh", short_help="Serveur SSH : une application par connexion.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
@click.option("--port", default=2222, show_default=True, help="Port d'écoute (0 : au hasard).")
@click.option(
    "--open",
    "open_mode",
    is_flag=True,
    help="Accepter le mode ouvert (sans mot de passe) sur une adresse autre que locale.",
)
@click.option(
    "--authorized-keys",
    metavar="FICHIER",
    type=click.Path(path_type=Path),
    default=None,
    help="Clés publiques autorisées (format authorized_keys d'OpenSSH) ; "
    "l'utilisateur est le commentaire de la clé, jusqu'au premier @.",
)
@click.option(
    "--user", metavar="NOM", default=None, help="Nom d'utilisateur unique pour toutes les clés."
)
@click.option("--max-sessions", default=50, show_default=True, help="Sessions simultanées.")
@click.option(
    "--idle-timeout", default=15, show_default=True, help="Minutes d'inactivité avant déconnexion."
)
@click.option(
    "--rate-limit", default=10, show_default=True, help="Connexions par minute et par adresse."
)
@_db_option
@_help_option
@click.pass_obj
def serve_ssh_command(
    group_db: str | None,
    host: str,
    port: int,
    open_mode: bool,
    authorized_keys: Path | None,
    user: str | None,
    max_sessions: int,
    idle_timeout: int,
    rate_limit: int,
    db: str | None,
) -> None:
    """Serveur SSH : chaque connexion reçoit sa propre application sur un pseudo-terminal."""
    import logging

    from tui.serve.ssh import ServeError, SshConfig, serve_forever

    services = _open_services(db or group_db)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    config = SshConfig(
        db_path=services.settings.db_path,
        host=host,
        port=port,
        open_mode=open_mode,
        authorized_keys=authorized_keys,
        user=user,
        max_sessions=max_sessions,
        idle_timeout=idle_timeout * 60.0,
        rate_limit=rate_limit,
    )
    try:
        serve_forever(config, lambda line: click.echo(line))
    except ServeError as error:
        click.echo(error.message, err=True)
        raise click.exceptions.Exit(REFUSED) from None


@serve_group.command("web", short_help="Serveur web (textual-serve) : une application par onglet.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
@click.option("--port", default=8000, show_default=True, help="Port d'écoute.")
@click.option(
    "--open",
    "open_mode",
    is_flag=True,
    help="Accepter d'écouter sur une adresse autre que locale (il n'y a pas d'authentification).",
)
@click.option(
    "--public-url",
    metavar="URL",
    default=None,
    help="Adresse publique derrière le proxy inverse (ex. https://educonnect.exemple.fr).",
)
@_db_option
@_help_option
@click.pass_obj
def serve_web_command(
    group_db: str | None,
    host: str,
    port: int,
    open_mode: bool,
    public_url: str | None,
    db: str | None,
) -> None:
    """Serveur web : chaque onglet reçoit sa propre application. Sans authentification : à
    placer derrière un proxy inverse qui authentifie."""
    from tui.serve.ssh import ServeError
    from tui.serve.web import serve_web

    services = _open_services(db or group_db)
    try:
        serve_web(services.settings.db_path, host, port, open_mode=open_mode, public_url=public_url)
    except ServeError as error:
        click.echo(error.message, err=True)
        raise click.exceptions.Exit(REFUSED) from None


# -- helpers -----------------------------------------------------------------------------------


@contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except (StoreError, ServiceError) as error:
        click.echo(error.message, err=True)
        raise click.exceptions.Exit(REFUSED) from None


def _open_services(db: str | None) -> Services:
    with _refusals():
        return open_services(resolve_db_path(db))


def _run_app(services: Services) -> None:
    # Textual is imported only when a screen is really needed: import, sms and demo --no-app
    # stay quick on a slow machine.
    from tui.app import make_app

    make_app(services).run()


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count < 2 else plural}"


def _counts_line(label: str, counts: ImportCounts) -> str:
    return (
        f"  {label} : {_plural(counts.added, 'ajouté', 'ajoutés')}, "
        f"{_plural(counts.updated, 'modifié', 'modifiés')}, "
        f"{_plural(counts.unchanged, 'inchangé', 'inchangés')}"
    )


def _report_import(fichier: Path, db_path: Path, result: ImportResult) -> None:
    click.echo(f"Import de {fichier} dans {db_path} :")
    click.echo(_counts_line("Établissements", result.establishments))
    click.echo(_counts_line("Élèves", result.pupils))
    click.echo(_counts_line("Responsables", result.guardians))
    click.echo(_counts_line("Liens élève–responsable", result.links))
    if result.warnings:
        click.echo(_plural(len(result.warnings), "avertissement", "avertissements") + " :")
        for warning in result.warnings:
            click.echo(f"  {warning}")


def _report_errors(fichier: Path, result: ImportResult) -> None:
    click.echo(
        f"Import refusé : {_plural(len(result.errors), 'erreur', 'erreurs')} dans {fichier}. "
        "Rien n'a été enregistré ; corrigez le fichier puis relancez l'import.",
        err=True,
    )
    for error in result.errors:
        click.echo(f"  {error}", err=True)


def _refuse_foreign_data(services: Services) -> None:
    """Resetting a school's real data with the demo must not happen by a slip of ``--db``."""
    ids = school_record_ids(services.store)
    foreign = (
        ids.establishments - {e.uai for e in DEMO_ESTABLISHMENTS}
        or ids.pupils - {p.id for p in DEMO_PUPILS}
        or ids.guardians - {g.id for g in DEMO_GUARDIANS}
    )
    if foreign:
        click.echo(
            f"Le fichier {services.settings.db_path} contient d'autres données que la démo ; "
            "elles seraient effacées. Indiquez un autre fichier avec --db, ou ajoutez --force "
            "pour le remplacer.",
            err=True,
        )
        raise click.exceptions.Exit(REFUSED)


def _print_demo_families() -> None:
    schools = {e.uai: e.nom for e in DEMO_ESTABLISHMENTS}
    pupils = {p.id: p for p in DEMO_PUPILS}
    click.echo(
        f"Compte déjà actif : identifiant {DEMO_ACTIVE_IDENTIFIANT}, "
        f"mot de passe {DEMO_ACTIVE_PASSWORD}"
    )
    click.echo("")
    click.echo("Familles (nom, prénom et portable à saisir à l'étape « activation du compte ») :")
    for guardian in DEMO_GUARDIANS:
        phone = guardian.portable or "aucun portable"
        click.echo(f"  {guardian.prenom} {guardian.nom} — {phone}")
        for pupil_id in guardian.children:
            pupil = pupils[pupil_id]
            click.echo(
                f"      {pupil.prenom} {pupil.nom}, né(e) le {pupil.naissance:%d/%m/%Y}, "
                f"{schools[pupil.uai]} ({pupil.classe})"
            )
        click.echo(f"      → {guardian.note}")


# -- admin: the school's administration of accounts (services/admin.py) ----------------------

_STATE_CHOICES = [state.value for state in AccountState]
_KIND_LABELS = {AccountKind.PUPIL: "élève", AccountKind.GUARDIAN: "responsable"}


@main.group(
    "admin",
    cls=_Group,
    invoke_without_command=True,
    subcommand_metavar="[COMMANDE] [ARGUMENTS]...",
    short_help="Administration des comptes par l'établissement.",
)
@_db_option
@_help_option
@click.pass_context
def admin_group(ctx: click.Context, db: str | None) -> None:
    """Comptes des élèves et des représentants légaux : liste, identifiants provisoires des
    élèves, suivi des activations, déverrouillage et réinitialisation. Chaque action est
    journalisée avec le nom de l'utilisateur qui la lance. Sans commande : lance l'application
    d'administration (jamais servie par SSH ni sur le web)."""
    # `educonnect admin --db X` as well as `educonnect --db X admin`; the subcommands see it.
    ctx.obj = db or ctx.obj
    if ctx.invoked_subcommand is None:
        from tui.admin import make_admin_app

        make_admin_app(_open_services(ctx.obj)).run()


@admin_group.command("accounts", short_help="Lister les comptes d'un établissement.")
@click.option("--uai", metavar="UAI", default=None, help="Seulement cet établissement.")
@click.option("--classe", metavar="CLASSE", default=None, help="Seulement cette classe.")
@click.option(
    "--etat",
    type=click.Choice(_STATE_CHOICES),
    default=None,
    help="Seulement les comptes dans cet état.",
)
@_db_option
@_help_option
@click.pass_obj
def admin_accounts_command(
    group_db: str | None, uai: str | None, classe: str | None, etat: str | None, db: str | None
) -> None:
    """Les élèves et leurs représentants légaux, avec l'état de leur compte et la date de la
    dernière activation ou connexion."""
    services = _open_services(db or group_db)
    rows = services.admin.accounts(
        uai=uai, classe=classe, state=AccountState(etat) if etat else None
    )
    if not rows:
        click.echo("Aucun compte ne correspond.")
        return
    table = [("UAI", "PROFIL", "CLASSE", "NOM", "PRÉNOM", "IDENTIFIANT", "ÉTAT", "ACTIVITÉ")]
    for row in rows:
        state = STATE_LABELS[row.state]
        if row.provisional_until is not None:
            state += f" (jusqu'au {row.provisional_until:%d/%m/%Y})"
        table.append(
            (
                row.uai,
                _KIND_LABELS[row.kind],
                ",".join(row.classes) or "—",
                row.nom,
                row.prenom,
                row.identifiant or "—",
                state,
                _when(row.last_activity_at),
            )
        )
    _echo_table(table)


@admin_group.command("issue", short_help="Émettre les identifiants provisoires des élèves.")
@click.option("--eleve", metavar="ID", default=None, help="Un élève (son identifiant national).")
@click.option(
    "--classe", metavar="CLASSE", default=None, help="Les élèves sans compte d'une classe."
)
@click.option("--tous", is_flag=True, help="Tous les élèves sans compte.")
@click.option("--uai", metavar="UAI", default=None, help="Seulement cet établissement.")
@click.option(
    "--out",
    "out",
    metavar="DOSSIER",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Dossier où écrire les avis (PDF et texte, un fichier par classe).",
)
@_db_option
@_help_option
@click.pass_obj
def admin_issue_command(
    group_db: str | None,
    eleve: str | None,
    classe: str | None,
    tous: bool,
    uai: str | None,
    out: Path,
    db: str | None,
) -> None:
    """Émet un identifiant et un mot de passe provisoire (valable 3 mois) pour un élève, une
    classe ou tous les élèves sans compte, et écrit les avis à imprimer, une page par élève.
    Un nouvel avis annule le mot de passe provisoire précédent de l'élève."""
    if [eleve is not None, classe is not None, tous].count(True) != 1:
        raise click.UsageError("Indiquez exactement une option parmi --eleve, --classe et --tous.")
    services = _open_services(db or group_db)
    _check_out_dir(out)
    with _refusals():
        if eleve is not None:
            result = services.admin.issue_for_pupil(eleve)
        elif classe is not None:
            result = services.admin.issue_for_class(classe, uai=uai)
        else:
            result = services.admin.issue_for_all(uai=uai)
    if result.issued:
        click.echo(
            _plural(len(result.issued), "élève", "élèves")
            + " : identifiants provisoires émis, valables jusqu'au "
            + f"{result.issued[0].valid_until:%d/%m/%Y}."
        )
        _write_notices(services, result.issued, out)
    else:
        click.echo("Aucun identifiant provisoire émis.")
    if result.skipped:
        click.echo(_plural(len(result.skipped), "élève ignoré", "élèves ignorés") + " :")
        for skipped in result.skipped:
            click.echo(f"  {skipped.prenom} {skipped.nom} ({skipped.pupil_id}) : {skipped.reason}")


@admin_group.command("stats", short_help="Taux d'activation par établissement et par classe.")
@click.option("--uai", metavar="UAI", default=None, help="Seulement cet établissement.")
@_db_option
@_help_option
@click.pass_obj
def admin_stats_command(group_db: str | None, uai: str | None, db: str | None) -> None:
    """Part des élèves et des représentants légaux dont le compte est activé."""
    services = _open_services(db or group_db)
    schools = services.admin.stats(uai=uai)
    if not schools:
        click.echo("Aucun élève enregistré.")
        return
    for school in schools:
        click.echo(f"{school.nom} ({school.uai})")
        click.echo(
            f"  Élèves : {_rate(school.pupils)} ; représentants légaux : {_rate(school.guardians)}"
        )
        for group in school.classes:
            click.echo(
                f"  Classe {group.classe or '(sans classe)'} : élèves {_rate(group.pupils)}, "
                f"représentants légaux {_rate(group.guardians)}"
            )


@admin_group.command("disputes", short_help="Liens responsable–élève contestés.")
@click.option("--uai", metavar="UAI", default=None, help="Seulement cet établissement.")
@_db_option
@_help_option
@click.pass_obj
def admin_disputes_command(group_db: str | None, uai: str | None, db: str | None) -> None:
    """Les liens qu'un représentant légal a contestés à l'étape 6 (« Non »), les plus récents
    d'abord : l'établissement doit les vérifier."""
    services = _open_services(db or group_db)
    disputes = services.admin.disputes(uai=uai)
    if not disputes:
        click.echo("Aucun lien contesté.")
        return
    for dispute in disputes:
        classe = f", {dispute.classe}" if dispute.classe else ""
        click.echo(
            f"{_when(dispute.disputed_at)}  {dispute.guardian_prenom} {dispute.guardian_nom} "
            f"({dispute.guardian_id}) conteste le lien avec {dispute.pupil_prenom} "
            f"{dispute.pupil_nom} ({dispute.pupil_id}{classe}, {dispute.etablissement})"
        )


@admin_group.command("audit", short_help="Derniers événements du journal.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Nombre d'événements à afficher.",
)
@_db_option
@_help_option
@click.pass_obj
def admin_audit_command(group_db: str | None, limit: int, db: str | None) -> None:
    """Les derniers événements de sécurité, du plus récent au plus ancien."""
    services = _open_services(db or group_db)
    events = services.admin.audit(limit=limit)
    if not events:
        click.echo("Le journal est vide.")
        return
    for event in events:
        parts = [f"{event.at.astimezone():%d/%m/%Y %H:%M:%S}", event.event]
        if event.identifiant:
            parts.append(event.identifiant)
        if event.guardian_id:
            parts.append(f"responsable {event.guardian_id}")
        if event.detail:
            parts.append(" ".join(event.detail.split()))
        if event.operator:
            parts.append(f"opérateur {event.operator}")
        click.echo("  ".join(parts))


@admin_group.command("unlock", short_help="Déverrouiller un compte.")
@click.argument("identifiant")
@_db_option
@_help_option
@click.pass_obj
def admin_unlock_command(group_db: str | None, identifiant: str, db: str | None) -> None:
    """Lève le verrouillage du compte et remet à zéro ses compteurs d'échecs."""
    services = _open_services(db or group_db)
    with _refusals():
        done = services.admin.unlock(identifiant)
    if done.was_locked:
        click.echo(f"Compte {done.identifiant} déverrouillé.")
    else:
        click.echo(
            f"Le compte {done.identifiant} n'était pas verrouillé ; ses compteurs d'échecs sont "
            "remis à zéro."
        )


@admin_group.command("reset", short_help="Réinitialiser un compte.")
@click.argument("identifiant")
@click.option(
    "--out",
    "out",
    metavar="DOSSIER",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Dossier où écrire l'avis d'un élève (PDF et texte).",
)
@_db_option
@_help_option
@click.pass_obj
def admin_reset_command(group_db: str | None, identifiant: str, out: Path, db: str | None) -> None:
    """Élève : de nouveaux identifiants provisoires (l'ancien mot de passe ne fonctionne plus),
    avec leur avis. Représentant légal : le compte est supprimé et il refait l'auto-inscription
    par SMS ; l'établissement ne délivre jamais son mot de passe."""
    services = _open_services(db or group_db)
    _check_out_dir(out)
    with _refusals():
        done = services.admin.reset(identifiant)
    if isinstance(done, GuardianResetDone):
        click.echo(
            f"Le compte {done.identifiant} est supprimé. Le représentant légal doit refaire "
            "l'auto-inscription par SMS (« Je n'ai pas de compte ») ; aucun mot de passe ne lui "
            "est délivré par l'établissement."
        )
        return
    issued = done.credentials
    click.echo(
        f"Nouveaux identifiants provisoires pour {issued.prenom} {issued.nom} "
        f"({issued.identifiant}), valables jusqu'au {issued.valid_until:%d/%m/%Y} ; l'ancien "
        "mot de passe ne fonctionne plus."
    )
    _write_notices(services, (issued,), out)


def _check_out_dir(out: Path) -> None:
    """Before any credentials are issued: a password without its notice would be lost."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        click.echo(f"Le dossier {out} ne peut pas être créé ({error.strerror}).", err=True)
        raise click.exceptions.Exit(REFUSED) from None
    if not os.access(out, os.W_OK | os.X_OK):
        click.echo(f"Le dossier {out} n'est pas accessible en écriture.", err=True)
        raise click.exceptions.Exit(REFUSED)


def _write_notices(services: Services, issued: Sequence[IssuedCredentials], out: Path) -> None:
    try:
        files = write_notices(
            issued, out, password_min_length=services.settings.password_min_length
        )
    except OSError as error:
        click.echo(
            f"Les avis n'ont pas pu être écrits dans {out} ({error.strerror}). Les mots de passe "
            "provisoires émis sont perdus : émettez-les de nouveau avec --eleve pour "
            + ", ".join(c.pupil_id for c in issued)
            + ".",
            err=True,
        )
        raise click.exceptions.Exit(REFUSED) from None
    click.echo("Avis à imprimer :")
    for path in files:
        click.echo(f"  {path}")


def _when(moment: datetime | None) -> str:
    return f"{moment.astimezone():%d/%m/%Y %H:%M}" if moment else "—"


def _rate(rate: Rate) -> str:
    return f"{rate.activated}/{rate.total} ({rate.percent} %)"


def _echo_table(rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
