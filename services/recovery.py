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
import time
from dataclasses import dataclass

from services.audit import record_event
from services.clock import Clock
from services.codes import code_digest, new_code, normalize_code, token_digest
from services.contacts import (
    Contacts,
    Delivery,
    ResetChannel,
    contacts_of,
    deliver,
    send_password_changed_notice,
)
from services.email import EmailGateway
from services.errors import (
    AskTheSchool,
    ErrorCode,
    InvalidInput,
    RequestLimited,
    ResetCodeRejected,
    ResetEnded,
    ServiceError,
)
from services.floor import Sleeper, padded
from services.forms import typed_identifiant
from services.i18n import N_, _
from services.login import guardian_id_of, person_of
from services.messaging import SmsGateway
from services.passwords import PasswordContext, PasswordHasher, require_acceptable_password
from services.reminder import (
    IDENTIFIANT_REMINDER_BY_EMAIL_MESSAGE,
    IDENTIFIANT_REMINDER_MESSAGE,
    REMINDER_CHANNEL_HINTS,
    IdentifiantReminder,
    IdentifiantReminderRequested,
)
from services.settings import Settings
from services.throttle import (
    PurgeSchedule,
    count_request,
    purge_expired,
    request_key,
    void_request_code,
)
from store import Records, StoreBackend
from store.records import Account, AccountKind, AccountStatus

__all__ = [
    "IDENTIFIANT_REMINDER_BY_EMAIL_MESSAGE",
    "IDENTIFIANT_REMINDER_MESSAGE",
    "REMINDER_CHANNEL_HINTS",
    "RESET_CHANNEL_HINTS",
    "RESET_REQUESTED_BY_EMAIL_MESSAGE",
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

# Msgids: the results below carry them translated. Each says the rule of the channel chosen,
# never which part of it applied (that would tell what the account has).
RESET_REQUESTED_MESSAGE = N_(
    "Si cet identifiant correspond à un compte activé, un code vient d'être envoyé par SMS au "
    "numéro de portable enregistré (sans portable : par e-mail, à l'adresse confirmée). Il "
    "est valable 30 minutes."
)
RESET_REQUESTED_BY_EMAIL_MESSAGE = N_(
    "Si cet identifiant correspond à un compte activé, un code vient d'être envoyé par e-mail "
    "si une adresse est confirmée, sinon par SMS au numéro de portable enregistré. Il est "
    "valable 30 minutes."
)
# What each choice does, for the screen to say before sending.
RESET_CHANNEL_HINTS = {
    ResetChannel.SMS: N_("Par SMS, au portable enregistré (sans portable : par e-mail)"),
    ResetChannel.EMAIL: N_("Par e-mail, si une adresse est confirmée ; sinon par SMS"),
}
_ANSWERS = {
    ResetChannel.SMS: RESET_REQUESTED_MESSAGE,
    ResetChannel.EMAIL: RESET_REQUESTED_BY_EMAIL_MESSAGE,
}
RESET_CODE_PURPOSE = "password-reset"
TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
TOKEN_LENGTH = 32
MAX_TYPED_CODE = 32


@dataclass(frozen=True)
class ResetRequested:
    """Always the same for a channel, whatever matched (except ``AskTheSchool`` and
    ``RequestLimited``, raised instead): ``message`` says the channel's rule."""

    identifiant: str
    channel: ResetChannel = ResetChannel.SMS

    @property
    def message(self) -> str:
        return _(_ANSWERS[self.channel])


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


class RecoveryService(IdentifiantReminder):
    def __init__(
        self,
        store: StoreBackend,
        settings: Settings,
        clock: Clock,
        rng: random.Random,
        sms: SmsGateway,
        email: EmailGateway,
        hasher: PasswordHasher,
        *,
        sleep: Sleeper = time.sleep,
    ) -> None:
        """``sleep``: pads the reminder and the reset request to ``neutral_answer_floor``
        (``services.floor``)."""
        self._store = store
        self._settings = settings
        self._purges = PurgeSchedule(settings.purge_every)
        self._clock = clock
        self._rng = rng
        self._sms = sms
        self._email = email
        self._hasher = hasher
        self._sleep = sleep

    # -- « Mot de passe oublié ? » ------------------------------------------------------

    @padded
    def request_password_reset(
        self, identifiant: str, *, channel: ResetChannel = ResetChannel.SMS
    ) -> ResetRequested:
        """Send a reset code (voiding any earlier one). ``channel`` SMS: by SMS to the
        recorded mobile, by e-mail to the confirmed address for an account without a mobile
        (a pupil's); ``channel`` EMAIL: by e-mail if an address is confirmed, else by SMS.
        Works while the account is locked. Real or not, the same records are read and written
        (the code is kept with the typed identifiant's limits, ``throttle.count_request``), and
        the call lasts at least ``neutral_answer_floor``.

        The answer is the same for an unknown identifiant or an account not yet activated
        (nothing is sent then; the audit log says why). Requests are limited per typed
        identifiant, account or not (one a minute, ``max_codes_per_window`` per
        ``resend_window``): over the limits ``RequestLimited`` says from when a new one is
        accepted. Also raises ``InvalidInput`` (empty identifiant), ``AskTheSchool`` (a
        pupil's account without a confirmed e-mail) or ``DeliveryFailed`` (the e-mail server
        refused; only with gateways that send at once: the delivery thread audits it instead).
        """
        wanted = typed_identifiant(identifiant)
        # Drawn, hashed and kept whoever asks (an unknown identifiant's code is sent to nobody):
        # work done only for a real account would make that answer slower.
        secret = self._store.secret_key()
        code = new_code(self._rng)
        code_hash = self._reset_digest(wanted, code, secret)
        key = request_key(secret, "reset", wanted)
        refusal: ServiceError | None = None
        delivery: Delivery | None = None
        with self._store.transaction() as tx:
            records = Records(tx)
            now = self._clock.now()
            if self._purges.due(now):
                purge_expired(records, now, self._settings)
            account = records.accounts.get(identifiant=wanted)
            contacts = contacts_of(records, account)
            reason = ""
            if account is None or account.status is not AccountStatus.ACTIVE:
                reason = (
                    _("identifiant inconnu") if account is None else _("compte pas encore activé")
                )
            elif account.kind is AccountKind.PUPIL and contacts.email is None:
                reason = _("compte élève sans e-mail confirmé")
                refusal = AskTheSchool()
            elif contacts.mobile is None and contacts.email is None:
                reason = _("aucun portable ni e-mail confirmé")
            if refusal is None:
                # Counted per typed identifiant, account or not, so the limits tell nothing.
                next_at = count_request(records, key, now, self._settings, code_hash=code_hash)
                if next_at is not None:
                    refusal = RequestLimited(next_at, now)
                    reason = _("limite d'envoi : nouvelle demande possible à %(time)s") % {
                        "time": refusal.params["time"]
                    }
                elif not reason:
                    delivery = _reset_delivery(contacts, channel, code)
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
            deliver(
                self._sms,
                self._email,
                delivery,
                _("ÉduConnect : votre code pour un nouveau mot de passe"),
            )
        return ResetRequested(wanted, channel)

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
        secret = self._store.secret_key()
        key = request_key(secret, "reset", wanted)
        accepted = False
        with self._store.transaction() as tx:
            records = Records(tx)
            now = self._clock.now()
            account = records.accounts.get(identifiant=wanted)
            request = records.start_throttles.get(key=key)
            update: dict[str, object] = {}
            if (
                account is None
                or account.status is not AccountStatus.ACTIVE
                or request is None
                or request.code_hash is None
            ):
                # An unknown or inactive identifiant's request kept a code too, sent to nobody.
                event, detail = "reset_code_failed", _("aucun code en cours")
            elif request.code_expires_at is None or now > request.code_expires_at:
                event, detail = "reset_code_expired", ""
                update = {"code_hash": None}
            elif hmac.compare_digest(
                request.code_hash, self._reset_digest(account.identifiant, typed, secret)
            ):
                event, detail = "reset_code_verified", ""
                accepted = True
                update = {"code_hash": None}
                records.accounts.put(
                    account.model_copy(
                        update={
                            "reset_token_hash": token_digest(token),
                            "reset_token_expires_at": now + self._settings.reset_token_ttl,
                        }
                    )
                )
            else:
                failures = request.code_failures + 1
                update = {"code_failures": failures}
                if failures >= self._settings.code_max_failures:
                    update["code_hash"] = None
                    event, detail = "reset_code_voided", f"{failures} essais"
                else:
                    event, detail = "reset_code_failed", f"essai {failures}"
            if request is not None and update:
                records.start_throttles.put(request.model_copy(update=update))
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
                        "reset_token_hash": None,
                        "reset_token_expires_at": None,
                    }
                )
            )
            void_request_code(
                records, request_key(self._store.secret_key(), "reset", account.identifiant)
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
        # A new request voids the token of an earlier code. It does not write the account
        # (that would tell a real identifiant by its time): the request's moments say it.
        issued_at = account.reset_token_expires_at - self._settings.reset_token_ttl
        key = request_key(self._store.secret_key(), "reset", account.identifiant)
        request = records.start_throttles.get(key=key)
        if request is not None and any(moment > issued_at for moment in request.started_at):
            raise ResetEnded()
        return account


def _reset_delivery(contacts: Contacts, channel: ResetChannel, code: str) -> Delivery:
    """SMS chosen: by SMS (by e-mail for an account without a mobile); e-mail chosen: by
    e-mail if an address is confirmed, else by SMS. The caller made sure one of them exists."""
    text = _(
        "ÉduConnect : votre code pour choisir un nouveau mot de passe est %(code)s. Il est "
        "valable 30 minutes. Ne le communiquez à personne."
    ) % {"code": code}
    by_email = contacts.email is not None and (
        channel is ResetChannel.EMAIL or contacts.mobile is None
    )
    if by_email and contacts.email is not None:
        return Delivery(ResetChannel.EMAIL, contacts.email, text)
    assert contacts.mobile is not None
    return Delivery(ResetChannel.SMS, contacts.mobile, text)
