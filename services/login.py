"""Login for both profiles (représentant légal, élève), and the sessions it opens.

One generic refusal (``LoginRefused``) for an unknown identifiant, a wrong password and a locked
account. Failures are counted per typed identifiant (normalised), existing or not: on the
account, or, for an identifiant that is no account's, in a ``LoginThrottle`` under a keyed hash
of it. From ``login_slowdown_after`` consecutive failures the next try must wait
(``login_not_before``, doubling up to ``login_wait_max``); at ``login_lock_after`` the
identifiant locks for ``login_lock_duration``, and the refusal says until when. So an unknown
identifiant meets the same waits, the same lock and the same sentences as a real one, and a
count left alone for ``login_failures_forgotten_after`` starts again from zero for both (the
unknown one is purged). Nothing sleeps: tries that come too early are refused with the wait
left. Every path costs one password hash and one counter write. Logging out is just dropping
the ``LoginSession``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from services.audit import record_event
from services.clock import Clock
from services.codes import code_digest
from services.errors import ErrorCode, InvalidInput, LoginRefused, ServiceError, WrongProfile
from services.i18n import _, ngettext
from services.passwords import PasswordHasher
from services.registration import ChildView
from services.settings import Settings
from store import Records, StoreBackend
from store.records import Account, AccountKind, AccountStatus, LinkState, LoginThrottle

__all__ = [
    "Blocked",
    "FailureCount",
    "FailureOutcome",
    "LoginService",
    "LoginSession",
    "account_blocked",
    "children_of_account",
    "failure_outcome",
    "guardian_id_of",
    "login_throttle_key",
    "open_session",
    "person_of",
    "purge_login_throttles",
]

# Long enough for any passphrase, short enough that hashing it costs nothing unusual.
MAX_TYPED_PASSWORD = 1024


@dataclass(frozen=True)
class LoginSession:
    """Who is logged in. Valid while ``session_epoch`` matches the account's (see
    ``LoginService.is_session_valid``): a password change or reset ends every older session."""

    identifiant: str
    kind: AccountKind
    owner_id: str
    nom: str
    prenom: str
    # Guardians: the pupils whose link they confirmed. Pupils: themselves.
    children: tuple[ChildView, ...]
    session_epoch: int
    started_at: datetime


class _LoginForm(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    identifiant: Annotated[
        str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=80)
    ]
    password: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TYPED_PASSWORD)]


F = TypeVar("F", bound=BaseModel)


def validate_fields(
    model: type[F], messages: dict[str, tuple[ErrorCode, ErrorCode]], **values: str
) -> F:
    """``model`` validated, or ``InvalidInput`` for the first bad field with its sentence from
    ``messages[field] = (when empty, when too long or malformed)``."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        empty, other = messages[field]
        code = empty if first["type"] in ("string_too_short", "missing") else other
        raise InvalidInput(code, field=field) from None


_LOGIN_MESSAGES = {
    "identifiant": (ErrorCode.IDENTIFIANT_MISSING, ErrorCode.IDENTIFIANT_TOO_LONG),
    "password": (ErrorCode.PASSWORD_MISSING, ErrorCode.PASSWORD_TOO_LONG),
}


class FailureCount(Protocol):
    """An account, or the ``LoginThrottle`` of a typed identifiant that is no account's: the
    same fields, counted the same way."""

    @property
    def failed_logins(self) -> int: ...

    @property
    def last_failed_login_at(self) -> datetime | None: ...

    @property
    def login_not_before(self) -> datetime | None: ...

    @property
    def locked_until(self) -> datetime | None: ...


@dataclass(frozen=True)
class FailureOutcome:
    """What one more failed password check does to a count."""

    update: dict[str, object]
    failures: int
    retry_after: int | None
    locked_until: datetime | None

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


def failure_outcome(count: FailureCount, now: datetime, settings: Settings) -> FailureOutcome:
    """Count one failure: a growing wait from ``login_slowdown_after``, a lock at
    ``login_lock_after``. The lock restarts the count, so after it ends the slowdown starts
    again from the beginning; so does a count left alone for ``login_failures_forgotten_after``."""
    last = count.last_failed_login_at
    forgotten = last is not None and now - last >= settings.login_failures_forgotten_after
    failures = (0 if forgotten else count.failed_logins) + 1
    if failures >= settings.login_lock_after:
        locked_until = now + settings.login_lock_duration
        return FailureOutcome(
            {
                "failed_logins": 0,
                "last_failed_login_at": now,
                "locked_until": locked_until,
                "login_not_before": None,
            },
            failures,
            None,
            locked_until,
        )
    if failures >= settings.login_slowdown_after:
        wait = min(
            settings.login_wait_base * 2 ** (failures - settings.login_slowdown_after),
            settings.login_wait_max,
        )
        return FailureOutcome(
            {
                "failed_logins": failures,
                "last_failed_login_at": now,
                "login_not_before": now + wait,
            },
            failures,
            math.ceil(wait.total_seconds()),
            None,
        )
    return FailureOutcome(
        {"failed_logins": failures, "last_failed_login_at": now}, failures, None, None
    )


def consecutive_failures(failures: int) -> str:
    """The audit detail of a lock: « 10 échecs consécutifs »."""
    return ngettext("%(count)d échec consécutif", "%(count)d échecs consécutifs", failures) % {
        "count": failures
    }


@dataclass(frozen=True)
class Blocked:
    """Why no password may be checked now: ``reason`` for the audit log, and what the person
    is told (``retry_after`` seconds, or ``locked_until``)."""

    reason: str
    retry_after: int | None = None
    locked_until: datetime | None = None


def account_blocked(count: FailureCount, now: datetime) -> Blocked | None:
    """``Blocked`` if no password may be checked now: locked, or inside the slowdown wait.
    ``None`` if the identifiant takes a try."""
    if count.locked_until is not None and now < count.locked_until:
        return Blocked(_("compte verrouillé"), locked_until=count.locked_until)
    if count.login_not_before is not None and now < count.login_not_before:
        seconds = math.ceil((count.login_not_before - now).total_seconds())
        return Blocked(_("essai avant la fin de l'attente"), retry_after=seconds)
    return None


def login_throttle_key(secret: bytes, identifiant: str) -> str:
    """Where the failures of a typed identifiant that is no account's are counted."""
    return code_digest(secret, "login-throttle", identifiant)


def purge_login_throttles(records: Records, now: datetime, settings: Settings) -> None:
    """Drop the counts of unknown identifiants that no longer say anything: no wait or lock
    running, last failure forgotten. An account's count reads the same then (see
    ``failure_outcome``), so the purge does not tell the two apart."""
    for throttle in records.login_throttles.all():
        last = throttle.last_failed_login_at
        if account_blocked(throttle, now) is None and (
            last is None or now - last >= settings.login_failures_forgotten_after
        ):
            records.login_throttles.delete(key=throttle.key)


def person_of(records: Records, account: Account) -> tuple[str, str] | None:
    """``(nom, prénom)`` of the account's owner, ``None`` if the school's record is gone."""
    owner = (
        records.guardians.get(id=account.owner_id)
        if account.kind is AccountKind.GUARDIAN
        else records.pupils.get(id=account.owner_id)
    )
    return None if owner is None else (owner.nom, owner.prenom)


def children_of_account(records: Records, account: Account) -> tuple[ChildView, ...]:
    """A guardian's confirmed children, or the pupil themselves, sorted by name."""
    if account.kind is AccountKind.GUARDIAN:
        pupil_ids = [
            link.pupil_id
            for link in records.links.find(guardian_id=account.owner_id)
            if link.state is LinkState.CONFIRMED
        ]
    else:
        pupil_ids = [account.owner_id]
    children = []
    for pupil_id in pupil_ids:
        pupil = records.pupils.get(id=pupil_id)
        if pupil is None:
            continue
        school = records.establishments.get(uai=pupil.uai)
        children.append(
            ChildView(
                pupil_id=pupil.id,
                nom=pupil.nom,
                prenom=pupil.prenom,
                etablissement=school.nom if school else pupil.uai,
                classe=pupil.classe,
            )
        )
    return tuple(sorted(children, key=lambda c: (c.nom, c.prenom, c.pupil_id)))


def open_session(
    records: Records, account: Account, nom: str, prenom: str, now: datetime
) -> LoginSession:
    return LoginSession(
        identifiant=account.identifiant,
        kind=account.kind,
        owner_id=account.owner_id,
        nom=nom,
        prenom=prenom,
        children=children_of_account(records, account),
        session_epoch=account.session_epoch,
        started_at=now,
    )


class LoginService:
    def __init__(
        self, store: StoreBackend, settings: Settings, clock: Clock, hasher: PasswordHasher
    ) -> None:
        self._store = store
        self._settings = settings
        self._clock = clock
        self._hasher = hasher

    def login(self, identifiant: str, password: str, *, profile: AccountKind) -> LoginSession:
        """Check the identifiant and password typed under ``profile`` (the profile chosen on
        the ÉduConnect screen).

        Raises ``InvalidInput`` (empty or overlong field), ``LoginRefused`` (the one generic
        refusal; ``retry_after`` while the slowdown runs, ``locked_until`` while the typed
        identifiant is locked) or ``WrongProfile`` (right password,
        other profile: only said to someone who knows the password; counts nothing).
        A bcrypt or outdated argon2 hash is replaced by a current one on success.
        """
        form = validate_fields(
            _LoginForm, _LOGIN_MESSAGES, identifiant=identifiant, password=password
        )
        before = Records(self._store.snapshot()).accounts.get(identifiant=form.identifiant)
        checked_hash = self._checkable_hash(before)
        if checked_hash is None:
            self._hasher.dummy_verify()
            matches, new_hash = False, None
        else:
            matches, new_hash = self._hasher.verify_and_update(form.password, checked_hash)

        throttle_key = login_throttle_key(self._store.secret_key(), form.identifiant)
        refusal: ServiceError | None = None
        with self._store.transaction() as tx:
            records = Records(tx)
            now = self._clock.now()
            account = records.accounts.get(identifiant=form.identifiant)
            # Both paths read, purge and write the same way: the unknown identifiant's count
            # is a row of its own, the account's is on the account.
            purge_login_throttles(records, now, self._settings)
            throttle = records.login_throttles.get(key=throttle_key) or LoginThrottle(
                key=throttle_key
            )
            count: FailureCount = account or throttle

            def failed(reason: str, *, known: bool = True) -> None:
                record_event(
                    tx,
                    self._clock,
                    "login_failed",
                    identifiant=form.identifiant if known else None,
                    guardian_id=guardian_id_of(account),
                    detail=reason,
                )

            def count_failure(reason: str) -> LoginRefused:
                outcome = failure_outcome(count, now, self._settings)
                if account is None:
                    records.login_throttles.put(throttle.model_copy(update=outcome.update))
                else:
                    records.accounts.put(account.model_copy(update=outcome.update))
                failed(
                    _("%(reason)s (échec %(count)d)")
                    % {"reason": reason, "count": outcome.failures},
                    known=account is not None,
                )
                if outcome.locked:
                    record_event(
                        tx,
                        self._clock,
                        "login_locked",
                        identifiant=form.identifiant if account else None,
                        guardian_id=guardian_id_of(account),
                        detail=consecutive_failures(outcome.failures),
                    )
                return LoginRefused(outcome.retry_after, outcome.locked_until)

            if (blocked := account_blocked(count, now)) is not None:
                failed(blocked.reason, known=account is not None)
                refusal = LoginRefused(blocked.retry_after, blocked.locked_until)
            elif account is None:
                refusal = count_failure(_("identifiant inconnu"))
            elif account.status is not AccountStatus.ACTIVE or account.password_hash is None:
                refusal = count_failure(_("compte pas encore activé"))
            elif account.password_hash != checked_hash:
                # The password changed, or the account unlocked, while the hash was checked.
                failed(_("compte modifié pendant la vérification"))
                refusal = LoginRefused()
            elif not matches:
                refusal = count_failure(_("mot de passe erroné"))
            elif account.kind is not profile:
                failed(_("profil différent de celui du compte"))
                refusal = WrongProfile(account_is_pupil=account.kind is AccountKind.PUPIL)
            elif (person := person_of(records, account)) is None:
                failed(_("titulaire du compte absent des données de l'établissement"))
                refusal = LoginRefused()
            else:
                update: dict[str, object] = {
                    "failed_logins": 0,
                    "last_failed_login_at": None,
                    "locked_until": None,
                    "login_not_before": None,
                    "last_login_at": now,
                }
                if new_hash is not None:
                    update["password_hash"] = new_hash
                account = account.model_copy(update=update)
                records.accounts.put(account)
                record_event(
                    tx,
                    self._clock,
                    "login_succeeded",
                    identifiant=account.identifiant,
                    guardian_id=guardian_id_of(account),
                    detail=_("hachage du mot de passe mis à jour") if new_hash else "",
                )
                session = open_session(records, account, person[0], person[1], now)
        if refusal is not None:
            raise refusal
        return session

    def is_session_valid(self, session: LoginSession) -> bool:
        """False once the password was changed or reset since ``session`` was opened."""
        account = Records(self._store.snapshot()).accounts.get(identifiant=session.identifiant)
        return (
            account is not None
            and account.status is AccountStatus.ACTIVE
            and account.owner_id == session.owner_id
            and account.session_epoch == session.session_epoch
        )

    def _checkable_hash(self, account: Account | None) -> str | None:
        """The hash to check the password against, or ``None`` if this try is refused anyway."""
        if (
            account is None
            or account.status is not AccountStatus.ACTIVE
            or account_blocked(account, self._clock.now()) is not None
        ):
            return None
        return account.password_hash


def guardian_id_of(account: Account | None) -> str | None:
    """The ``guardian_id`` of audit events about this account (``None`` for a pupil)."""
    if account is None or account.kind is not AccountKind.GUARDIAN:
        return None
    return account.owner_id
