"""The guardian's self-registration by SMS, steps 3 to 7 of the guide.

A registration is a sequence of calls over a token the screen keeps:
``start`` → ``send_code`` → ``verify_code`` → ``children`` / ``confirm_children`` →
``set_password``. Each call is one store transaction; every refusal is a ``ServiceError``
carrying the French sentence to show. Counters (wrong codes, wrong dates of birth) are
committed before the refusal is raised, so they cannot be reset by an error.
"""

from __future__ import annotations

import hmac
import random
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict

from services.audit import record_event
from services.clock import Clock
from services.codes import code_digest, new_code, normalize_code, token_digest
from services.errors import (
    BirthDateMismatch,
    CodeExpired,
    CodeIncorrect,
    CodeVoided,
    InvalidInput,
    NoChildConfirmed,
    NoMatch,
    RegistrationEnded,
    ServiceError,
    SingleLinkRule,
)
from services.forms import parse_birth_date, validate_form
from services.identifiants import next_identifiant
from services.messaging import SmsGateway
from services.names import normalize_name
from services.passwords import PasswordContext, PasswordHasher, require_acceptable_password
from services.phones import format_for_display, parse_mobile
from services.settings import Settings
from services.throttle import recent_sends, send_refusal
from store import Records, Store, Transaction
from store.records import (
    Account,
    AccountKind,
    AccountStatus,
    Guardian,
    Link,
    LinkState,
    PersonName,
    Registration,
    RegistrationStage,
    SendThrottle,
)

__all__ = [
    "AccountActivated",
    "ChildAnswer",
    "ChildView",
    "ChildrenConfirmed",
    "ChildrenToConfirm",
    "CodeSent",
    "PasswordContext",
    "RegistrationService",
    "RegistrationStarted",
    "children_to_confirm",
]


ALREADY_ACTIVATED = (
    "Ce compte vient d'être activé par une autre démarche. Connectez-vous avec votre "
    "identifiant ; en cas d'oubli, utilisez « Mot de passe oublié ? »."
)


class IdentityForm(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    nom: PersonName
    prenom: PersonName
    portable: str


class ChildAnswer(BaseModel):
    """One row of step 6: « Je suis le représentant légal de cet élève ? » and « né(e) le »."""

    model_config = ConfigDict(frozen=True)

    pupil_id: str
    is_guardian: bool
    birth_date: str = ""


@dataclass(frozen=True)
class RegistrationStarted:
    token: str
    phone: str
    phone_display: str


@dataclass(frozen=True)
class CodeSent:
    phone_display: str


@dataclass(frozen=True)
class ChildView:
    pupil_id: str
    nom: str
    prenom: str
    etablissement: str
    classe: str


@dataclass(frozen=True)
class ChildrenToConfirm:
    children: tuple[ChildView, ...]

    @property
    def single_link(self) -> bool:
        return len(self.children) == 1


@dataclass(frozen=True)
class ChildrenConfirmed:
    identifiant: str
    confirmed: tuple[str, ...]
    disputed: tuple[str, ...]


@dataclass(frozen=True)
class AccountActivated:
    identifiant: str
    nom: str
    prenom: str
    children: tuple[ChildView, ...]


class RegistrationService:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Clock,
        rng: random.Random,
        sms: SmsGateway,
        hasher: PasswordHasher,
    ) -> None:
        self._store = store
        self._settings = settings
        self._clock = clock
        self._rng = rng
        self._sms = sms
        self._hasher = hasher

    # -- step 3 ----------------------------------------------------------------------

    def start(self, nom: str, prenom: str, portable: str) -> RegistrationStarted:
        form = validate_form(IdentityForm, nom=nom, prenom=prenom, portable=portable)
        phone = parse_mobile(form.portable)
        token = "".join(self._rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32))
        refusal: ServiceError | None = None
        with self._store.transaction() as tx:
            records = Records(tx)
            guardian, reason = _match_guardian(records, form.nom, form.prenom, phone)
            if guardian is None:
                record_event(tx, self._clock, "registration_refused", detail=reason)
                refusal = NoMatch()
            else:
                account = _account_of(records, guardian.id)
                now = self._clock.now()
                records.registrations.put(
                    Registration(
                        token_hash=token_digest(token),
                        guardian_id=guardian.id,
                        phone=phone,
                        created_at=now,
                        expires_at=now + self._settings.registration_ttl,
                        already_active=account is not None
                        and account.status is AccountStatus.ACTIVE,
                    )
                )
                record_event(tx, self._clock, "registration_started", guardian_id=guardian.id)
        if refusal is not None:
            raise refusal
        return RegistrationStarted(token, phone, format_for_display(phone))

    # -- steps 4 and 5: codes ------------------------------------------------------------

    def send_code(self, token: str, *, resend: bool = False) -> CodeSent:
        """Send the activation code (or, for an already active account, an identifiant reminder).

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
                if registration.already_active:
                    account = _account_of(records, registration.guardian_id)
                    text = (
                        "ÉduConnect : vous avez déjà un compte. Votre identifiant est "
                        f"{account.identifiant if account else ''}. En cas d'oubli du mot de "
                        "passe, utilisez « Mot de passe oublié ? »."
                    )
                    code_hash = None
                else:
                    code = new_code(self._rng)
                    text = (
                        f"ÉduConnect : votre code d'activation est {code}. Il est valable "
                        "30 minutes. Ne le communiquez à personne."
                    )
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
                    detail="rappel d'identifiant" if registration.already_active else "",
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

    def verify_code(self, token: str, typed: str) -> None:
        code = normalize_code(typed)
        if not code:
            raise InvalidInput("Saisissez le code reçu par SMS.", field="code")
        if len(code) > 32:
            raise InvalidInput("Ce code est trop long : il compte 6 lettres.", field="code")
        if not (code.isascii() and code.isalpha()):
            # Such a code can never match, so it costs no attempt; and it is never hashed.
            raise InvalidInput("Le code reçu par SMS ne contient que des lettres.", field="code")
        refusal: ServiceError | None = None
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
            elif registration.code_hash is None and not registration.already_active:
                refusal = CodeVoided()
                update = {}
            elif registration.code_hash is not None and hmac.compare_digest(
                registration.code_hash,
                code_digest(self._store.secret_key(), registration.token_hash, code),
            ):
                update = {"stage": RegistrationStage.CODE_VERIFIED, "code_hash": None}
                record_event(tx, self._clock, "code_verified", guardian_id=registration.guardian_id)
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

    # -- step 6: children ------------------------------------------------------------------

    def children(self, token: str) -> ChildrenToConfirm:
        records = Records(self._store.snapshot())
        registration = self._open_registration(records, token, RegistrationStage.CODE_VERIFIED)
        return ChildrenToConfirm(children_to_confirm(records, registration.guardian_id))

    def confirm_children(self, token: str, answers: list[ChildAnswer]) -> ChildrenConfirmed:
        refusal: ServiceError | None = None
        with self._store.transaction() as tx:
            records = Records(tx)
            registration = self._open_registration(records, token, RegistrationStage.CODE_VERIFIED)
            listed = children_to_confirm(records, registration.guardian_id)
            by_pupil = {answer.pupil_id: answer for answer in answers}
            dates = self._check_answers(listed, by_pupil)
            guardian_id = registration.guardian_id
            mismatched = tuple(
                child.pupil_id
                for child in listed
                if child.pupil_id in dates
                and _birth_date(records, child.pupil_id) != dates[child.pupil_id]
            )
            if mismatched:
                failures = registration.birth_date_failures + 1
                remaining = self._settings.birth_date_max_failures - failures
                record_event(
                    tx,
                    self._clock,
                    "birth_date_failed",
                    guardian_id=guardian_id,
                    detail=f"essai {failures}",
                )
                if remaining <= 0:
                    update: dict[str, object] = {
                        "birth_date_failures": failures,
                        "stage": RegistrationStage.ABANDONED,
                    }
                    record_event(
                        tx,
                        self._clock,
                        "registration_ended",
                        guardian_id=guardian_id,
                        detail="trop de dates de naissance erronées",
                    )
                    refusal = RegistrationEnded(
                        "Trop de dates de naissance erronées : l'activation est interrompue. "
                        "Vous pourrez recommencer plus tard ; en cas de doute, contactez "
                        "l'établissement."
                    )
                else:
                    update = {"birth_date_failures": failures}
                    refusal = BirthDateMismatch(mismatched, remaining)
                records.registrations.put(registration.model_copy(update=update))
            else:
                return_value = self._attach(records, tx, registration, listed, by_pupil)
        if refusal is not None:
            raise refusal
        return return_value

    def _check_answers(
        self, listed: tuple[ChildView, ...], by_pupil: dict[str, ChildAnswer]
    ) -> dict[str, date]:
        """Everything that is refused without counting an attempt; the dates to compare."""
        dates: dict[str, date] = {}
        for child in listed:
            answer = by_pupil.get(child.pupil_id)
            if answer is None:
                raise InvalidInput(
                    f"Répondez pour {child.prenom} {child.nom}.", field=f"eleve:{child.pupil_id}"
                )
            if answer.is_guardian:
                dates[child.pupil_id] = parse_birth_date(
                    answer.birth_date, field=f"naissance:{child.pupil_id}"
                )
        if len(listed) == 1 and not dates:
            raise SingleLinkRule()
        if not dates:
            raise NoChildConfirmed()
        return dates

    def _attach(
        self,
        records: Records,
        tx: Transaction,
        registration: Registration,
        listed: tuple[ChildView, ...],
        by_pupil: dict[str, ChildAnswer],
    ) -> ChildrenConfirmed:
        now = self._clock.now()
        guardian_id = registration.guardian_id
        confirmed: list[str] = []
        disputed: list[str] = []
        for child in listed:
            state = (
                LinkState.CONFIRMED if by_pupil[child.pupil_id].is_guardian else LinkState.DISPUTED
            )
            records.links.put(
                Link(guardian_id=guardian_id, pupil_id=child.pupil_id, state=state, changed_at=now)
            )
            (confirmed if state is LinkState.CONFIRMED else disputed).append(child.pupil_id)
            if state is LinkState.DISPUTED:
                record_event(
                    tx,
                    self._clock,
                    "link_disputed",
                    guardian_id=guardian_id,
                    detail=f"élève {child.pupil_id}",
                )
        account = _account_of(records, guardian_id)
        if account is None:
            guardian = _guardian(records, guardian_id)
            identifiant = next_identifiant(
                guardian.nom, guardian.prenom, records.accounts.values("identifiant")
            )
            records.accounts.put(
                Account(
                    identifiant=identifiant,
                    kind=AccountKind.GUARDIAN,
                    owner_id=guardian_id,
                    status=AccountStatus.PENDING_PASSWORD,
                    created_at=now,
                )
            )
        else:
            identifiant = account.identifiant
        records.registrations.put(
            registration.model_copy(
                update={"stage": RegistrationStage.CHILDREN_CONFIRMED, "identifiant": identifiant}
            )
        )
        record_event(
            tx,
            self._clock,
            "children_confirmed",
            guardian_id=guardian_id,
            identifiant=identifiant,
            detail=f"{len(confirmed)} confirmé(s)",
        )
        return ChildrenConfirmed(identifiant, tuple(confirmed), tuple(disputed))

    # -- step 7: password ----------------------------------------------------------------

    def password_context(self, token: str) -> PasswordContext:
        """What the live checklist needs to judge a password (identifiant, nom, prénom)."""
        records = Records(self._store.snapshot())
        registration = self._open_registration(records, token, RegistrationStage.CHILDREN_CONFIRMED)
        guardian = _guardian(records, registration.guardian_id)
        return PasswordContext(registration.identifiant or "", guardian.nom, guardian.prenom)

    def set_password(self, token: str, password: str, confirmation: str) -> AccountActivated:
        context = self.password_context(token)
        require_acceptable_password(password, confirmation, self._settings, context)
        password_hash = self._hasher.hash(password)
        with self._store.transaction() as tx:
            records = Records(tx)
            registration = self._open_registration(
                records, token, RegistrationStage.CHILDREN_CONFIRMED
            )
            account = _account_of(records, registration.guardian_id)
            # A FranceConnect first use ends with FranceConnectService.complete, never here.
            if account is None or registration.franceconnect_sub is not None:
                raise RegistrationEnded()
            if account.status is AccountStatus.ACTIVE:
                # Another registration of the same guardian finished first: this one must not
                # overwrite the password chosen there.
                raise RegistrationEnded(ALREADY_ACTIVATED)
            now = self._clock.now()
            records.accounts.put(
                account.model_copy(
                    update={
                        "status": AccountStatus.ACTIVE,
                        "password_hash": password_hash,
                        "activated_at": now,
                        "failed_logins": 0,
                        "locked_until": None,
                    }
                )
            )
            records.registrations.put(
                registration.model_copy(update={"stage": RegistrationStage.DONE})
            )
            record_event(
                tx,
                self._clock,
                "account_activated",
                guardian_id=registration.guardian_id,
                identifiant=account.identifiant,
            )
            children = tuple(
                child
                for child in children_to_confirm(records, registration.guardian_id)
                if _link_state(records, registration.guardian_id, child.pupil_id)
                is LinkState.CONFIRMED
            )
        return AccountActivated(account.identifiant, context.nom, context.prenom, children)

    # -- shared ----------------------------------------------------------------------------

    def _open_registration(
        self, records: Records, token: str, *stages: RegistrationStage
    ) -> Registration:
        registration = records.registrations.get(token_hash=token_digest(token))
        if (
            registration is None
            or registration.stage not in stages
            or self._clock.now() > registration.expires_at
        ):
            raise RegistrationEnded()
        return registration


def _match_guardian(
    records: Records, nom: str, prenom: str, phone: str
) -> tuple[Guardian | None, str]:
    """The guardian the school recorded with these names and this mobile, or why not (for the
    audit log only: the person is told the same thing whatever the reason)."""
    wanted = (normalize_name(nom), normalize_name(prenom))
    by_phone = records.guardians.find(portable=phone)
    matches = [g for g in by_phone if (normalize_name(g.nom), normalize_name(g.prenom)) == wanted]
    if len(matches) > 1:
        return None, "plusieurs responsables avec ces nom, prénom et portable"
    if matches:
        guardian = matches[0]
        if not children_to_confirm(records, guardian.id):
            return None, f"responsable {guardian.id} sans élève rattaché"
        return guardian, ""
    if by_phone:
        return None, "nom ou prénom différent pour ce portable"
    named = any(
        (normalize_name(g.nom), normalize_name(g.prenom)) == wanted for g in records.guardians.all()
    )
    return None, "portable différent" if named else "personne inconnue"


def _guardian(records: Records, guardian_id: str) -> Guardian:
    guardian = records.guardians.get(id=guardian_id)
    if guardian is None:
        raise RegistrationEnded()
    return guardian


def _account_of(records: Records, guardian_id: str) -> Account | None:
    return records.accounts.get(kind=AccountKind.GUARDIAN.value, owner_id=guardian_id)


def _link_state(records: Records, guardian_id: str, pupil_id: str) -> LinkState | None:
    link = records.links.get(guardian_id=guardian_id, pupil_id=pupil_id)
    return None if link is None else link.state


def _birth_date(records: Records, pupil_id: str) -> date | None:
    pupil = records.pupils.get(id=pupil_id)
    return None if pupil is None else pupil.naissance


def children_to_confirm(records: Records, guardian_id: str) -> tuple[ChildView, ...]:
    """The pupils to show at step 6: every link of this guardian not already disputed."""
    children = []
    for link in records.links.find(guardian_id=guardian_id):
        if link.state is LinkState.DISPUTED:
            continue
        pupil = records.pupils.get(id=link.pupil_id)
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
