"""``educonnect demo``: the demonstration families, for trainers who show the flow to parents
and staff."""

from __future__ import annotations

import click

from services import Services
from services.demo import DEMO_ESTABLISHMENTS, DEMO_GUARDIANS, DEMO_PUPILS, load_demo
from services.i18n import _
from services.importer import school_record_ids
from services.passwords import PasswordHasher
from store.paths import describe_database
from tui.autoplay import run_autoplay
from tui.autoplay.script import DEFAULT_PARCOURS, PARCOURS
from tui.cli.plumbing import (
    REFUSED,
    Command,
    db_option,
    help_option,
    language_option,
    open_services,
    run_app,
)
from tui.cli.trainer_card import trainer_card

__all__ = ["demo_command"]


@click.command(
    "demo",
    cls=Command,
    short_help=_("Préparer les familles de démonstration."),
    help=_("Crée (ou remet à zéro) les familles de démonstration, puis lance l'application."),
)
@click.option("--no-app", is_flag=True, help=_("Préparer la démo sans lancer l'application."))
@click.option(
    "--force",
    is_flag=True,
    help=_("Remplacer le fichier même s'il contient d'autres données que celles de la démo."),
)
@click.option(
    "--autoplay",
    is_flag=True,
    help=_(
        "L'application joue seule un parcours, avec une ligne qui dit ce que fait la personne "
        "(espace : pause, → : étape suivante, ← : rejouer l'étape, Échap : reprendre la main)."
    ),
)
@click.option(
    "--parcours",
    type=click.Choice(sorted(PARCOURS)),
    default=DEFAULT_PARCOURS,
    show_default=True,
    help=_("Le parcours que joue --autoplay."),
)
@click.option(
    "--vitesse",
    type=click.FloatRange(0.5, 4.0),
    default=1.0,
    show_default=True,
    help=_("Vitesse de --autoplay : 1 pour lire à son aise, 2 deux fois plus vite, 0.5 moitié."),
)
@db_option
@language_option
@help_option
@click.pass_obj
def demo_command(
    group_db: str | None,
    no_app: bool,
    force: bool,
    autoplay: bool,
    parcours: str,
    vitesse: float,
    db: str | None,
    language: str | None,
) -> None:
    services = open_services(db or group_db)
    if not force:
        _refuse_foreign_data(services)
    load_demo(services.store, PasswordHasher(services.settings.hashing), services.clock)
    click.echo(
        _("Données de démonstration prêtes dans %(location)s")
        % {"location": services.settings.data_location}
    )
    click.echo(trainer_card(), nl=False)
    if no_app:
        return
    if autoplay:
        run_autoplay(services, parcours, vitesse, language)
    else:
        run_app(services, language)


def _refuse_foreign_data(services: Services) -> None:
    """Resetting a school's real data with the demo must not happen by a slip of ``--db``."""
    ids = school_record_ids(services.store)
    foreign = (
        ids.establishments - {e.uai for e in DEMO_ESTABLISHMENTS}
        or ids.pupils - {p.id for p in DEMO_PUPILS}
        or ids.guardians - {g.id for g in DEMO_GUARDIANS}
    )
    if foreign:
        click.echo(_foreign_data_sentence(services), err=True)
        raise click.exceptions.Exit(REFUSED)


def _foreign_data_sentence(services: Services) -> str:
    settings = services.settings
    if settings.db_url is None:
        return _(
            "Le fichier %(path)s contient d'autres données que la démo ; elles seraient "
            "effacées. Indiquez un autre fichier avec --db, ou ajoutez --force pour le remplacer."
        ) % {"path": settings.db_path}
    return _(
        "La base de données %(database)s contient d'autres données que la démo ; elles "
        "seraient effacées. Indiquez un autre fichier avec --db, ou ajoutez --force pour le "
        "remplacer."
    ) % {"database": describe_database(settings.db_url)}
