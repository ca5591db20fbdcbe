"""Pupils' provisional credentials and their first login.

The school issues each new pupil an identifiant and a temporary password (see
``services.admin``). The pupil's first login is: ``login`` with them (answers ``FirstLogin``
instead of a session) → ``confirm_identity`` (date of birth, limited tries) →
``password_context`` / ``set_password`` (the password policy, typed twice) → a session, with
which « Mon compte » (``AccountService.set_email``) can record an optional e-mail for later
recovery. Every other pupil login goes through ``LoginService``; all refusals under the
« Élève » profile say the same thing (``PupilLoginRefused``).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from services.audit import record_event
from services.clock import Clock
from services.codes import token_digest
from services.errors import (
    BirthDateMismatch,
    ErrorCode,
    FirstLoginEnded,
    InvalidInput,
    LoginRefused,
    PupilLoginRefused,
    ServiceError,
)
from services.forms import parse_birth_date
from services.i18n import _
from services.login import (
    MAX_TYPED_PASSWORD,
    LoginService,
    LoginSession,
    account_blocked,
    consecutive_failures,
    failure_outcome,
    open_session,
    person_of,
)
from services.passwords import PasswordContext, PasswordHasher, require_acceptable_password
from services.refusals import FIRST_LOGIN_VOIDED_MESSAGE
from services.settings import Settings
from store import Records, StoreBackend, TransactionView
from store.records import Account, AccountKind, AccountStatus

__all__ = [
    "PROVISIONAL_ALPHABET",
    "FirstLogin",
    "IssuedCredentials",
    "PupilActivated",
    "PupilActivationService",
    "new_provisional_password",
    "normalize_provisional_password",
    "printed_validity",
    "provisional_validity",
]

# Upper-case letters and digits read aloud without doubt: no 0/O, no 1/I (and no lower-case,
# so no l). 32 symbols, 12 of them: 60 bits, far beyond what the login slowdown lets anyone try.
PROVISIONAL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_GROUPS = 3
_GROUP_LENGTH = 4
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.]+")
TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
TOKEN_LENGTH = 32

# What the login screen shows after a voided first login (the catalog's msgid).
VOIDED_MESSAGE = FIRST_LOGIN_VOIDED_MESSAGE


def new_provisional_password(rng: random.Random) -> str:
    """``K7PQ-M3XR-9ZTW``: three groups of four, as printed on the notice."""
    return "-".join(
        "".join(rng.choice(PROVISIONAL_ALPHABET) for _ in range(_GROUP_LENGTH))
        for _ in range(_GROUPS)
    )


def normalize_provisional_password(typed: str) -> str:
    """The form that is hashed: a pupil may type it in lower case, with or without the dashes."""
    return _SEPARATORS.sub("", typed).upper()


def provisional_validity(now: datetime, months: int) -> tuple[date, datetime]:
    """``(last valid day, moment it ends)``. The notice prints the day; the password works until
    noon UTC the day after, so that day is honoured in every French time zone (UTC−10 to +12)."""
    today = now.astimezone(UTC).date()
    month_index = today.month - 1 + months
    year, month = today.year + month_index // 12, month_index % 12 + 1
    day = today.day
    while True:
        try:
            last_day = date(year, month, day)
            break
        except ValueError:
            # 30 November + 3 months: the end of February.
            day -= 1
    return last_day, datetime.combine(last_day + timedelta(days=1), time(12), tzinfo=UTC)


def printed_validity(expires_at: datetime) -> date:
    """The last valid day printed on the notice, from the moment the password stops working."""
    return expires_at.astimezone(UTC).date() - timedelta(days=1)


@dataclass(frozen=True)
class IssuedCredentials:
    """What one notice prints. ``password`` exists only here, never in the store."""

    pupil_id: str
    nom: str
    prenom: str
    classe: str
    uai: str
    etablissement: str
    identifiant: str
    password: str
    valid_until: date
    issued_at: datetime


@dataclass(frozen=True)
class FirstLogin:
    """The provisional password was right: the pupil must now confirm their identity, then
    choose a password. ``token`` carries them through those steps (``first_login_ttl``)."""

    token: str
    identifiant: str
    nom: str
    prenom: str


@dataclass(frozen=True)
class PupilActivated:
    """The account is active; ``session`` is the pupil's, for the optional e-mail step."""

    identifiant: str
    session: LoginSession


class PupilActivationService:
    def __init__(
        self,
        store: StoreBackend,
        settings: Settings,
        clock: Clock,
        rng: random.Random,
        hasher: PasswordHasher,
        login: LoginService,
    ) -> None:
        self._store = store
        self._settings = settings
        self._clock = clock
        self._rng = rng
        self._hasher = hasher
        self._login = login

    def login(self, identifiant: str, password: str) -> LoginSession | FirstLogin:
        """Log in under the « Élève » profile. An account with provisional credentials answers
        ``FirstLogin``; any other account is ``LoginService.login``'s business.

        Raises ``InvalidInput``, ``PupilLoginRefused`` (wrong, expired or voided password,
        locked or unknown account: one message) or ``WrongProfile``.
        """
        wanted = identifiant.strip().lower()
        before = (
            Records(self._store.snapshot()).accounts.get(identifiant=wanted) if wanted else None
        )
        if not _is_provisional(before):
            try:
                return self._login.login(identifiant, password, profile=AccountKind.PUPIL)
            except LoginRefused as error:
                raise PupilLoginRefused(error.retry_after, error.locked_until) from None
        assert before is not None
        if not password:
            raise InvalidInput(ErrorCode.PASSWORD_MISSING, field="password")
        if len(password) > MAX_TYPED_PASSWORD:
            raise InvalidInput(ErrorCode.PASSWORD_TOO_LONG, field="password")
        checked_hash = (
            before.password_hash if account_blocked(before, self._clock.now()) is None else None
        )
        if checked_hash is None:
            self._hasher.dummy_verify()
            matches = False
        else:
            # Not `_`: that name is the catalog's, and would be unbound below.
            matches, _rehash = self._hasher.verify_and_update(
                normalize_provisional_password(password), checked_hash
            )
        token = "".join(self._rng.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))
        refusal: ServiceError | None = None
        started: FirstLogin | None = None
        with self._store.transaction() as tx:
            records = Records(tx)
            now = self._clock.now()
            account = records.accounts.get(identifiant=wanted)

            def failed(reason: str) -> None:
                record_event(tx, self._clock, "login_failed", identifiant=wanted, detail=reason)

            if account is None or not _is_provisional(account):
                failed(_("compte modifié pendant la vérification"))
                refusal = PupilLoginRefused()
            elif account.password_hash is None:
                failed(_("mot de passe provisoire annulé"))
                refusal = PupilLoginRefused()
            elif (blocked := account_blocked(account, now)) is not None:
                failed(blocked.reason)
                refusal = PupilLoginRefused(blocked.retry_after, blocked.locked_until)
            elif account.password_hash != checked_hash:
                failed(_("compte modifié pendant la vérification"))
                refusal = PupilLoginRefused()
            elif not matches:
                outcome = failure_outcome(account, now, self._settings)
                records.accounts.put(account.model_copy(update=outcome.update))
                failed(
                    _("mot de passe provisoire erroné (échec %(count)d)")
                    % {"count": outcome.failures}
                )
                if outcome.locked:
                    record_event(
                        tx,
                        self._clock,
                        "login_locked",
                        identifiant=wanted,
                        detail=consecutive_failures(outcome.failures),
                    )
                refusal = PupilLoginRefused(outcome.retry_after, outcome.locked_until)
            elif account.provisional_until is None or now > account.provisional_until:
                failed(_("mot de passe provisoire expiré"))
                refusal = PupilLoginRefused()
            elif (person := person_of(records, account)) is None:
                failed(_("titulaire du compte absent des données de l'établissement"))
                refusal = PupilLoginRefused()
            else:
                records.accounts.put(
                    account.model_copy(
                        update={
                            "failed_logins": 0,
                            "login_not_before": None,
                            "first_login_token_hash": token_digest(token),
                            "first_login_expires_at": now + self._settings.first_login_ttl,
                            "identity_confirmed": False,
                        }
                    )
                )
                record_event(tx, self._clock, "first_login_started", identifiant=wanted)
                started = FirstLogin(token, wanted, person[0], person[1])
        if started is None:
            raise refusal or PupilLoginRefused()
        return started

    def confirm_identity(self, token: str, birth_date: str) -> None:
        """« Confirmation de l'identité »: the date of birth the school recorded (JJ/MM/AAAA).

        A wrong date counts (``BirthDateMismatch`` with the tries left); at
        ``pupil_birth_date_max_failures`` the provisional password is voided and only the school
        can issue a new one (``FirstLoginEnded``). A date that cannot be read costs nothing.
        """
        born = parse_birth_date(birth_date, field="naissance")
        refusal: ServiceError | None = None
        with self._store.transaction() as tx:
            records = Records(tx)
            account = self._open(records, token)
            pupil = records.pupils.get(id=account.owner_id)
            if pupil is None:
                raise FirstLoginEnded()
            if account.identity_confirmed:
                return
            if born == pupil.naissance:
                records.accounts.put(
                    account.model_copy(
                        update={"identity_confirmed": True, "birth_check_failures": 0}
                    )
                )
                record_event(tx, self._clock, "identity_confirmed", identifiant=account.identifiant)
            else:
                refusal = self._count_birth_failure(tx, records, account)
        if refusal is not None:
            raise refusal

    def password_context(self, token: str) -> PasswordContext:
        """What the live checklist needs; ``FirstLoginEnded`` before the identity check."""
        records = Records(self._store.snapshot())
        account = self._open(records, token)
        person = person_of(records, account)
        if person is None or not account.identity_confirmed:
            raise FirstLoginEnded()
        return PasswordContext(account.identifiant, person[0], person[1])

    def set_password(self, token: str, password: str, confirmation: str) -> PupilActivated:
        """The pupil's own password replaces the provisional one, which stops working; the
        account is active and the returned session is open.

        Raises ``PasswordRejected``, ``PasswordMismatch`` or ``FirstLoginEnded``.
        """
        context = self.password_context(token)
        require_acceptable_password(password, confirmation, self._settings, context)
        password_hash = self._hasher.hash(password)
        with self._store.transaction() as tx:
            records = Records(tx)
            account = self._open(records, token)
            if not account.identity_confirmed:
                raise FirstLoginEnded()
            now = self._clock.now()
            account = account.model_copy(
                update={
                    "status": AccountStatus.ACTIVE,
                    "password_hash": password_hash,
                    "activated_at": now,
                    "last_login_at": now,
                    "password_changed_at": now,
                    "session_epoch": account.session_epoch + 1,
                    "provisional_until": None,
                    "first_login_token_hash": None,
                    "first_login_expires_at": None,
                    "identity_confirmed": False,
                    "failed_logins": 0,
                    "locked_until": None,
                    "login_not_before": None,
                    "birth_check_failures": 0,
                }
            )
            records.accounts.put(account)
            record_event(tx, self._clock, "account_activated", identifiant=account.identifiant)
            session = open_session(records, account, context.nom, context.prenom, now)
        return PupilActivated(account.identifiant, session)

    # -- shared ----------------------------------------------------------------------------

    def _count_birth_failure(
        self, tx: TransactionView, records: Records, account: Account
    ) -> ServiceError:
        failures = account.birth_check_failures + 1
        remaining = self._settings.pupil_birth_date_max_failures - failures
        record_event(
            tx,
            self._clock,
            "birth_date_failed",
            identifiant=account.identifiant,
            detail=f"essai {failures}",
        )
        if remaining > 0:
            records.accounts.put(account.model_copy(update={"birth_check_failures": failures}))
            return BirthDateMismatch((account.owner_id,), remaining)
        # Whoever holds the notice but not the date of birth gets no further tries: the school
        # issues a new notice to the pupil in person.
        records.accounts.put(
            account.model_copy(
                update={
                    "birth_check_failures": failures,
                    "password_hash": None,
                    "first_login_token_hash": None,
                    "first_login_expires_at": None,
                }
            )
        )
        record_event(
            tx,
            self._clock,
            "provisional_voided",
            identifiant=account.identifiant,
            detail=_("trop de dates de naissance erronées"),
        )
        return FirstLoginEnded(ErrorCode.FIRST_LOGIN_VOIDED)

    def _open(self, records: Records, token: str) -> Account:
        account = records.accounts.get(first_login_token_hash=token_digest(token))
        now = self._clock.now()
        if (
            account is None
            or not _is_provisional(account)
            or account.password_hash is None
            or account.first_login_expires_at is None
            or now > account.first_login_expires_at
            or account.provisional_until is None
            or now > account.provisional_until
        ):
            raise FirstLoginEnded()
        return account


def _is_provisional(account: Account | None) -> bool:
    return (
        account is not None
        and account.kind is AccountKind.PUPIL
        and account.status is AccountStatus.PROVISIONAL
    )
