"""« Mon compte »: what the logged-in person can see and change about their own account.

Every call takes the ``LoginSession`` from ``LoginService.login`` and raises ``SessionEnded``
once that session is over (password changed or reset elsewhere). Logging out needs no call:
the screen drops the session.
"""

from __future__ import annotations

import hmac
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from services.audit import record_event
from services.clock import Clock
from services.codes import code_digest, new_code, normalize_code
from services.email import EmailGateway
from services.errors import (
    CurrentPasswordIncorrect,
    EmailCodeExpired,
    EmailCodeIncorrect,
    EmailCodeVoided,
    ErrorCode,
    InvalidInput,
    ServiceError,
    SessionEnded,
)
from services.i18n import _
from services.login import (
    MAX_TYPED_PASSWORD,
    LoginSession,
    account_blocked,
    consecutive_failures,
    failure_outcome,
    guardian_id_of,
    open_session,
    person_of,
    validate_fields,
)
from services.messaging import SmsGateway
from services.passwords import PasswordContext, PasswordHasher, require_acceptable_password
from services.phones import format_for_display
from services.recovery import contacts_of, send_password_changed_notice
from services.settings import Settings
from services.throttle import recent_sends, request_key, send_refusal, void_request_code
from store import Records, StoreBackend, TransactionView
from store.records import Account, AccountKind, AccountStatus, Email

__all__ = ["AccountOverview", "AccountService", "EmailCodeSent"]

EMAIL_CODE_PURPOSE = "email-confirmation"
MAX_TYPED_CODE = 32


@dataclass(frozen=True)
class AccountOverview:
    identifiant: str
    kind: AccountKind
    nom: str
    prenom: str
    # The mobile the school recorded (guardians), as shown on screen; ``None`` for pupils.
    mobile_display: str | None
    # The last address given; ``email_confirmed`` says whether its code was entered.
    email: str | None
    email_confirmed: bool
    last_login_at: datetime | None
    password_changed_at: datetime | None


@dataclass(frozen=True)
class EmailCodeSent:
    email: str


class _EmailForm(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    email: Email


class _CurrentPasswordForm(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    current: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TYPED_PASSWORD)]


_EMAIL_MESSAGES = {"email": (ErrorCode.EMAIL_MISSING, ErrorCode.EMAIL_INVALID)}


class AccountService:
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
        self._clock = clock
        self._rng = rng
        self._sms = sms
        self._email = email
        self._hasher = hasher

    def overview(self, session: LoginSession) -> AccountOverview:
        records = Records(self._store.snapshot())
        account = self._account(records, session)
        mobile = contacts_of(records, account).mobile
        return AccountOverview(
            identifiant=account.identifiant,
            kind=account.kind,
            nom=session.nom,
            prenom=session.prenom,
            mobile_display=format_for_display(mobile) if mobile else None,
            email=account.email,
            email_confirmed=account.email_confirmed,
            last_login_at=account.last_login_at,
            password_changed_at=account.password_changed_at,
        )

    def recipients(self, identifiant: str) -> tuple[str | None, str | None]:
        """The mobile and the address that the messages of ``identifiant``'s account go to
        (the last address given), or ``(None, None)`` for an unknown one.
        For the demonstration phone (F2) only, which shows what that person receives: it
        tells who exists, so no family's screen may show its answer."""
        records = Records(self._store.snapshot())
        account = records.accounts.get(identifiant=identifiant.strip().lower())
        if account is None:
            return None, None
        return contacts_of(records, account).mobile, account.email

    # -- password ----------------------------------------------------------------------

    def password_context(self, session: LoginSession) -> PasswordContext:
        """What the live checklist needs to judge a new password."""
        self._account(Records(self._store.snapshot()), session)
        return PasswordContext(session.identifiant, session.nom, session.prenom)

    def change_password(
        self, session: LoginSession, current: str, password: str, confirmation: str
    ) -> LoginSession:
        """Replace the password after checking the current one. Every other session ends; the
        returned session replaces ``session`` so this one goes on. A notice is sent.

        A wrong current password counts as a failed login (same slowdown and lock).
        Raises ``InvalidInput``, ``PasswordRejected``, ``PasswordMismatch``,
        ``CurrentPasswordIncorrect`` (``retry_after`` while the slowdown runs) or
        ``SessionEnded``.
        """
        validate_fields(
            _CurrentPasswordForm,
            {"current": (ErrorCode.CURRENT_PASSWORD_MISSING, ErrorCode.PASSWORD_TOO_LONG)},
            current=current,
        )
        context = self.password_context(session)
        require_acceptable_password(password, confirmation, self._settings, context)

        before = self._account(Records(self._store.snapshot()), session)
        checked_hash = None if account_blocked(before, self._clock.now()) else before.password_hash
        if checked_hash is None:
            self._hasher.dummy_verify()
            matches = False
        else:
            # Not `_`: that name is the catalog's, and would be unbound below.
            matches, _rehash = self._hasher.verify_and_update(current, checked_hash)
        new_hash = self._hasher.hash(password) if matches else None

        refusal: ServiceError | None = None
        with self._store.transaction() as tx:
            records = Records(tx)
            now = self._clock.now()
            account = self._account(records, session)
            blocked = account_blocked(account, now)
            if blocked is not None or account.password_hash != checked_hash:
                refusal = (
                    CurrentPasswordIncorrect(blocked.retry_after, blocked.locked_until)
                    if blocked
                    else CurrentPasswordIncorrect()
                )
                self._audit(
                    tx, account, "password_change_failed", blocked.reason if blocked else ""
                )
            elif new_hash is None:
                outcome = failure_outcome(account, now, self._settings)
                records.accounts.put(account.model_copy(update=outcome.update))
                self._audit(
                    tx,
                    account,
                    "password_change_failed",
                    _("mot de passe actuel erroné (échec %(count)d)") % {"count": outcome.failures},
                )
                if outcome.locked:
                    self._audit(tx, account, "login_locked", consecutive_failures(outcome.failures))
                refusal = CurrentPasswordIncorrect(outcome.retry_after, outcome.locked_until)
            else:
                account = account.model_copy(
                    update={
                        "password_hash": new_hash,
                        "password_changed_at": now,
                        "session_epoch": account.session_epoch + 1,
                        "failed_logins": 0,
                        "locked_until": None,
                        "login_not_before": None,
                        "reset_token_hash": None,
                        "reset_token_expires_at": None,
                    }
                )
                records.accounts.put(account)
                void_request_code(
                    records, request_key(self._store.secret_key(), "reset", account.identifiant)
                )
                self._audit(tx, account, "password_changed", _("depuis Mon compte"))
                renewed = open_session(records, account, session.nom, session.prenom, now)
                contacts = contacts_of(records, account)
        if refusal is not None:
            raise refusal
        send_password_changed_notice(
            self._store, self._clock, self._sms, self._email, account.identifiant, contacts
        )
        return renewed

    # -- e-mail --------------------------------------------------------------------------

    def set_email(self, session: LoginSession, email: str) -> EmailCodeSent:
        """Record ``email`` as the account's address, not confirmed, and send a confirmation
        code to it (voiding any earlier one). The previous address is no longer used.
        Raises ``InvalidInput``, ``ResendLimited``, ``DeliveryFailed`` or ``SessionEnded``."""
        form = validate_fields(_EmailForm, _EMAIL_MESSAGES, email=email)
        return self._send_email_code(session, form.email)

    def resend_email_code(self, session: LoginSession) -> EmailCodeSent:
        """A new code for the address waiting for confirmation, within the sending limits."""
        return self._send_email_code(session, None)

    def confirm_email(self, session: LoginSession, code: str) -> None:
        """Check the code sent to the address; on success the address is confirmed (and can
        then receive « Mot de passe oublié » codes). Same rules as activation codes."""
        typed = normalize_code(code)
        if not typed:
            raise InvalidInput(ErrorCode.EMAIL_CODE_MISSING, field="code")
        if len(typed) > MAX_TYPED_CODE:
            raise InvalidInput(ErrorCode.CODE_TOO_LONG, field="code")
        refusal: ServiceError | None = None
        with self._store.transaction() as tx:
            records = Records(tx)
            now = self._clock.now()
            account = self._account(records, session)
            update: dict[str, object] = {}
            if account.email is None or account.email_confirmed:
                refusal = _nothing_to_confirm()
            elif account.email_code_hash is None:
                refusal = EmailCodeVoided()
            elif account.email_code_expires_at is None or now > account.email_code_expires_at:
                update = {"email_code_hash": None}
                refusal = EmailCodeExpired()
                self._audit(tx, account, "email_code_expired", "")
            elif hmac.compare_digest(
                account.email_code_hash, self._email_digest(account, account.email, typed)
            ):
                update = {"email_confirmed": True, "email_code_hash": None}
                self._audit(tx, account, "email_confirmed", "")
            else:
                failures = account.email_code_failures + 1
                remaining = self._settings.code_max_failures - failures
                update = {"email_code_failures": failures}
                if remaining <= 0:
                    update["email_code_hash"] = None
                    refusal = EmailCodeVoided()
                    self._audit(tx, account, "email_code_voided", f"{failures} essais")
                else:
                    refusal = EmailCodeIncorrect(remaining)
                    self._audit(tx, account, "email_code_failed", f"essai {failures}")
            if update:
                records.accounts.put(account.model_copy(update=update))
        if refusal is not None:
            raise refusal

    # -- shared ----------------------------------------------------------------------------

    def _send_email_code(self, session: LoginSession, address: str | None) -> EmailCodeSent:
        """Send a code to ``address`` (a new address) or, if ``None``, to the address still
        waiting for confirmation."""
        refusal: ServiceError | None = None
        with self._store.transaction() as tx:
            records = Records(tx)
            now = self._clock.now()
            account = self._account(records, session)
            resend = address is None
            target = account.email if resend else address
            recent = recent_sends(account.email_code_sent_at, now, self._settings)
            limit = send_refusal(recent, now, self._settings)
            if target is None or (resend and account.email_confirmed):
                refusal = _nothing_to_confirm()
            elif account.email == target and account.email_confirmed:
                refusal = InvalidInput(ErrorCode.EMAIL_ALREADY_CONFIRMED, field="email")
            elif limit is not None:
                refusal = limit
                self._audit(tx, account, "email_code_refused", limit.message)
            else:
                code = new_code(self._rng)
                records.accounts.put(
                    account.model_copy(
                        update={
                            "email": target,
                            "email_confirmed": False,
                            "email_code_hash": self._email_digest(account, target, code),
                            "email_code_expires_at": now + self._settings.code_ttl,
                            "email_code_failures": 0,
                            "email_code_sent_at": (*recent, now),
                        }
                    )
                )
                self._audit(tx, account, "email_code_resent" if resend else "email_code_sent", "")
        if refusal is not None:
            raise refusal
        assert target is not None
        self._email.send(
            target,
            _("ÉduConnect : confirmez votre adresse e-mail"),
            _(
                "ÉduConnect : votre code de confirmation est %(code)s. Il est valable 30 minutes. "
                "Saisissez-le dans « Mon compte » pour confirmer cette adresse. Si vous n'avez "
                "rien demandé, ignorez ce message."
            )
            % {"code": code},
        )
        return EmailCodeSent(target)

    def _account(self, records: Records, session: LoginSession) -> Account:
        account = records.accounts.get(identifiant=session.identifiant)
        if (
            account is None
            or account.status is not AccountStatus.ACTIVE
            or account.owner_id != session.owner_id
            or account.session_epoch != session.session_epoch
            or person_of(records, account) is None
        ):
            raise SessionEnded()
        return account

    def _email_digest(self, account: Account, address: str, code: str) -> str:
        # Bound to the address: a code sent to an earlier address cannot confirm a later one.
        purpose = f"{EMAIL_CODE_PURPOSE}\x00{account.identifiant}\x00{address}"
        return code_digest(self._store.secret_key(), purpose, code)

    def _audit(self, tx: TransactionView, account: Account, event: str, detail: str) -> None:
        record_event(
            tx,
            self._clock,
            event,
            identifiant=account.identifiant,
            guardian_id=guardian_id_of(account),
            detail=detail,
        )


def _nothing_to_confirm() -> InvalidInput:
    return InvalidInput(ErrorCode.NO_EMAIL_PENDING, field="email")
