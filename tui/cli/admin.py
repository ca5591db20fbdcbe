"""``educonnect admin``: the school's administration of accounts (``services/admin/``), for
scripts and for staff at a terminal; without a subcommand, the administration app."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from services.admin import STATE_LABELS, AccountState, DisputedLink, GuardianResetDone
from services.formatting import day, rate, second, when
from services.i18n import N_, _
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
    SCHOOL_KEY,
    Folder,
    Group,
    IntegerAtLeast,
    db_option,
    group_school,
    help_option,
    open_services,
    school_option,
)

if TYPE_CHECKING:
    from services.school import SchoolDetails

__all__ = ["admin_group"]

_STATE_CHOICES = [state.value for state in AccountState]
# Msgids: translated where they are shown.
_KIND_LABELS = {AccountKind.PUPIL: N_("élève"), AccountKind.GUARDIAN: N_("responsable")}


@click.group(
    "admin",
    cls=Group,
    invoke_without_command=True,
    subcommand_metavar=_("[COMMANDE] [ARGUMENTS]..."),
    short_help=_("Administration des comptes par l'établissement."),
    help=_(
        "Comptes des élèves et des représentants légaux : liste, identifiants provisoires des "
        "élèves, suivi des activations, déverrouillage et réinitialisation. Chaque action est "
        "journalisée avec le nom de l'utilisateur qui la lance. Sans commande : lance "
        "l'application d'administration (jamais servie par SSH ni sur le web)."
    ),
)
@db_option
@school_option
@help_option
@click.pass_context
def admin_group(ctx: click.Context, db: str | None, school: SchoolDetails | None) -> None:
    # `educonnect admin --db X` as well as `educonnect --db X admin`; the subcommands see it.
    ctx.obj = db or ctx.obj
    ctx.meta[SCHOOL_KEY] = school
    if ctx.invoked_subcommand is None:
        from tui.admin import make_admin_app

        make_admin_app(open_services(ctx.obj), school=school).run()


# A msgid shared by the four --uai options, translated where each is defined.
_ONLY_THIS_SCHOOL = N_("Seulement cet établissement.")


@admin_group.command(
    "accounts",
    short_help=_("Lister les comptes d'un établissement."),
    help=_(
        "Les élèves et leurs représentants légaux, avec l'état de leur compte et la date de la "
        "dernière activation ou connexion."
    ),
)
@click.option("--uai", metavar="UAI", default=None, help=_(_ONLY_THIS_SCHOOL))
@click.option("--classe", metavar=_("CLASSE"), default=None, help=_("Seulement cette classe."))
@click.option(
    "--etat",
    type=click.Choice(_STATE_CHOICES),
    default=None,
    help=_("Seulement les comptes dans cet état."),
)
@db_option
@help_option
@click.pass_obj
def admin_accounts_command(
    group_db: str | None, uai: str | None, classe: str | None, etat: str | None, db: str | None
) -> None:
    services = open_services(db or group_db)
    rows = services.admin.accounts(
        uai=uai, classe=classe, state=AccountState(etat) if etat else None
    )
    if not rows:
        click.echo(_("Aucun compte ne correspond."))
        return
    table = [
        (
            "UAI",
            _("PROFIL"),
            _("CLASSE"),
            _("NOM"),
            _("PRÉNOM"),
            _("IDENTIFIANT"),
            _("ÉTAT"),
            _("ACTIVITÉ"),
        )
    ]
    for row in rows:
        state = _(STATE_LABELS[row.state])
        if row.provisional_until is not None:
            state = _("%(state)s (jusqu'au %(day)s)") % {
                "state": state,
                "day": day(row.provisional_until),
            }
        table.append(
            (
                row.uai,
                _(_KIND_LABELS[row.kind]),
                ",".join(row.classes) or "—",
                row.nom,
                row.prenom,
                row.identifiant or "—",
                state,
                when(row.last_activity_at),
            )
        )
    _echo_table(table)


@admin_group.command(
    "issue",
    short_help=_("Émettre les identifiants provisoires des élèves."),
    help=_(
        "Émet un identifiant et un mot de passe provisoire (valable 3 mois) pour un élève, une "
        "classe ou tous les élèves sans compte, et écrit les avis à imprimer, deux par "
        "page A4. Un nouvel avis annule le mot de passe provisoire précédent de l'élève."
    ),
)
@click.option("--eleve", metavar="ID", default=None, help=_("Un élève (son identifiant national)."))
@click.option(
    "--classe", metavar=_("CLASSE"), default=None, help=_("Les élèves sans compte d'une classe.")
)
@click.option("--tous", is_flag=True, help=_("Tous les élèves sans compte."))
@click.option("--uai", metavar="UAI", default=None, help=_(_ONLY_THIS_SCHOOL))
@click.option(
    "--out",
    "out",
    metavar=_("DOSSIER"),
    type=Folder(),
    default=Path("."),
    show_default=True,
    help=_("Dossier où écrire les avis (PDF et texte, un fichier par classe)."),
)
@school_option
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
    school: SchoolDetails | None,
    db: str | None,
) -> None:
    if [eleve is not None, classe is not None, tous].count(True) != 1:
        raise click.UsageError(
            _("Indiquez exactement une option parmi --eleve, --classe et --tous.")
        )
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
            settings=services.settings,
            again=_again,
            school=group_school(school),
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
            line = _("%(prenom)s %(nom)s (%(pupil)s) : %(reason)s") % {
                "prenom": skipped.prenom,
                "nom": skipped.nom,
                "pupil": skipped.pupil_id,
                "reason": skipped.reason,
            }
            click.echo(f"  {line}")


@admin_group.command(
    "stats",
    short_help=_("Taux d'activation par établissement et par classe."),
    help=_("Part des élèves et des représentants légaux dont le compte est activé."),
)
@click.option("--uai", metavar="UAI", default=None, help=_(_ONLY_THIS_SCHOOL))
@db_option
@help_option
@click.pass_obj
def admin_stats_command(group_db: str | None, uai: str | None, db: str | None) -> None:
    services = open_services(db or group_db)
    schools = services.admin.stats(uai=uai)
    if not schools:
        click.echo(_("Aucun élève enregistré."))
        return
    for school in schools:
        click.echo(f"{school.nom} ({school.uai})")
        school_rates = _("Élèves : %(pupils)s ; représentants légaux : %(guardians)s") % {
            "pupils": rate(school.pupils),
            "guardians": rate(school.guardians),
        }
        click.echo(f"  {school_rates}")
        for group in school.classes:
            class_rates = _(
                "Classe %(classe)s : élèves %(pupils)s, représentants légaux %(guardians)s"
            ) % {
                "classe": group.classe or _("(sans classe)"),
                "pupils": rate(group.pupils),
                "guardians": rate(group.guardians),
            }
            click.echo(f"  {class_rates}")


@admin_group.command(
    "disputes",
    short_help=_("Liens responsable–élève contestés."),
    help=_(
        "Les liens qu'un représentant légal a contestés à l'étape 6 (« Non »), les plus récents "
        "d'abord : l'établissement doit les vérifier."
    ),
)
@click.option("--uai", metavar="UAI", default=None, help=_(_ONLY_THIS_SCHOOL))
@db_option
@help_option
@click.pass_obj
def admin_disputes_command(group_db: str | None, uai: str | None, db: str | None) -> None:
    services = open_services(db or group_db)
    disputes = services.admin.disputes(uai=uai)
    if not disputes:
        click.echo(_("Aucun lien contesté."))
        return
    for dispute in disputes:
        click.echo(f"{when(dispute.disputed_at)}  {_dispute_sentence(dispute)}")


def _dispute_sentence(dispute: DisputedLink) -> str:
    if dispute.classe:
        sentence = _(
            "%(guardian_prenom)s %(guardian_nom)s (%(guardian)s) conteste le lien avec "
            "%(pupil_prenom)s %(pupil_nom)s (%(pupil)s, %(classe)s, %(school)s)"
        )
    else:
        sentence = _(
            "%(guardian_prenom)s %(guardian_nom)s (%(guardian)s) conteste le lien avec "
            "%(pupil_prenom)s %(pupil_nom)s (%(pupil)s, %(school)s)"
        )
    return sentence % {
        "guardian_prenom": dispute.guardian_prenom,
        "guardian_nom": dispute.guardian_nom,
        "guardian": dispute.guardian_id,
        "pupil_prenom": dispute.pupil_prenom,
        "pupil_nom": dispute.pupil_nom,
        "pupil": dispute.pupil_id,
        "classe": dispute.classe,
        "school": dispute.etablissement,
    }


@admin_group.command(
    "audit",
    short_help=_("Derniers événements du journal."),
    help=_("Les derniers événements de sécurité, du plus récent au plus ancien."),
)
@click.option(
    "--limit",
    type=IntegerAtLeast(1),
    default=20,
    show_default=True,
    help=_("Nombre d'événements à afficher."),
)
@db_option
@help_option
@click.pass_obj
def admin_audit_command(group_db: str | None, limit: int, db: str | None) -> None:
    services = open_services(db or group_db)
    events = services.admin.audit(limit=limit)
    if not events:
        click.echo(_("Le journal est vide."))
        return
    for event in events:
        parts = [second(event.at), event.event]
        if event.identifiant:
            parts.append(event.identifiant)
        if event.guardian_id:
            parts.append(_("responsable %(guardian)s") % {"guardian": event.guardian_id})
        if event.detail:
            parts.append(" ".join(event.detail.split()))
        if event.operator:
            parts.append(_("opérateur %(operator)s") % {"operator": event.operator})
        click.echo("  ".join(parts))


@admin_group.command(
    "unlock",
    short_help=_("Déverrouiller un compte."),
    help=_("Lève le verrouillage du compte et remet à zéro ses compteurs d'échecs."),
)
@click.argument("identifiant", metavar=_("IDENTIFIANT"))
@db_option
@help_option
@click.pass_obj
def admin_unlock_command(group_db: str | None, identifiant: str, db: str | None) -> None:
    services = open_services(db or group_db)
    done = services.admin.unlock(identifiant)
    if done.was_locked:
        click.echo(_("Compte %(identifiant)s déverrouillé.") % {"identifiant": done.identifiant})
    else:
        click.echo(
            _(
                "Le compte %(identifiant)s n'était pas verrouillé ; ses compteurs d'échecs sont "
                "remis à zéro."
            )
            % {"identifiant": done.identifiant}
        )


@admin_group.command(
    "reset",
    short_help=_("Réinitialiser un compte."),
    help=_(
        "Élève : de nouveaux identifiants provisoires (l'ancien mot de passe ne fonctionne "
        "plus), avec leur avis. Représentant légal : le compte est supprimé et il refait "
        "l'auto-inscription par SMS ; l'établissement ne délivre jamais son mot de passe."
    ),
)
@click.argument("identifiant", metavar=_("IDENTIFIANT"))
@click.option(
    "--out",
    "out",
    metavar=_("DOSSIER"),
    type=Folder(),
    default=Path("."),
    show_default=True,
    help=_("Dossier où écrire l'avis d'un élève (PDF et texte)."),
)
@school_option
@db_option
@help_option
@click.pass_obj
def admin_reset_command(
    group_db: str | None,
    identifiant: str,
    out: Path,
    school: SchoolDetails | None,
    db: str | None,
) -> None:
    services = open_services(db or group_db)
    # The folder is checked even for a guardian: the command cannot know the account's
    # kind before the reset.
    try:
        written = issue_with_notices(
            partial(services.admin.reset, identifiant),
            out,
            settings=services.settings,
            again=_again,
            school=group_school(school),
        )
    except NoticesNotWritten as error:
        click.echo(_reset_sentence(error.issued[0]))
        raise
    done = written.done
    if isinstance(done, GuardianResetDone):
        click.echo(
            _(
                "Le compte %(identifiant)s est supprimé. Le représentant légal doit refaire "
                "l'auto-inscription par SMS (« Je n'ai pas de compte ») ; aucun mot de passe ne "
                "lui est délivré par l'établissement."
            )
            % {"identifiant": done.identifiant}
        )
        return
    click.echo(_reset_sentence(done.credentials))
    _echo_files(written.files)


def _reset_sentence(issued: IssuedCredentials) -> str:
    return _(
        "Nouveaux identifiants provisoires pour %(prenom)s %(nom)s (%(identifiant)s), valables "
        "jusqu'au %(day)s ; l'ancien mot de passe ne fonctionne plus."
    ) % {
        "prenom": issued.prenom,
        "nom": issued.nom,
        "identifiant": issued.identifiant,
        "day": day(issued.valid_until),
    }


def _again(issued: Sequence[IssuedCredentials]) -> str:
    """How the lost passwords are issued again from the command line: by pupil id (the end of
    the services' sentence, as ``issue_with_notices`` asks)."""
    return _("avec --eleve pour %(pupils)s") % {"pupils": ", ".join(c.pupil_id for c in issued)}


def _echo_files(files: Sequence[Path]) -> None:
    if files:
        click.echo(_(NOTICES_TO_PRINT))
        for path in files:
            click.echo(f"  {path}")


def _echo_table(rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


# Msgids: translated where they are shown.
_COPIED_LABELS = {
    "establishments": N_("Établissements"),
    "pupils": N_("Élèves"),
    "guardians": N_("Responsables"),
    "links": N_("Liens élève–responsable"),
    "accounts": N_("Comptes"),
    "registrations": N_("Inscriptions en cours"),
    "throttles": N_("Limites d'envoi de codes"),
    "login_throttles": N_("Échecs de connexion d'identifiants inconnus"),
    "start_throttles": N_("Limites de demandes d'activation"),
}


@admin_group.command(
    "copier",
    short_help=_("Copier toutes les données vers un autre stockage."),
    help=_(
        "Copie tout (élèves, responsables, comptes, inscriptions en cours, journal d'audit, "
        "messages, clé secrète) d'un fichier de données vers une base PostgreSQL, ou l'inverse. "
        "Tout ou rien : en cas d'erreur, la destination reste vide."
    ),
)
@click.option(
    "--de", "source", metavar=_("SOURCE"), required=True, help=_("Fichier ou base à lire.")
)
@click.option(
    "--vers",
    "destination",
    metavar=_("DESTINATION"),
    required=True,
    help=_("Fichier qui n'existe pas encore, ou base PostgreSQL vide (postgresql://…)."),
)
@help_option
def admin_copy_command(source: str, destination: str) -> None:
    from store.copying import copy_store, describe_location, open_location

    copied = copy_store(
        open_location(source, must_exist=True),
        open_location(destination, must_exist=False),
        describe_location(destination),
    )
    click.echo(
        _("Copie de %(source)s vers %(destination)s :")
        % {"source": describe_location(source), "destination": describe_location(destination)}
    )
    counts = [(_(_COPIED_LABELS[name]), count) for name, count in copied.records.items()]
    counts.append((_("Événements du journal d'audit"), copied.audit_events))
    counts.append((_("Messages (SMS, courriels)"), copied.messages))
    for label, count in counts:
        click.echo("  " + _("%(label)s : %(count)d") % {"label": label, "count": count})
