"""``educonnect sms`` and ``educonnect mail``: what the simulated gateways sent, for trainers
and testers (the SMS a parent would have received on their phone)."""

from __future__ import annotations

import click

from services.formatting import when
from services.phones import parse_mobile
from tui.cli.plumbing import Command, db_option, help_option, open_services

__all__ = ["mail_command", "sms_command"]


@click.command("sms", cls=Command, short_help="Afficher les SMS envoyés.")
@click.option(
    "--to",
    "to",
    metavar="NUMÉRO",
    default=None,
    help="Seulement les SMS envoyés à ce numéro, écrit comme on le tape (06 12 34 56 78).",
)
@db_option
@help_option
@click.pass_obj
def sms_command(group_db: str | None, to: str | None, db: str | None) -> None:
    """Les SMS envoyés (boîte d'envoi simulée), du plus ancien au plus récent."""
    phone = parse_mobile(to) if to is not None else None
    services = open_services(db or group_db)
    messages = services.outbox.messages(channel="sms", to=phone)
    if not messages:
        click.echo("Aucun SMS envoyé" + (f" au {phone}." if phone else "."))
        return
    for message in messages:
        # One message a line, whatever the text holds.
        text = " ".join(message.text.split())
        click.echo(f"{when(message.at)}  {message.to}  {text}")


@click.command("mail", cls=Command, short_help="Afficher les courriels envoyés.")
@click.option(
    "--to",
    "to",
    metavar="ADRESSE",
    default=None,
    help="Seulement les courriels envoyés à cette adresse.",
)
@db_option
@help_option
@click.pass_obj
def mail_command(group_db: str | None, to: str | None, db: str | None) -> None:
    """Les courriels envoyés (boîte d'envoi simulée), du plus ancien au plus récent : date,
    adresse, objet, puis le texte en retrait."""
    address = to.strip().lower() if to is not None else None
    services = open_services(db or group_db)
    messages = [
        message
        for message in services.outbox.messages(channel="email")
        if address is None or message.to.lower() == address
    ]
    if not messages:
        click.echo("Aucun courriel envoyé" + (f" à {address}." if address else "."))
        return
    for message in messages:
        click.echo(f"{when(message.at)}  {message.to}  {message.subject}")
        for line in message.text.splitlines():
            click.echo(f"    {line}")
