"""``educonnect lignes``: the journeys as plain lines and prompts (``tui.lines``)."""

from __future__ import annotations

import logging
import sys

import click

from services import ServiceError
from services.i18n import N_, _
from store import StoreError
from tui.cli.plumbing import (
    Command,
    db_option,
    help_option,
    language_option,
    log_to_user_file,
    open_services,
    user_log_path,
)

__all__ = ["lines_command"]

log = logging.getLogger(__name__)

STOPPED = N_(
    "Une erreur inattendue a arrêté le mode lignes. Le détail est dans %(log)s ; si elle "
    "persiste, contactez l'établissement."
)


@click.command(
    "lignes",
    cls=Command,
    short_help=_("Les parcours en lignes simples (lecteur d'écran, liaison lente)."),
    help=_(
        "Les mêmes parcours que l'application, en lignes simples et une question à la fois : "
        "pour un lecteur d'écran, une plage braille, TERM=dumb, une liaison très lente ou un "
        "script (les réponses peuvent venir de l'entrée standard, une par ligne)."
    ),
)
@db_option
@language_option
@help_option
@click.pass_obj
def lines_command(group_db: str | None, db: str | None, language: str | None) -> None:
    # Imported here: the other commands need none of it.
    from tui.language import use_language
    from tui.lines import Console, output_wants_ascii, run_lines

    use_language(None if language in (None, "fr") else language)
    log_to_user_file()
    # Neutral answers never wait for a message to be sent (services.delivery), as in the app.
    services = open_services(db or group_db, deliver_in_background=True)
    console = Console(sys.stdin, sys.stdout, ascii_only=output_wants_ascii(sys.stdout))
    try:
        run_lines(services, console)
    except (BrokenPipeError, StoreError, ServiceError, OSError):
        # The group says these in French (``plumbing.MainGroup``).
        raise
    except Exception:
        log.exception("the line mode stopped")
        click.echo(_(STOPPED) % {"log": user_log_path()}, err=True)
        raise click.exceptions.Exit(1) from None
