"""« Identifiant oublié ? » (guardians): the identifiant by SMS or by e-mail, with one answer
whatever matched.

The person types nom, prénom and mobile as the school knows them, and chooses a channel:

- SMS: to that mobile;
- e-mail: to the account's confirmed address, or else to the address the school's export
  gave; with neither, by SMS to that mobile.

The answer names that rule for the channel chosen, never which part of it applied.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from services.audit import record_event
from services.clock import Clock
from services.contacts import Delivery, ResetChannel, deliver
from services.email import EmailGateway
from services.errors import DeliveryFailed, RequestLimited
from services.floor import Sleeper, padded
from services.forms import validate_form
from services.i18n import N_, _
from services.messaging import SmsGateway
from services.names import match_guardian
from services.phones import format_for_display, parse_mobile
from services.settings import Settings
from services.throttle import PurgeSchedule, count_request, purge_expired, request_key
from store import Records, StoreBackend
from store.records import AccountKind, AccountStatus, AuditEvent, PersonName

__all__ = [
    "IDENTIFIANT_REMINDER_BY_EMAIL_MESSAGE",
    "IDENTIFIANT_REMINDER_MESSAGE",
    "REMINDER_CHANNEL_HINTS",
    "IdentifiantReminder",
    "IdentifiantReminderRequested",
]

# Msgids: the results below carry them translated.
IDENTIFIANT_REMINDER_MESSAGE = N_(
    "Si vos informations correspondent à un compte activé, votre identifiant vous a été "
    "envoyé par SMS. Sans message d'ici quelques minutes, vérifiez le nom, le prénom et le "
    "numéro, ou contactez l'établissement."
)
IDENTIFIANT_REMINDER_BY_EMAIL_MESSAGE = N_(
    "Si vos informations correspondent à un compte activé, votre identifiant vous a été "
    "envoyé par e-mail (à l'adresse confirmée du compte, sinon à celle que l'établissement "
    "connaît ; sans adresse, par SMS). Sans message d'ici quelques minutes, vérifiez le nom, "
    "le prénom et le numéro, ou contactez l'établissement."
)
# What each choice does, for the screen to say before sending.
REMINDER_CHANNEL_HINTS = {
    ResetChannel.SMS: N_("Par SMS, au numéro de portable saisi"),
    ResetChannel.EMAIL: N_(
        "Par e-mail, à l'adresse confirmée ou à celle connue de l'établissement ; sinon par SMS"
    ),
}
_ANSWERS = {
    ResetChannel.SMS: IDENTIFIANT_REMINDER_MESSAGE,
    ResetChannel.EMAIL: IDENTIFIANT_REMINDER_BY_EMAIL_MESSAGE,
}


@dataclass(frozen=True)
class IdentifiantReminderRequested:
    """Always the same for a channel, whatever matched: ``message`` is the neutral screen's
    text, which names the channel chosen."""

    phone_display: str
    channel: ResetChannel = ResetChannel.SMS

    @property
    def message(self) -> str:
        return _(_ANSWERS[self.channel])


class _IdentityForm(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    nom: PersonName
    prenom: PersonName
    portable: str


class IdentifiantReminder:
    """The « Identifiant oublié ? » part of ``RecoveryService``."""

    _store: StoreBackend
    _settings: Settings
    _purges: PurgeSchedule
    _clock: Clock
    _rng: random.Random
    _sms: SmsGateway
    _email: EmailGateway
    _sleep: Sleeper

    @padded
    def remind_identifiant(
        self, nom: str, prenom: str, portable: str, *, channel: ResetChannel = ResetChannel.SMS
    ) -> IdentifiantReminderRequested:
        """Send the identifiant if nom, prénom and mobile match exactly one guardian with an
        active account, by the rule of ``channel`` (module docstring). Same answer otherwise
        (the audit log says why); only a field that cannot be understood (``InvalidInput``) is
        refused. Reminders share the code sending limits; over them, nothing is sent and the
        answer is still the same. Real or not, the same records are read and written, and the
        call lasts at least ``neutral_answer_floor``."""
        form = validate_form(_IdentityForm, nom=nom, prenom=prenom, portable=portable)
        phone = parse_mobile(form.portable)
        key = request_key(self._store.secret_key(), "reminder", phone)
        delivery: Delivery | None = None
        delivery_for: str | None = None
        with self._store.transaction() as tx:
            records = Records(tx)
            now = self._clock.now()
            if self._purges.due(now):
                purge_expired(records, now, self._settings)
            guardian, reason = match_guardian(records, form.nom, form.prenom, phone)
            # Looked up for nobody's id too: a real answer must not read once more.
            account = records.accounts.get(
                kind=AccountKind.GUARDIAN.value, owner_id=guardian.id if guardian else ""
            )
            if guardian is not None and (
                account is None or account.status is not AccountStatus.ACTIVE
            ):
                reason = _("pas de compte activé")
            # Counted per mobile typed, matched or not: the same record for everyone.
            next_at = count_request(records, key, now, self._settings)
            if next_at is not None and not reason:
                reason = _("limite d'envoi : nouvelle demande possible à %(time)s") % {
                    "time": RequestLimited(next_at, now).params["time"]
                }
            if account is not None and not reason:
                text = _(
                    "ÉduConnect : votre identifiant est %(identifiant)s. En cas "
                    "d'oubli du mot de passe, utilisez « Mot de passe oublié ? »."
                ) % {"identifiant": account.identifiant}
                # The guardian is at hand: one more read would make a real answer slower.
                address = (account.email if account.email_confirmed else None) or (
                    guardian.courriel if guardian else None
                )
                delivery = _reminder_delivery(address, channel, phone, text)
                delivery_for = account.identifiant
            record_event(
                tx,
                self._clock,
                "identifiant_reminder_sent" if delivery else "identifiant_reminder_refused",
                guardian_id=guardian.id if guardian else None,
                identifiant=account.identifiant if delivery and account else None,
                detail=_("envoyé par %(channel)s") % {"channel": delivery.channel.value}
                if delivery
                else reason,
            )
        if delivery is not None:
            try:
                deliver(self._sms, self._email, delivery, _("ÉduConnect : votre identifiant"))
            except DeliveryFailed:
                # Only a real account gets this far: saying so would tell that it exists.
                event = AuditEvent(
                    at=self._clock.now(),
                    event="notice_failed",
                    identifiant=delivery_for,
                    detail=_("rappel d'identifiant non remis par e-mail"),
                )
                self._store.audit_log.append([event.model_dump(mode="json")])
        return IdentifiantReminderRequested(format_for_display(phone), channel)


def _reminder_delivery(
    address: str | None, channel: ResetChannel, phone: str, text: str
) -> Delivery:
    """``address``: the account's confirmed e-mail, else the school's."""
    if channel is ResetChannel.EMAIL and address is not None:
        return Delivery(ResetChannel.EMAIL, address, text)
    return Delivery(ResetChannel.SMS, phone, text)
