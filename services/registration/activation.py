"""Steps 3 to 5 of the guide: who is registering, then the activation code by SMS."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from services.audit import record_event
from services.codes import code_digest, new_code, normalize_code, token_digest
from services.errors import (
    AlreadyHasAccount,
    CodeExpired,
    CodeIncorrect,
    CodeVoided,
    ErrorCode,
    InvalidInput,
    NoMatch,
    RegistrationEnded,
    ServiceError,
)
from services.floor import padded
from services.forms import validate_form
from services.i18n import _
from services.names import match_guardian
from services.phones import format_for_display, parse_mobile
from services.registration.base import RegistrationSteps, guardian_account
from services.throttle import purge_expired, recent_sends, send_refusal, start_refusal
from store import Records, TransactionView
from store.records import (
    AccountStatus,
    LinkState,
    PersonName,
    Registration,
    RegistrationStage,
    SendThrottle,
    StartThrottle,
)

__all__ = [
    "ActivationSteps",
    "CodeSent",
    "ExistingAccount",
    "IdentityForm",
    "RegistrationStarted",
]


class IdentityForm(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    nom: PersonName
    prenom: PersonName
    portable: str


@dataclass(frozen=True)
class RegistrationStarted:
    token: str
    phone: str
    phone_display: str


@dataclass(frozen=True)
class CodeSent:
    phone_display: str


@dataclass(frozen=True)
class ExistingAccount:
    """The right code, from a guardian who already has an active account: ``message`` says so
    and names ``identifiant``; the screen offers « Se connecter » and « Mot de passe oublié ? »."""

    identifiant: str

    @property
    def message(self) -> str:
        return AlreadyHasAccount(self.identifiant).message


class ActivationSteps(RegistrationSteps):
    """The part of ``RegistrationService`` up to an accepted activation code."""

    # -- step 3 ----------------------------------------------------------------------

    @padded
    def start(self, nom: str, prenom: str, portable: str) -> RegistrationStarted:
        """Open a registration for the guardian the school recorded with these names and this
        mobile, or ``NoMatch`` (one answer for every reason; the audit log says which).

        Starts are limited, matched or not: ``max_starts_per_mobile`` with one number and
        ``max_starts_per_session`` from this session per ``start_window``, and
        ``max_live_registrations_per_guardian`` in progress (``START_TOO_MANY``). Matched or
        not, a start purges what expired, counts itself against the number, reads the same
        records and lasts at least ``neutral_answer_floor``.
        """
        form = validate_form(IdentityForm, nom=nom, prenom=prenom, portable=portable)
        phone = parse_mobile(form.portable)
        token = "".join(self._rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32))
        mobile_key = code_digest(self._store.secret_key(), "registration-start", phone)
        refusal: ServiceError | None = None
        with self._store.transaction() as tx:
            records = Records(tx)
            now = self._clock.now()
            if self._purges.due(now):
                purge_expired(records, now, self._settings)
            window = self._settings.start_window
            by_session = tuple(t for t in self._session_starts if now - t < window)
            counted = records.start_throttles.get(key=mobile_key)
            by_mobile = tuple(
                t for t in (counted.started_at if counted else ()) if now - t < window
            )
            refusal = start_refusal(
                by_session, self._settings.max_starts_per_session, now, self._settings
            ) or start_refusal(by_mobile, self._settings.max_starts_per_mobile, now, self._settings)
            if refusal is not None:
                record_event(
                    tx, self._clock, "registration_refused", detail=_("limite de démarrages")
                )
            else:
                records.start_throttles.put(
                    StartThrottle(key=mobile_key, started_at=(*by_mobile, now))
                )
                by_session = (*by_session, now)
                refusal = self._open_for(records, tx, form.nom, form.prenom, phone, token, now)
        self._session_starts = by_session
        if refusal is not None:
            raise refusal
        return RegistrationStarted(token, phone, format_for_display(phone))

    def _open_for(
        self,
        records: Records,
        tx: TransactionView,
        nom: str,
        prenom: str,
        phone: str,
        token: str,
        now: datetime,
    ) -> ServiceError | None:
        """The registration of the guardian these answers match, or why not. A refused start
        reads what an accepted one reads (the guardian's links, a pupil, registrations and
        account), for nobody's id when nothing matched: it takes as long (issue 13, item 5)."""
        guardian, reason = match_guardian(records, nom, prenom, phone)
        guardian_id = guardian.id if guardian else ""
        has_child = _has_child_to_confirm(records, guardian_id)
        live = tuple(
            registration.created_at
            for registration in records.registrations.find(guardian_id=guardian_id)
            if now - registration.created_at < self._settings.start_window
        )
        account = guardian_account(records, guardian_id)
        if guardian is not None and not has_child:
            reason = _("responsable %(guardian)s sans élève rattaché") % {"guardian": guardian_id}
            guardian = None
        if guardian is None:
            record_event(tx, self._clock, "registration_refused", detail=reason)
            return NoMatch()
        limit = self._settings.max_live_registrations_per_guardian
        if (refusal := start_refusal(live, limit, now, self._settings)) is not None:
            record_event(
                tx,
                self._clock,
                "registration_refused",
                guardian_id=guardian.id,
                detail=_("limite de démarches en cours pour ce responsable"),
            )
            return refusal
        records.registrations.put(
            Registration(
                token_hash=token_digest(token),
                guardian_id=guardian.id,
                phone=phone,
                created_at=now,
                expires_at=now + self._settings.registration_ttl,
                already_active=account is not None and account.status is AccountStatus.ACTIVE,
            )
        )
        record_event(tx, self._clock, "registration_started", guardian_id=guardian.id)
        return None

    # -- steps 4 and 5: codes ------------------------------------------------------------

    def send_code(self, token: str, *, resend: bool = False) -> CodeSent:
        """Send the activation code, the same way whether or not the guardian already has an
        active account (nothing before the code tells them apart).

        Sending voids any earlier code. At most one SMS a minute and ``max_codes_per_window``
        per ``resend_window`` for one guardian, whichever registration asks.
        """
        now = self._clock.now()
        refusal: ServiceError | None = None
        with self._store.transaction() as tx:
            records = Records(tx)
            registration = self._open_registration(
                records, token, RegistrationStage.STARTED, RegistrationStage.CODE_SENT
            )
            throttle = records.throttles.get(guardian_id=registration.guardian_id)
            recent = recent_sends(throttle.sent_at if throttle else (), now, self._settings)
            refusal = send_refusal(recent, now, self._settings)
            if refusal is None:
                # The same code and the same SMS for an account already active: the screen
                # tells them so once the code proves the mobile is theirs (``verify_code``).
                code = new_code(self._rng)
                text = _(
                    "ÉduConnect : votre code d'activation est %(code)s. Il est valable "
                    "30 minutes. Ne le communiquez à personne."
                ) % {"code": code}
                code_hash = code_digest(self._store.secret_key(), registration.token_hash, code)
                records.registrations.put(
                    registration.model_copy(
                        update={
                            "stage": RegistrationStage.CODE_SENT,
                            "code_hash": code_hash,
                            "code_expires_at": now + self._settings.code_ttl,
                            "code_failures": 0,
                        }
                    )
                )
                records.throttles.put(
                    SendThrottle(guardian_id=registration.guardian_id, sent_at=(*recent, now))
                )
                record_event(
                    tx,
                    self._clock,
                    "code_resent" if resend else "code_sent",
                    guardian_id=registration.guardian_id,
                    detail=_("compte déjà activé") if registration.already_active else "",
                )
            else:
                record_event(
                    tx,
                    self._clock,
                    "code_refused",
                    guardian_id=registration.guardian_id,
                    detail=refusal.message,
                )
        if refusal is not None:
            raise refusal
        self._sms.send(registration.phone, text)
        return CodeSent(format_for_display(registration.phone))

    def verify_code(self, token: str, typed: str) -> ExistingAccount | None:
        """Check the SMS code (case and spaces ignored): ``None`` when it is right and the
        registration goes on to step 6; ``ExistingAccount`` when it is right but the guardian
        already has an active account (the registration ends there: nothing to activate).
        Wrong, expired and voided codes are refused alike for both (``CodeIncorrect``,
        ``CodeExpired``, ``CodeVoided``); ``RegistrationEnded`` if the token no longer holds."""
        code = normalize_code(typed)
        if not code:
            raise InvalidInput(ErrorCode.SMS_CODE_MISSING, field="code")
        if len(code) > 32:
            raise InvalidInput(ErrorCode.CODE_TOO_LONG, field="code")
        if not (code.isascii() and code.isalpha()):
            # Such a code can never match, so it costs no attempt; and it is never hashed.
            raise InvalidInput(ErrorCode.SMS_CODE_LETTERS_ONLY, field="code")
        refusal: ServiceError | None = None
        existing: ExistingAccount | None = None
        with self._store.transaction() as tx:
            records = Records(tx)
            registration = self._open_registration(records, token, RegistrationStage.CODE_SENT)
            now = self._clock.now()
            update: dict[str, object]
            # Expiry first: an expired code keeps saying so, not « trop d'essais ».
            if registration.code_expires_at is not None and now > registration.code_expires_at:
                refusal = CodeExpired()
                update = {"code_hash": None}
                record_event(tx, self._clock, "code_expired", guardian_id=registration.guardian_id)
            elif registration.code_hash is None:
                refusal = CodeVoided()
                update = {}
            elif hmac.compare_digest(
                registration.code_hash,
                code_digest(self._store.secret_key(), registration.token_hash, code),
            ):
                update = {"stage": RegistrationStage.CODE_VERIFIED, "code_hash": None}
                record_event(tx, self._clock, "code_verified", guardian_id=registration.guardian_id)
                if registration.already_active:
                    existing, update = self._existing_account(records, tx, registration)
            else:
                failures = registration.code_failures + 1
                remaining = self._settings.code_max_failures - failures
                update = {"code_failures": failures}
                if remaining <= 0:
                    update["code_hash"] = None
                    refusal = CodeVoided()
                    record_event(
                        tx, self._clock, "code_voided", guardian_id=registration.guardian_id
                    )
                else:
                    refusal = CodeIncorrect(remaining)
                    record_event(
                        tx,
                        self._clock,
                        "code_failed",
                        guardian_id=registration.guardian_id,
                        detail=f"essai {failures}",
                    )
            if update:
                records.registrations.put(registration.model_copy(update=update))
        if refusal is not None:
            raise refusal
        return existing

    def _existing_account(
        self, records: Records, tx: TransactionView, registration: Registration
    ) -> tuple[ExistingAccount, dict[str, object]]:
        """The account the right code leads to instead of step 6; the registration is done."""
        account = guardian_account(records, registration.guardian_id)
        if account is None:
            # Deleted by the school since step 3: there is nothing left to show.
            raise RegistrationEnded()
        record_event(
            tx,
            self._clock,
            "registration_ended",
            guardian_id=registration.guardian_id,
            detail=_("compte déjà activé : identifiant affiché"),
        )
        update: dict[str, object] = {
            "stage": RegistrationStage.DONE,
            "code_hash": None,
            "identifiant": account.identifiant,
        }
        return ExistingAccount(account.identifiant), update


def _has_child_to_confirm(records: Records, guardian_id: str) -> bool:
    """Whether step 6 will show a pupil (``children_to_confirm`` is not empty), in a set
    number of reads: the guardian's links, then one pupil (nobody's when there is no link)."""
    pupil_ids = [
        link.pupil_id
        for link in records.links.find(guardian_id=guardian_id)
        if link.state is not LinkState.DISPUTED
    ]
    return any(records.pupils.get(id=pupil_id) is not None for pupil_id in pupil_ids or [""])
