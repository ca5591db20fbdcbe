"""``educonnect sms`` and ``educonnect mail``: what the simulated gateways sent, for trainers
and testers (the SMS a parent would have received on their phone)."""

from __future__ import annotations

import click

from services.formatting import when
from services.i18n import _
from services.phones import parse_mobile
from tui.cli.plumbing import Command, db_option, help_option, open_services

__all__ = ["mail_command", "sms_command"]


@click.command(
    "sms",
    cls=Command,
    short_help=_("Afficher les SMS envoyés."),
    help=_("Les SMS envoyés (boîte d'envoi simulée), du plus ancien au plus récent."),
)
@click.option(
    "--to",
    "to",
    metavar=_("NUMÉRO"),
    default=None,
    help=_("Seulement les SMS envoyés à ce numéro, écrit comme on le tape (06 12 34 56 78)."),
)
@db_option
@help_option
@click.pass_obj
def sms_command(group_db: str | None, to: str | None, db: str | None) -> None:
    phone = parse_mobile(to) if to is not None else None
    services = open_services(db or group_db)
    messages = services.outbox.messages(channel="sms", to=phone)
    if not messages:
        click.echo(
            _("Aucun SMS envoyé au %(phone)s.") % {"phone": phone}
            if phone
            else _("Aucun SMS envoyé.")
        )
        return
    for message in messages:
        # One message a line, whatever the text holds.
        text = " ".join(message.text.split())
        click.echo(f"{when(message.at)}  {message.to}  {text}")


@click.command(
    "mail",
    cls=Command,
    short_help=_("Afficher les courriels envoyés."),
    help=_(
        "Les courriels envoyés (boîte d'envoi simulée), du plus ancien au plus récent : date, "
        "adresse, objet, puis le texte en retrait."
    ),
)
@click.option(
    "--to",
    "to",
    metavar=_("ADRESSE"),
    default=None,
    help=_("Seulement les courriels envoyés à cette adresse."),
)
@db_option
@help_option
@click.pass_obj
def mail_command(group_db: str | None, to: str | None, db: str | None) -> None:
    address = to.strip().lower() if to is not None else None
    services = open_services(db or group_db)
    messages = [
        message
        for message in services.outbox.messages(channel="email")
        if address is None or message.to.lower() == address
    ]
    if not messages:
        click.echo(
            _("Aucun courriel envoyé à %(address)s.") % {"address": address}
            if address
            else _("Aucun courriel envoyé.")
        )
        return
    for message in messages:
        click.echo(f"{when(message.at)}  {message.to}  {message.subject}")
        for line in message.text.splitlines():
            click.echo(f"    {line}")
