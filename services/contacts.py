"""Where an account's messages go (the school's mobile, a confirmed e-mail, the address the
school's export gave), how a recovery message is handed to its gateway, and the notice that a
password changed."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from services.clock import Clock
from services.email import EmailGateway
from services.errors import DeliveryFailed
from services.i18n import _
from services.messaging import SmsGateway
from store import Records, StoreBackend
from store.records import Account, AccountKind, AuditEvent

__all__ = [
    "Contacts",
    "Delivery",
    "ResetChannel",
    "contacts_of",
    "deliver",
    "send_password_changed_notice",
]


class ResetChannel(StrEnum):
    """The way the person chose to receive a reset code or their identifiant."""

    SMS = "sms"
    EMAIL = "email"


@dataclass(frozen=True)
class Contacts:
    """Where an account's messages can go: the school's mobile (guardians), a confirmed
    e-mail address, and the guardian's address in the school's export (``school_email``)."""

    mobile: str | None
    email: str | None
    school_email: str | None = None


def contacts_of(records: Records, account: Account | None) -> Contacts:
    """``None`` (an unknown identifiant): no contacts, after the read a guardian's account
    makes, so that a neutral answer reads as much for nobody as for a guardian."""
    mobile = school_email = None
    if account is None or account.kind is AccountKind.GUARDIAN:
        guardian = records.guardians.get(id=account.owner_id if account else "")
        if guardian is not None:
            mobile, school_email = guardian.portable, guardian.courriel
    if account is None:
        return Contacts(None, None)
    return Contacts(mobile, account.email if account.email_confirmed else None, school_email)


@dataclass(frozen=True)
class Delivery:
    channel: ResetChannel
    to: str
    text: str


def deliver(sms: SmsGateway, email: EmailGateway, delivery: Delivery, subject: str) -> None:
    if delivery.channel is ResetChannel.EMAIL:
        email.send(delivery.to, subject, delivery.text)
    else:
        sms.send(delivery.to, delivery.text)


def send_password_changed_notice(
    store: StoreBackend,
    clock: Clock,
    sms: SmsGateway,
    email: EmailGateway,
    identifiant: str,
    contacts: Contacts,
) -> None:
    """Tell the owner, on every channel they have, that the password changed. Best effort: the
    change is already committed, so a delivery failure is only written to the audit log."""
    text = _(
        "ÉduConnect : le mot de passe du compte %(identifiant)s vient d'être modifié. Si vous "
        "n'êtes pas à l'origine de ce changement, utilisez « Mot de passe oublié ? » et "
        "contactez l'établissement."
    ) % {"identifiant": identifiant}
    if contacts.mobile:
        sms.send(contacts.mobile, text)
    if contacts.email:
        try:
            email.send(contacts.email, _("ÉduConnect : mot de passe modifié"), text)
        except DeliveryFailed:
            event = AuditEvent(
                at=clock.now(),
                event="notice_failed",
                identifiant=identifiant,
                detail=_("avis de changement de mot de passe non remis par e-mail"),
            )
            store.audit_log.append([event.model_dump(mode="json")])
