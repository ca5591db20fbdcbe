"""The ``educonnect`` command: the app, the school import, the SMS outbox, the demo and the
line mode.

A data file that must be refused, or a CSV that cannot be read, ends the command with its
French message on stderr and exit code 2, never a traceback (``plumbing.MainGroup``).

One module per audience: ``demo`` and ``guide`` for trainers, ``lines`` for whoever needs
plain lines, ``school_import`` and ``admin`` for the school's staff, ``outboxes`` for whoever
reads what the simulated SMS and e-mail gateways sent, ``serve`` for whoever runs the servers;
``plumbing`` is what they share.
"""

from __future__ import annotations

import os

import click

from services.i18n import _
from tui.cli.admin import admin_group
from tui.cli.demo import demo_command
from tui.cli.guide import guide_command
from tui.cli.lines import lines_command
from tui.cli.outboxes import mail_command, sms_command
from tui.cli.plumbing import (
    MainGroup,
    db_option,
    help_option,
    language_option,
    open_services,
    run_app,
)
from tui.cli.school_import import import_command
from tui.cli.serve import serve_group
from tui.glyphs import ASCII_VARIABLE

__all__ = ["main"]


@click.group(
    cls=MainGroup,
    commands=[
        import_command,
        sms_command,
        mail_command,
        demo_command,
        guide_command,
        lines_command,
        serve_group,
        admin_group,
    ],
    invoke_without_command=True,
    subcommand_metavar=_("[COMMANDE] [ARGUMENTS]..."),
    help=_("ÉduConnect dans un terminal. Sans commande : lance l'application."),
)
@db_option
@click.option(
    "--ascii",
    "ascii_only",
    is_flag=True,
    help=_(
        "Dessiner cadres, flèches, coches et choix en ASCII (c'est déjà le cas quand la locale "
        "n'est pas en UTF-8 et avec TERM=linux, vt100 ou dumb) ; servi, pour chaque session."
    ),
)
@language_option
@help_option
@click.pass_context
def main(ctx: click.Context, db: str | None, ascii_only: bool, language: str | None) -> None:
    ctx.obj = db
    if ascii_only:
        # Read by the app (tui.glyphs), and by every session a server started here runs.
        os.environ[ASCII_VARIABLE] = "1"
    if ctx.invoked_subcommand is None:
        # Neutral answers never wait for a message to be sent (services.delivery).
        run_app(open_services(db, deliver_in_background=True), language)
