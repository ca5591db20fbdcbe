"""``educonnect import``: the school's CSV export into the data file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from services.clock import SystemClock
from services.formatting import plural
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


@click.command("import", cls=Command, short_help="Importer l'export CSV de l'établissement.")
@click.argument("fichier", metavar="FICHIER_CSV", type=click.Path(path_type=Path))
@db_option
@help_option
@click.pass_obj
def import_command(group_db: str | None, fichier: Path, db: str | None) -> None:
    """Importe l'export CSV de l'établissement (élèves, responsables et leurs liens).

    Tout ou rien : à la moindre erreur, rien n'est enregistré et chaque erreur est listée
    avec son numéro de ligne.
    """
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
    return (
        f"  {label} : {plural(counts.added, 'ajouté', 'ajoutés')}, "
        f"{plural(counts.updated, 'modifié', 'modifiés')}, "
        f"{plural(counts.unchanged, 'inchangé', 'inchangés')}"
    )


def _report_import(fichier: Path, destination: str, result: ImportResult) -> None:
    click.echo(f"Import de {fichier} dans {destination} :")
    click.echo(_counts_line("Établissements", result.establishments))
    click.echo(_counts_line("Élèves", result.pupils))
    click.echo(_counts_line("Responsables", result.guardians))
    click.echo(_counts_line("Liens élève–responsable", result.links))
    if result.warnings:
        click.echo(plural(len(result.warnings), "avertissement", "avertissements") + " :")
        for warning in result.warnings:
            click.echo(f"  {warning}")


def _report_errors(fichier: Path, errors: Sequence[ImportIssue]) -> None:
    click.echo(
        f"Import refusé : {plural(len(errors), 'erreur', 'erreurs')} dans {fichier}. "
        "Rien n'a été enregistré ; corrigez le fichier puis relancez l'import.",
        err=True,
    )
    for error in errors:
        click.echo(f"  {error}", err=True)
