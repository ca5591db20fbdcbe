"""``educonnect admin``: the school's administration of accounts (``services/admin/``), for
scripts and for staff at a terminal; without a subcommand, the administration app."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

import click

from services.admin import STATE_LABELS, AccountState, GuardianResetDone
from services.formatting import day, rate, when
from services.issuing import (
    NOTICES_TO_PRINT,
    NoticesNotWritten,
    issue_with_notices,
    issued_sentence,
    skipped_sentence,
)
from services.pupils import IssuedCredentials
from store.records import AccountKind
from tui.cli.plumbing import (
    Folder,
    Group,
    IntegerAtLeast,
    db_option,
    help_option,
    open_services,
)

__all__ = ["admin_group"]

_STATE_CHOICES = [state.value for state in AccountState]
_KIND_LABELS = {AccountKind.PUPIL: "élève", AccountKind.GUARDIAN: "responsable"}


@click.group(
    "admin",
    cls=Group,
    invoke_without_command=True,
    subcommand_metavar="[COMMANDE] [ARGUMENTS]...",
    short_help="Administration des comptes par l'établissement.",
)
@db_option
@help_option
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

        make_admin_app(open_services(ctx.obj)).run()


@admin_group.command("accounts", short_help="Lister les comptes d'un établissement.")
@click.option("--uai", metavar="UAI", default=None, help="Seulement cet établissement.")
@click.option("--classe", metavar="CLASSE", default=None, help="Seulement cette classe.")
@click.option(
    "--etat",
    type=click.Choice(_STATE_CHOICES),
    default=None,
    help="Seulement les comptes dans cet état.",
)
@db_option
@help_option
@click.pass_obj
def admin_accounts_command(
    group_db: str | None, uai: str | None, classe: str | None, etat: str | None, db: str | None
) -> None:
    """Les élèves et leurs représentants légaux, avec l'état de leur compte et la date de la
    dernière activation ou connexion."""
    services = open_services(db or group_db)
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
            state += f" (jusqu'au {day(row.provisional_until)})"
        table.append(
            (
                row.uai,
                _KIND_LABELS[row.kind],
                ",".join(row.classes) or "—",
                row.nom,
                row.prenom,
                row.identifiant or "—",
                state,
                when(row.last_activity_at),
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
    type=Folder(),
    default=Path("."),
    show_default=True,
    help="Dossier où écrire les avis (PDF et texte, un fichier par classe).",
)
@db_option
@help_option
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
    services = open_services(db or group_db)
    admin = services.admin
    if eleve is not None:
        issue = partial(admin.issue_for_pupil, eleve)
    elif classe is not None:
        issue = partial(admin.issue_for_class, classe, uai=uai)
    else:
        issue = partial(admin.issue_for_all, uai=uai)
    try:
        written = issue_with_notices(
            issue,
            out,
            password_min_length=services.settings.password_min_length,
            again=_again,
        )
    except NoticesNotWritten as error:
        click.echo(issued_sentence(error.issued))
        raise
    result = written.done
    click.echo(issued_sentence(written.issued))
    _echo_files(written.files)
    if result.skipped:
        click.echo(skipped_sentence(result.skipped))
        for skipped in result.skipped:
            click.echo(f"  {skipped.prenom} {skipped.nom} ({skipped.pupil_id}) : {skipped.reason}")


@admin_group.command("stats", short_help="Taux d'activation par établissement et par classe.")
@click.option("--uai", metavar="UAI", default=None, help="Seulement cet établissement.")
@db_option
@help_option
@click.pass_obj
def admin_stats_command(group_db: str | None, uai: str | None, db: str | None) -> None:
    """Part des élèves et des représentants légaux dont le compte est activé."""
    services = open_services(db or group_db)
    schools = services.admin.stats(uai=uai)
    if not schools:
        click.echo("Aucun élève enregistré.")
        return
    for school in schools:
        click.echo(f"{school.nom} ({school.uai})")
        click.echo(
            f"  Élèves : {rate(school.pupils)} ; représentants légaux : {rate(school.guardians)}"
        )
        for group in school.classes:
            click.echo(
                f"  Classe {group.classe or '(sans classe)'} : élèves {rate(group.pupils)}, "
                f"représentants légaux {rate(group.guardians)}"
            )


@admin_group.command("disputes", short_help="Liens responsable–élève contestés.")
@click.option("--uai", metavar="UAI", default=None, help="Seulement cet établissement.")
@db_option
@help_option
@click.pass_obj
def admin_disputes_command(group_db: str | None, uai: str | None, db: str | None) -> None:
    """Les liens qu'un représentant légal a contestés à l'étape 6 (« Non »), les plus récents
    d'abord : l'établissement doit les vérifier."""
    services = open_services(db or group_db)
    disputes = services.admin.disputes(uai=uai)
    if not disputes:
        click.echo("Aucun lien contesté.")
        return
    for dispute in disputes:
        classe = f", {dispute.classe}" if dispute.classe else ""
        click.echo(
            f"{when(dispute.disputed_at)}  {dispute.guardian_prenom} {dispute.guardian_nom} "
            f"({dispute.guardian_id}) conteste le lien avec {dispute.pupil_prenom} "
            f"{dispute.pupil_nom} ({dispute.pupil_id}{classe}, {dispute.etablissement})"
        )


@admin_group.command("audit", short_help="Derniers événements du journal.")
@click.option(
    "--limit",
    type=IntegerAtLeast(1),
    default=20,
    show_default=True,
    help="Nombre d'événements à afficher.",
)
@db_option
@help_option
@click.pass_obj
def admin_audit_command(group_db: str | None, limit: int, db: str | None) -> None:
    """Les derniers événements de sécurité, du plus récent au plus ancien."""
    services = open_services(db or group_db)
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
@db_option
@help_option
@click.pass_obj
def admin_unlock_command(group_db: str | None, identifiant: str, db: str | None) -> None:
    """Lève le verrouillage du compte et remet à zéro ses compteurs d'échecs."""
    services = open_services(db or group_db)
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
    type=Folder(),
    default=Path("."),
    show_default=True,
    help="Dossier où écrire l'avis d'un élève (PDF et texte).",
)
@db_option
@help_option
@click.pass_obj
def admin_reset_command(group_db: str | None, identifiant: str, out: Path, db: str | None) -> None:
    """Élève : de nouveaux identifiants provisoires (l'ancien mot de passe ne fonctionne plus),
    avec leur avis. Représentant légal : le compte est supprimé et il refait l'auto-inscription
    par SMS ; l'établissement ne délivre jamais son mot de passe."""
    services = open_services(db or group_db)
    # The folder is checked even for a guardian: the command cannot know the account's
    # kind before the reset.
    try:
        written = issue_with_notices(
            partial(services.admin.reset, identifiant),
            out,
            password_min_length=services.settings.password_min_length,
            again=_again,
        )
    except NoticesNotWritten as error:
        click.echo(_reset_sentence(error.issued[0]))
        raise
    done = written.done
    if isinstance(done, GuardianResetDone):
        click.echo(
            f"Le compte {done.identifiant} est supprimé. Le représentant légal doit refaire "
            "l'auto-inscription par SMS (« Je n'ai pas de compte ») ; aucun mot de passe ne lui "
            "est délivré par l'établissement."
        )
        return
    click.echo(_reset_sentence(done.credentials))
    _echo_files(written.files)


def _reset_sentence(issued: IssuedCredentials) -> str:
    return (
        f"Nouveaux identifiants provisoires pour {issued.prenom} {issued.nom} "
        f"({issued.identifiant}), valables jusqu'au {day(issued.valid_until)} ; l'ancien "
        "mot de passe ne fonctionne plus."
    )


def _again(issued: Sequence[IssuedCredentials]) -> str:
    """How the lost passwords are issued again from the command line: by pupil id."""
    return "avec --eleve pour " + ", ".join(c.pupil_id for c in issued)


def _echo_files(files: Sequence[Path]) -> None:
    if files:
        click.echo(NOTICES_TO_PRINT)
        for path in files:
            click.echo(f"  {path}")


def _echo_table(rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


_COPIED_LABELS = {
    "establishments": "Établissements",
    "pupils": "Élèves",
    "guardians": "Responsables",
    "links": "Liens élève–responsable",
    "accounts": "Comptes",
    "registrations": "Inscriptions en cours",
    "throttles": "Limites d'envoi de codes",
    "login_throttles": "Échecs de connexion d'identifiants inconnus",
    "start_throttles": "Limites de demandes d'activation",
}


@admin_group.command("copier", short_help="Copier toutes les données vers un autre stockage.")
@click.option("--de", "source", metavar="SOURCE", required=True, help="Fichier ou base à lire.")
@click.option(
    "--vers",
    "destination",
    metavar="DESTINATION",
    required=True,
    help="Fichier qui n'existe pas encore, ou base PostgreSQL vide (postgresql://…).",
)
@help_option
def admin_copy_command(source: str, destination: str) -> None:
    """Copie tout (élèves, responsables, comptes, inscriptions en cours, journal d'audit,
    messages, clé secrète) d'un fichier de données vers une base PostgreSQL, ou l'inverse.
    Tout ou rien : en cas d'erreur, la destination reste vide."""
    from store.copying import copy_store, describe_location, open_location

    copied = copy_store(
        open_location(source, must_exist=True),
        open_location(destination, must_exist=False),
        describe_location(destination),
    )
    click.echo(f"Copie de {describe_location(source)} vers {describe_location(destination)} :")
    for name, count in copied.records.items():
        click.echo(f"  {_COPIED_LABELS[name]} : {count}")
    click.echo(f"  Événements du journal d'audit : {copied.audit_events}")
    click.echo(f"  Messages (SMS, courriels) : {copied.messages}")
