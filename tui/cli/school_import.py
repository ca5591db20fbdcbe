"""``educonnect import``: the school's CSV export into the data file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from services.clock import SystemClock
from services.i18n import _, ngettext
from services.importer import (
    ImportCounts,
    ImportIssue,
    ImportResult,
    SchoolImporter,
    parse_export,
    read_export,
)
from tui.cli.plumbing import Command, db_option, help_option, open_services

__all__ = ["import_command"]

IMPORT_FAILED = 1


@click.command(
    "import",
    cls=Command,
    short_help=_("Importer l'export CSV de l'établissement."),
    help=_(
        "Importe l'export CSV de l'établissement (élèves, responsables et leurs liens).\n\n"
        "Tout ou rien : à la moindre erreur, rien n'est enregistré et chaque erreur est listée "
        "avec son numéro de ligne."
    ),
)
@click.argument("fichier", metavar=_("FICHIER_CSV"), type=click.Path(path_type=Path))
@db_option
@help_option
@click.pass_obj
def import_command(group_db: str | None, fichier: Path, db: str | None) -> None:
    # Read and check first: a refused file must not create a data file (nor its key, lock
    # and journals) where there was none.
    parsed = parse_export(read_export(fichier), SystemClock())
    if parsed.errors:
        _report_errors(fichier, parsed.errors)
        raise click.exceptions.Exit(IMPORT_FAILED)
    services = open_services(db or group_db)
    result = SchoolImporter(services.store, services.clock).import_parsed(parsed)
    _report_import(fichier, services.settings.data_location, result)


def _counts_line(label: str, counts: ImportCounts) -> str:
    # Three counts in one line: each takes its own plural, then the line puts them together.
    added = ngettext("%(count)d ajouté", "%(count)d ajoutés", counts.added)
    updated = ngettext("%(count)d modifié", "%(count)d modifiés", counts.updated)
    unchanged = ngettext("%(count)d inchangé", "%(count)d inchangés", counts.unchanged)
    line = _("%(label)s : %(added)s, %(updated)s, %(unchanged)s") % {
        "label": label,
        "added": added % {"count": counts.added},
        "updated": updated % {"count": counts.updated},
        "unchanged": unchanged % {"count": counts.unchanged},
    }
    return f"  {line}"


def _report_import(fichier: Path, destination: str, result: ImportResult) -> None:
    click.echo(
        _("Import de %(file)s dans %(destination)s :")
        % {"file": fichier, "destination": destination}
    )
    click.echo(_counts_line(_("Établissements"), result.establishments))
    click.echo(_counts_line(_("Élèves"), result.pupils))
    click.echo(_counts_line(_("Responsables"), result.guardians))
    click.echo(_counts_line(_("Liens élève–responsable"), result.links))
    if result.warnings:
        count = len(result.warnings)
        click.echo(
            ngettext("%(count)d avertissement :", "%(count)d avertissements :", count)
            % {"count": count}
        )
        for warning in result.warnings:
            click.echo(f"  {warning}")


def _report_errors(fichier: Path, errors: Sequence[ImportIssue]) -> None:
    refused = ngettext(
        "Import refusé : %(count)d erreur dans %(file)s. Rien n'a été enregistré ; corrigez le "
        "fichier puis relancez l'import.",
        "Import refusé : %(count)d erreurs dans %(file)s. Rien n'a été enregistré ; corrigez le "
        "fichier puis relancez l'import.",
        len(errors),
    )
    click.echo(refused % {"count": len(errors), "file": fichier}, err=True)
    for error in errors:
        click.echo(f"  {error}", err=True)
