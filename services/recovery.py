"""« Identifiant oublié ? » and « Mot de passe oublié ? », from the login screen.

Neither tells whether an account exists: the identifiant reminder and the reset request answer
the same whatever matched, and the reset code step has one refusal for a wrong, expired or
voided code and for an unknown identifiant. The only exception is the one the school's rules
make: a pupil's account with no confirmed e-mail is told to ask the school.

Password reset: ``request_password_reset`` → ``verify_reset_code`` (gives a token) →
``password_context`` / ``set_new_password``. It works while the account is locked, clears the
lock and the failure count, ends every open session, sends a notice, and does not log in.
"""

from __future__ import annotations

import hmac
import random
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial

from pydantic import BaseModel, ConfigDict

from services.audit import record_event
from services.clock import Clock
from services.codes import code_digest, new_code, normalize_code, token_digest
from services.email import EmailGateway
from services.errors import (
    AskTheSchool,
    DeliveryFailed,
    ErrorCode,
    InvalidInput,
    ResetCodeRejected,
    ResetEnded,
    ServiceError,
)
from services.forms import typed_identifiant, validate_form
from services.i18n import N_, _
from services.login import guardian_id_of, person_of
from services.messaging import SmsGateway
from services.names import normalize_name
from services.passwords import PasswordContext, PasswordHasher, require_acceptable_password
from services.phones import format_for_display, parse_mobile
from services.settings import Settings
from services.throttle import (
    PurgeSchedule,
    count_unmatched_request,
    purge_expired,
    recent_sends,
    send_refusal,
)
from store import Records, StoreBackend
from store.records import (
    Account,
    AccountKind,
    AccountStatus,
    AuditEvent,
    Guardian,
    PersonName,
)

__all__ = [
    "IDENTIFIANT_REMINDER_MESSAGE",
    "RESET_REQUESTED_MESSAGE",
    "Contacts",
    "IdentifiantReminderRequested",
    "PasswordResetDone",
    "RecoveryService",
    "ResetChannel",
    "ResetCodeAccepted",
    "ResetRequested",
    "contacts_of",
    "send_password_changed_notice",
]

# Msgids: the results below carry them translated.
IDENTIFIANT_REMINDER_MESSAGE = N_(
    "Si ces informations correspondent à un compte activé, votre identifiant vient de vous être "
    "envoyé par SMS. Sans message d'ici quelques minutes, vérifiez le nom, le prénom et le "
    "numéro, ou contactez l'établissement."
)
RESET_REQUESTED_MESSAGE = N_(
    "Si cet identifiant correspond à un compte, un code vient d'être envoyé au numéro de "
    "portable ou à l'adresse e-mail enregistrés. Il est valable 30 minutes. Sans message d'ici "
    "quelques minutes, vous pourrez demander un nouveau code."
)
RESET_CODE_PURPOSE = "password-reset"
TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
TOKEN_LENGTH = 32
MAX_TYPED_CODE = 32


class ResetChannel(StrEnum):
    """How the person would like to receive the reset code. E-mail is used only when the
    account has a confirmed address; otherwise a guardian gets it by SMS."""

    SMS = "sms"
    EMAIL = "email"


@dataclass(frozen=True)
class IdentifiantReminderRequested:
    """Always the same, whatever matched: ``message`` is the neutral screen's text."""

    phone_display: str
    message: str = field(default_factory=partial(_, IDENTIFIANT_REMINDER_MESSAGE))


@dataclass(frozen=True)
class ResetRequested:
    """Always the same, whatever matched (except ``AskTheSchool``, raised instead)."""

    identifiant: str
    message: str = field(default_factory=partial(_, RESET_REQUESTED_MESSAGE))


@dataclass(frozen=True)
class ResetCodeAccepted:
    """The code was right: ``token`` lets the screen set the new password, once, within
    ``reset_token_ttl``."""

    token: str
    identifiant: str


@dataclass(frozen=True)
class PasswordResetDone:
    """The password is changed; the person now logs in with it (no automatic login)."""

    identifiant: str


@dataclass(frozen=True)
class Contacts:
    """Where an account's messages can go: the school's mobile (guardians) and a confirmed
    e-mail address."""

    mobile: str | None
    email: str | None


def contacts_of(records: Records, account: Account) -> Contacts:
    mobile = None
    if account.kind is AccountKind.GUARDIAN:
        guardian = records.guardians.get(id=account.owner_id)
        mobile = guardian.portable if guardian else None
    return Contacts(mobile, account.email if account.email_confirmed else None)


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


class _IdentityForm(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    nom: PersonName
    prenom: PersonName
    portable: str


@dataclass(frozen=True)
class _Delivery:
    channel: ResetChannel
    to: str
    text: str


class RecoveryService:
    def __init__(
        self,
        store: StoreBackend,
        settings: Settings,
        clock: Clock,
        rng: random.Random,
        sms: SmsGateway,
        email: EmailGateway,
        hasher: PasswordHasher,
    ) -> None:
        self._store = store
        self._settings = settings
        self._purges = PurgeSchedule(settings.purge_every)
        self._clock = clock
        self._rng = rng
        self._sms = sms
        self._email = email
        self._hasher = hasher

    # -- « Identifiant oublié ? » (guardians) --------------------------------------------

    def remind_identifiant(
        self, nom: str, prenom: str, portable: str
    ) -> IdentifiantReminderRequested:
        """SMS the identifiant to the mobile if nom, prénom and mobile match exactly one guardian
        with an active account. Same answer otherwise (the audit log says why); only a field
        that cannot be understood (``InvalidInput``) is refused. Reminders share the code
        sending limits; over them, nothing is sent and the answer is still the same."""
        form = validate_form(_IdentityForm, nom=nom, prenom=prenom, portable=portable)
        phone = parse_mobile(form.portable)
        secret = self._store.secret_key()
        delivery: _Delivery | None = None
        with self._store.transaction() as tx:
            records = Records(tx)
            now = self._clock.now()
            if self._purges.due(now):
                purge_expired(records, now, self._settings)
            guardian, reason = _guardian_for(records, form.nom, form.prenom, phone)
            if guardian is None:
                count_unmatched_request(records, secret, "reminder", phone, now, self._settings)
            account = (
                None
                if guardian is None
                else records.accounts.get(kind=AccountKind.GUARDIAN.value, owner_id=guardian.id)
            )
            if guardian is not None and (
                account is None or account.status is not AccountStatus.ACTIVE
            ):
                reason = _("pas de compte activé")
            if account is not None and not reason:
                recent = recent_sends(account.reminder_sent_at, now, self._settings)
                limit = send_refusal(recent, now, self._settings)
                if limit is not None:
                    reason = _("limite d'envoi : %(refusal)s") % {"refusal": limit.message}
                else:
                    records.accounts.put(
                        account.model_copy(update={"reminder_sent_at": (*recent, now)})
                    )
                    delivery = _Delivery(
                        ResetChannel.SMS,
                        phone,
                        _(
                            "ÉduConnect : votre identifiant est %(identifiant)s. En cas "
                            "d'oubli du mot de passe, utilisez « Mot de passe oublié ? »."
                        )
                        % {"identifiant": account.identifiant},
                    )
            record_event(
                tx,
                self._clock,
                "identifiant_reminder_sent" if delivery else "identifiant_reminder_refused",
                guardian_id=guardian.id if guardian else None,
                identifiant=account.identifiant if delivery and account else None,
                detail=reason,
            )
        if delivery is not None:
            self._sms.send(delivery.to, delivery.text)
        return IdentifiantReminderRequested(format_for_display(phone))

    # -- « Mot de passe oublié ? » ------------------------------------------------------

    def request_password_reset(
        self, identifiant: str, *, channel: ResetChannel = ResetChannel.SMS
    ) -> ResetRequested:
        """Send a reset code (voiding any earlier one) by SMS to the guardian's recorded mobile,
        or by e-mail when ``channel`` is EMAIL and the account has a confirmed address (a pupil:
        always by e-mail). Works while the account is locked.

        The answer is the same for an unknown identifiant, an account not yet activated, or a
        request over the sending limits (nothing is sent then; the audit log says why).
        Raises ``InvalidInput`` (empty identifiant), ``AskTheSchool`` (a pupil's account
        without a confirmed e-mail) or ``DeliveryFailed`` (the e-mail server refused; only
        with gateways that send at once: the delivery thread audits it instead).
        """
        wanted = typed_identifiant(identifiant)
        # Read whoever asks: read only for a real account, it would make that answer slower.
        secret = self._store.secret_key()
        refusal: ServiceError | None = None
        delivery: _Delivery | None = None
        with self._store.transaction() as tx:
            records = Records(tx)
            now = self._clock.now()
            if self._purges.due(now):
                purge_expired(records, now, self._settings)
            account = records.accounts.get(identifiant=wanted)
            reason = ""
            if account is None:
                reason = _("identifiant inconnu")
                count_unmatched_request(records, secret, "reset", wanted, now, self._settings)
            elif account.status is not AccountStatus.ACTIVE:
                reason = _("compte pas encore activé")
            else:
                contacts = contacts_of(records, account)
                recent = recent_sends(account.reset_sent_at, now, self._settings)
                limit = send_refusal(recent, now, self._settings)
                if account.kind is AccountKind.PUPIL and contacts.email is None:
                    reason = _("compte élève sans e-mail confirmé")
                    refusal = AskTheSchool()
                elif contacts.mobile is None and contacts.email is None:
                    reason = _("aucun portable ni e-mail confirmé")
                elif limit is not None:
                    reason = _("limite d'envoi : %(refusal)s") % {"refusal": limit.message}
                else:
                    code = new_code(self._rng)
                    delivery = _reset_delivery(contacts, channel, code)
                    records.accounts.put(
                        account.model_copy(
                            update={
                                "reset_code_hash": self._reset_digest(
                                    account.identifiant, code, secret
                                ),
                                "reset_code_expires_at": now + self._settings.code_ttl,
                                "reset_code_failures": 0,
                                "reset_sent_at": (*recent, now),
                                "reset_token_hash": None,
                                "reset_token_expires_at": None,
                            }
                        )
                    )
            record_event(
                tx,
                self._clock,
                "password_reset_requested" if delivery else "password_reset_refused",
                identifiant=account.identifiant if account else None,
                guardian_id=guardian_id_of(account),
                detail=_("code envoyé par %(channel)s") % {"channel": delivery.channel.value}
                if delivery
                else reason,
            )
        if refusal is not None:
            raise refusal
        if delivery is not None:
            self._deliver(delivery, _("ÉduConnect : votre code pour un nouveau mot de passe"))
        return ResetRequested(wanted)

    def verify_reset_code(self, identifiant: str, code: str) -> ResetCodeAccepted:
        """Check the reset code (case and spaces ignored). Single use, ``code_ttl`` long,
        voided after ``code_max_failures`` wrong entries. Every refusal is the same
        ``ResetCodeRejected``; ``InvalidInput`` only for an empty or overlong entry."""
        wanted = typed_identifiant(identifiant)
        typed = normalize_code(code)
        if not typed:
            raise InvalidInput(ErrorCode.RESET_CODE_MISSING, field="code")
        if len(typed) > MAX_TYPED_CODE:
            raise InvalidInput(ErrorCode.CODE_TOO_LONG, field="code")
        token = "".join(self._rng.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))
        accepted = False
        with self._store.transaction() as tx:
            records = Records(tx)
            now = self._clock.now()
            account = records.accounts.get(identifiant=wanted)
            update: dict[str, object] = {}
            if account is None or account.reset_code_hash is None:
                event, detail = "reset_code_failed", _("aucun code en cours")
            elif account.reset_code_expires_at is None or now > account.reset_code_expires_at:
                event, detail = "reset_code_expired", ""
                update = {"reset_code_hash": None}
            elif hmac.compare_digest(
                account.reset_code_hash,
                self._reset_digest(account.identifiant, typed, self._store.secret_key()),
            ):
                event, detail = "reset_code_verified", ""
                accepted = True
                update = {
                    "reset_code_hash": None,
                    "reset_token_hash": token_digest(token),
                    "reset_token_expires_at": now + self._settings.reset_token_ttl,
                }
            else:
                failures = account.reset_code_failures + 1
                update = {"reset_code_failures": failures}
                if failures >= self._settings.code_max_failures:
                    update["reset_code_hash"] = None
                    event, detail = "reset_code_voided", f"{failures} essais"
                else:
                    event, detail = "reset_code_failed", f"essai {failures}"
            if account is not None and update:
                records.accounts.put(account.model_copy(update=update))
            record_event(
                tx,
                self._clock,
                event,
                identifiant=account.identifiant if account else None,
                guardian_id=guardian_id_of(account),
                detail=detail if account else _("identifiant inconnu"),
            )
        if not accepted:
            raise ResetCodeRejected()
        return ResetCodeAccepted(token, wanted)

    def password_context(self, token: str) -> PasswordContext:
        """What the live checklist needs (identifiant, nom, prénom). ``ResetEnded`` if the
        token is unknown, used or expired."""
        records = Records(self._store.snapshot())
        account = self._open_reset(records, token)
        person = person_of(records, account)
        if person is None:
            raise ResetEnded()
        return PasswordContext(account.identifiant, person[0], person[1])

    def set_new_password(self, token: str, password: str, confirmation: str) -> PasswordResetDone:
        """Set the new password (policy of ``check_password``, typed twice). Clears the failure
        count and the lock, ends every open session, sends a notice by SMS and/or e-mail.
        Raises ``ResetEnded``, ``PasswordRejected`` or ``PasswordMismatch``."""
        context = self.password_context(token)
        require_acceptable_password(password, confirmation, self._settings, context)
        password_hash = self._hasher.hash(password)
        with self._store.transaction() as tx:
            records = Records(tx)
            account = self._open_reset(records, token)
            now = self._clock.now()
            records.accounts.put(
                account.model_copy(
                    update={
                        "password_hash": password_hash,
                        "password_changed_at": now,
                        "session_epoch": account.session_epoch + 1,
                        "failed_logins": 0,
                        "locked_until": None,
                        "login_not_before": None,
                        "reset_code_hash": None,
                        "reset_token_hash": None,
                        "reset_token_expires_at": None,
                    }
                )
            )
            record_event(
                tx,
                self._clock,
                "password_reset",
                identifiant=account.identifiant,
                guardian_id=guardian_id_of(account),
            )
            contacts = contacts_of(records, account)
        send_password_changed_notice(
            self._store, self._clock, self._sms, self._email, account.identifiant, contacts
        )
        return PasswordResetDone(account.identifiant)

    # -- shared ----------------------------------------------------------------------------

    def _reset_digest(self, identifiant: str, code: str, secret: bytes) -> str:
        return code_digest(secret, f"{RESET_CODE_PURPOSE}\x00{identifiant}", code)

    def _open_reset(self, records: Records, token: str) -> Account:
        account = records.accounts.get(reset_token_hash=token_digest(token))
        if (
            account is None
            or account.reset_token_expires_at is None
            or self._clock.now() > account.reset_token_expires_at
        ):
            raise ResetEnded()
        return account

    def _deliver(self, delivery: _Delivery, subject: str) -> None:
        if delivery.channel is ResetChannel.EMAIL:
            self._email.send(delivery.to, subject, delivery.text)
        else:
            self._sms.send(delivery.to, delivery.text)


def _reset_delivery(contacts: Contacts, channel: ResetChannel, code: str) -> _Delivery:
    text = _(
        "ÉduConnect : votre code pour choisir un nouveau mot de passe est %(code)s. Il est "
        "valable 30 minutes. Ne le communiquez à personne."
    ) % {"code": code}
    if contacts.email is not None and (channel is ResetChannel.EMAIL or contacts.mobile is None):
        return _Delivery(ResetChannel.EMAIL, contacts.email, text)
    assert contacts.mobile is not None
    return _Delivery(ResetChannel.SMS, contacts.mobile, text)


def _guardian_for(
    records: Records, nom: str, prenom: str, phone: str
) -> tuple[Guardian | None, str]:
    """The one guardian with these names and this mobile, or why not (for the audit log)."""
    wanted = (normalize_name(nom), normalize_name(prenom))
    by_phone = records.guardians.find(portable=phone)
    matches = [g for g in by_phone if (normalize_name(g.nom), normalize_name(g.prenom)) == wanted]
    if len(matches) > 1:
        return None, _("plusieurs responsables avec ces nom, prénom et portable")
    if matches:
        return matches[0], ""
    if by_phone:
        return None, _("nom ou prénom différent pour ce portable")
    return None, _("aucun responsable avec ce portable")
