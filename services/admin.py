"""The school's administration of accounts: listing, provisional credentials, follow-up.

Pupils get their first credentials from the school (identifiant + temporary password, printed
on a notice by ``services.notices``); guardians never do: they register themselves by SMS, and
« réinitialiser » a guardian only removes the account so they register again. Every action is
audited with the operator (the OS user running the tool).
"""

from __future__ import annotations

import getpass
import os
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from pydantic import ValidationError

from services.clock import Clock
from services.errors import AdminRefused
from services.identifiants import next_identifiant
from services.names import normalize_name
from services.passwords import PasswordHasher
from services.pupils import (
    IssuedCredentials,
    new_provisional_password,
    normalize_provisional_password,
    printed_validity,
    provisional_validity,
)
from services.settings import Settings
from store import Records, Store, Transaction
from store.records import (
    Account,
    AccountKind,
    AccountStatus,
    AuditEvent,
    Guardian,
    LinkState,
    Pupil,
    RegistrationStage,
)

__all__ = [
    "STATE_LABELS",
    "AccountRow",
    "AccountState",
    "AdminService",
    "DisputedLink",
    "EstablishmentStats",
    "GroupStats",
    "GuardianResetDone",
    "IssueResult",
    "PupilResetDone",
    "Rate",
    "Skipped",
    "UnlockDone",
    "account_state",
    "current_operator",
]


class AccountState(StrEnum):
    """What the school sees of an account (the values are the CLI's ``--etat`` choices)."""

    NOT_ACTIVATED = "non-active"
    PROVISIONAL = "provisoire"
    ACTIVE = "actif"
    LOCKED = "verrouille"


STATE_LABELS = {
    AccountState.NOT_ACTIVATED: "non activé",
    AccountState.PROVISIONAL: "identifiants provisoires remis",
    AccountState.ACTIVE: "actif",
    AccountState.LOCKED: "verrouillé",
}


def account_state(account: Account | None, now: datetime) -> AccountState:
    """Locked first (whatever else); provisional only while the temporary password works.

    An expired or voided provisional password, like a guardian's registration left before the
    password step, counts as not activated: the person cannot log in.
    """
    if account is None:
        return AccountState.NOT_ACTIVATED
    if account.locked_until is not None and now < account.locked_until:
        return AccountState.LOCKED
    if account.status is AccountStatus.ACTIVE:
        return AccountState.ACTIVE
    if (
        account.status is AccountStatus.PROVISIONAL
        and account.password_hash is not None
        and account.provisional_until is not None
        and now <= account.provisional_until
    ):
        return AccountState.PROVISIONAL
    return AccountState.NOT_ACTIVATED


def current_operator() -> str:
    """The OS user name, recorded with every administration action."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        # No login name and no passwd entry (a bare container): the uid still says who.
        return f"uid {os.getuid()}"


@dataclass(frozen=True)
class AccountRow:
    """One pupil or guardian of one establishment, with their account if any."""

    kind: AccountKind
    person_id: str
    nom: str
    prenom: str
    uai: str
    etablissement: str
    # A pupil's class; for a guardian, the classes of their children in this establishment.
    classes: tuple[str, ...]
    identifiant: str | None
    state: AccountState
    # Activated at least once (still true while locked).
    activated: bool
    # The last valid day of the provisional password, as printed on the notice.
    provisional_until: date | None
    # The later of the activation and the last login.
    last_activity_at: datetime | None


@dataclass(frozen=True)
class Rate:
    activated: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.activated / self.total) if self.total else 0


@dataclass(frozen=True)
class GroupStats:
    classe: str
    pupils: Rate
    guardians: Rate


@dataclass(frozen=True)
class EstablishmentStats:
    uai: str
    nom: str
    pupils: Rate
    guardians: Rate
    classes: tuple[GroupStats, ...]


@dataclass(frozen=True)
class DisputedLink:
    """A guardian answered « Non » for this pupil at step 6: the school should check it."""

    guardian_id: str
    guardian_nom: str
    guardian_prenom: str
    pupil_id: str
    pupil_nom: str
    pupil_prenom: str
    classe: str
    uai: str
    etablissement: str
    disputed_at: datetime | None


@dataclass(frozen=True)
class Skipped:
    pupil_id: str
    nom: str
    prenom: str
    reason: str


@dataclass(frozen=True)
class IssueResult:
    issued: tuple[IssuedCredentials, ...]
    skipped: tuple[Skipped, ...]


@dataclass(frozen=True)
class UnlockDone:
    identifiant: str
    was_locked: bool


@dataclass(frozen=True)
class PupilResetDone:
    """New provisional credentials: the notice to print."""

    credentials: IssuedCredentials


@dataclass(frozen=True)
class GuardianResetDone:
    """The guardian's account is removed: they register again by SMS. No password, ever."""

    identifiant: str


@dataclass(frozen=True)
class _Plan:
    pupil_id: str
    password: str
    password_hash: str


class AdminService:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Clock,
        rng: random.Random,
        hasher: PasswordHasher,
        operator: str,
    ) -> None:
        self._store = store
        self._settings = settings
        self._clock = clock
        self._rng = rng
        self._hasher = hasher
        self.operator = operator

    # -- listing -----------------------------------------------------------------------

    def accounts(
        self,
        *,
        uai: str | None = None,
        classe: str | None = None,
        state: AccountState | None = None,
        kind: AccountKind | None = None,
    ) -> tuple[AccountRow, ...]:
        """Pupils and guardians, per establishment, sorted by establishment, profile (pupils
        first), class and name. ``classe`` ignores case and surrounding spaces."""
        rows = _rows(Records(self._store.snapshot()), self._clock.now())
        wanted_class = _class_key(classe) if classe is not None else None
        return tuple(
            row
            for row in rows
            if (uai is None or row.uai == uai)
            and (wanted_class is None or wanted_class in {_class_key(c) for c in row.classes})
            and (state is None or row.state is state)
            and (kind is None or row.kind is kind)
        )

    def stats(self, *, uai: str | None = None) -> tuple[EstablishmentStats, ...]:
        """Activation rates of pupils and guardians, per establishment and per class."""
        rows = self.accounts(uai=uai)
        schools: dict[str, str] = {}
        for row in rows:
            schools.setdefault(row.uai, row.etablissement)
        result = []
        for code, nom in sorted(schools.items()):
            here = [row for row in rows if row.uai == code]
            pupils = [row for row in here if row.kind is AccountKind.PUPIL]
            guardians = [row for row in here if row.kind is AccountKind.GUARDIAN]
            classes = sorted({c for row in pupils for c in row.classes}, key=_class_key)
            result.append(
                EstablishmentStats(
                    uai=code,
                    nom=nom,
                    pupils=_rate(pupils),
                    guardians=_rate(guardians),
                    classes=tuple(
                        GroupStats(
                            classe=name,
                            pupils=_rate(r for r in pupils if name in r.classes),
                            guardians=_rate(r for r in guardians if name in r.classes),
                        )
                        for name in classes
                    ),
                )
            )
        return tuple(result)

    def disputes(self, *, uai: str | None = None) -> tuple[DisputedLink, ...]:
        """Links a guardian disputed at step 6, most recent first."""
        records = Records(self._store.snapshot())
        pupils = {p.id: p for p in records.pupils.all()}
        guardians = {g.id: g for g in records.guardians.all()}
        schools = {e.uai: e.nom for e in records.establishments.all()}
        found = []
        for link in records.links.find(state=LinkState.DISPUTED.value):
            pupil, guardian = pupils.get(link.pupil_id), guardians.get(link.guardian_id)
            if pupil is None or guardian is None or (uai is not None and pupil.uai != uai):
                continue
            found.append(
                DisputedLink(
                    guardian_id=guardian.id,
                    guardian_nom=guardian.nom,
                    guardian_prenom=guardian.prenom,
                    pupil_id=pupil.id,
                    pupil_nom=pupil.nom,
                    pupil_prenom=pupil.prenom,
                    classe=pupil.classe,
                    uai=pupil.uai,
                    etablissement=schools.get(pupil.uai, pupil.uai),
                    disputed_at=link.changed_at,
                )
            )
        return tuple(
            sorted(
                found,
                key=lambda d: (d.disputed_at.timestamp() if d.disputed_at else 0.0, d.pupil_id),
                reverse=True,
            )
        )

    def audit(self, *, limit: int = 50) -> tuple[AuditEvent, ...]:
        """The ``limit`` most recent audit events, most recent first."""
        events: list[AuditEvent] = []
        for record in reversed(self._store.audit_log.read()):
            if len(events) >= limit:
                break
            try:
                events.append(AuditEvent.model_validate(record))
            except ValidationError:
                # A line from a newer version of the tool: the others are still worth showing.
                continue
        return tuple(events)

    # -- provisional credentials ---------------------------------------------------------

    def issue_for_pupil(self, pupil_id: str) -> IssueResult:
        """New provisional credentials for one pupil; any earlier temporary password stops
        working. Refused (``AdminRefused``) for an unknown pupil or an activated account:
        that one needs « réinitialiser »."""
        records = Records(self._store.snapshot())
        pupil = records.pupils.get(id=pupil_id.strip())
        if pupil is None:
            raise AdminRefused(f"Aucun élève n'a l'identifiant {pupil_id.strip()}.")
        account = _pupil_account(records, pupil.id)
        if account is not None and account.status is AccountStatus.ACTIVE:
            raise AdminRefused(
                f"Le compte de {pupil.prenom} {pupil.nom} ({account.identifiant}) est déjà "
                "activé : pour lui remettre un mot de passe provisoire, utilisez « réinitialiser »."
            )
        return self._issue([pupil], "admin_issue", only_without_account=False)

    def issue_for_class(self, classe: str, *, uai: str | None = None) -> IssueResult:
        """Credentials for every pupil of a class who has none that works yet. Pupils whose
        notice is still valid, or whose account is active, are listed as skipped."""
        wanted = _class_key(classe)
        pupils = [
            p
            for p in Records(self._store.snapshot()).pupils.all()
            if _class_key(p.classe) == wanted and (uai is None or p.uai == uai)
        ]
        if not pupils:
            raise AdminRefused(f"Aucun élève dans la classe {classe.strip()}.")
        return self._issue(pupils, "admin_issue", only_without_account=True)

    def issue_for_all(self, *, uai: str | None = None) -> IssueResult:
        """Credentials for every pupil without a working account (of one establishment)."""
        records = Records(self._store.snapshot())
        now = self._clock.now()
        pupils = [
            p
            for p in records.pupils.all()
            if (uai is None or p.uai == uai)
            and account_state(_pupil_account(records, p.id), now) is AccountState.NOT_ACTIVATED
        ]
        return self._issue(pupils, "admin_issue", only_without_account=True)

    # -- actions on one account ------------------------------------------------------------

    def unlock(self, identifiant: str) -> UnlockDone:
        """« Déverrouiller »: clear the lock, the login slowdown and the failure counters."""
        with self._store.transaction() as tx:
            records = Records(tx)
            account = _account(records, identifiant)
            was_locked = account_state(account, self._clock.now()) is AccountState.LOCKED
            records.accounts.put(
                account.model_copy(
                    update={
                        "failed_logins": 0,
                        "locked_until": None,
                        "login_not_before": None,
                        "birth_check_failures": 0,
                    }
                )
            )
            self._audit(
                tx,
                "admin_unlock",
                account,
                "compte verrouillé" if was_locked else "compteurs d'échecs remis à zéro",
            )
        return UnlockDone(account.identifiant, was_locked)

    def reset(self, identifiant: str) -> PupilResetDone | GuardianResetDone:
        """« Réinitialiser ». A pupil: new provisional credentials (the old password and every
        open session stop working). A guardian: the account is removed and they register again
        by SMS; the school never hands out a guardian's password."""
        records = Records(self._store.snapshot())
        account = _account(records, identifiant)
        if account.kind is AccountKind.GUARDIAN:
            return self._remove_guardian_account(account.identifiant)
        pupil = records.pupils.get(id=account.owner_id)
        if pupil is None:
            raise AdminRefused(
                f"L'élève du compte {account.identifiant} ne figure plus dans les données de "
                "l'établissement."
            )
        result = self._issue([pupil], "admin_reset", only_without_account=False)
        if not result.issued:
            raise AdminRefused(result.skipped[0].reason)
        return PupilResetDone(result.issued[0])

    # -- shared ----------------------------------------------------------------------------

    def _issue(self, pupils: list[Pupil], event: str, *, only_without_account: bool) -> IssueResult:
        # Hashing is the slow part (tens of ms each): done before taking the store's lock.
        plans = []
        for selected in sorted(pupils, key=_pupil_order):
            password = new_provisional_password(self._rng)
            plans.append(
                _Plan(
                    selected.id,
                    password,
                    self._hasher.hash(normalize_provisional_password(password)),
                )
            )
        issued: list[IssuedCredentials] = []
        skipped: list[Skipped] = []
        with self._store.transaction() as tx:
            records = Records(tx)
            now = self._clock.now()
            valid_until, expires_at = provisional_validity(
                now, self._settings.provisional_validity_months
            )
            current = {p.id: p for p in records.pupils.all()}
            schools = {e.uai: e.nom for e in records.establishments.all()}
            accounts = {a.owner_id: a for a in records.accounts.find(kind=AccountKind.PUPIL.value)}
            taken = set(records.accounts.values("identifiant"))
            changed: list[Account] = []
            for plan in plans:
                pupil = current.get(plan.pupil_id)
                if pupil is None:
                    continue
                account = accounts.get(pupil.id)
                reason = self._skip_reason(account, now, event, only_without_account)
                if reason is not None:
                    skipped.append(Skipped(pupil.id, pupil.nom, pupil.prenom, reason))
                    continue
                if account is None:
                    identifiant = next_identifiant(pupil.nom, pupil.prenom, taken)
                    taken.add(identifiant)
                    account = Account(
                        identifiant=identifiant,
                        kind=AccountKind.PUPIL,
                        owner_id=pupil.id,
                        status=AccountStatus.PROVISIONAL,
                        created_at=now,
                    )
                replaced = account.password_hash is not None
                account = account.model_copy(update=_provisional_update(account, plan, expires_at))
                changed.append(account)
                self._audit(
                    tx,
                    event,
                    account,
                    f"élève {pupil.id}, valable jusqu'au {valid_until:%d/%m/%Y}"
                    + (", remplace le mot de passe précédent" if replaced else ""),
                )
                issued.append(
                    IssuedCredentials(
                        pupil_id=pupil.id,
                        nom=pupil.nom,
                        prenom=pupil.prenom,
                        classe=pupil.classe,
                        uai=pupil.uai,
                        etablissement=schools.get(pupil.uai, pupil.uai),
                        identifiant=account.identifiant,
                        password=plan.password,
                        valid_until=valid_until,
                        issued_at=now,
                    )
                )
            records.accounts.put_many(changed)
        return IssueResult(tuple(issued), tuple(skipped))

    def _skip_reason(
        self, account: Account | None, now: datetime, event: str, only_without_account: bool
    ) -> str | None:
        """Why this pupil gets no new credentials now (the store may have changed since the
        selection was made), or ``None``."""
        state = account_state(account, now)
        if (
            account is not None
            and account.status is AccountStatus.ACTIVE
            and event != "admin_reset"
        ):
            return f"compte {account.identifiant} déjà activé"
        if only_without_account and state is not AccountState.NOT_ACTIVATED:
            assert account is not None
            if state is AccountState.PROVISIONAL:
                return f"identifiants provisoires déjà remis ({account.identifiant})"
            return f"compte {account.identifiant} {STATE_LABELS[state]}"
        return None

    def _remove_guardian_account(self, identifiant: str) -> GuardianResetDone:
        with self._store.transaction() as tx:
            records = Records(tx)
            account = _account(records, identifiant)
            records.accounts.delete(identifiant=account.identifiant)
            # A registration in progress was started against the old account: it must not
            # finish as if that account still existed.
            for registration in records.registrations.find(guardian_id=account.owner_id):
                if registration.stage not in (RegistrationStage.DONE, RegistrationStage.ABANDONED):
                    records.registrations.put(
                        registration.model_copy(update={"stage": RegistrationStage.ABANDONED})
                    )
            self._audit(
                tx, "admin_reset", account, "compte supprimé : nouvelle auto-inscription par SMS"
            )
        return GuardianResetDone(account.identifiant)

    def _audit(self, tx: Transaction, event: str, account: Account, detail: str) -> None:
        tx.audit(
            AuditEvent(
                at=self._clock.now(),
                event=event,
                guardian_id=account.owner_id if account.kind is AccountKind.GUARDIAN else None,
                identifiant=account.identifiant,
                detail=detail,
                operator=self.operator[:64],
            ).model_dump(mode="json")
        )


def _provisional_update(account: Account, plan: _Plan, expires_at: datetime) -> dict[str, object]:
    return {
        "status": AccountStatus.PROVISIONAL,
        "password_hash": plan.password_hash,
        "provisional_until": expires_at,
        # Whoever was logged in with the old password is logged out.
        "session_epoch": account.session_epoch + 1,
        "failed_logins": 0,
        "locked_until": None,
        "login_not_before": None,
        "birth_check_failures": 0,
        "first_login_token_hash": None,
        "first_login_expires_at": None,
        "identity_confirmed": False,
        "reset_code_hash": None,
        "reset_token_hash": None,
        "reset_token_expires_at": None,
    }


def _pupil_order(pupil: Pupil) -> tuple[str, str, str, str, str]:
    return (
        pupil.uai,
        _class_key(pupil.classe),
        normalize_name(pupil.nom),
        normalize_name(pupil.prenom),
        pupil.id,
    )


def _class_key(classe: str) -> str:
    return classe.strip().casefold()


def _rate(rows: Iterable[AccountRow]) -> Rate:
    listed = list(rows)
    return Rate(sum(1 for row in listed if row.activated), len(listed))


def _account(records: Records, identifiant: str) -> Account:
    wanted = identifiant.strip().lower()
    account = records.accounts.get(identifiant=wanted) if wanted else None
    if account is None:
        raise AdminRefused(f"Aucun compte n'a l'identifiant {wanted or '(vide)'}.")
    return account


def _pupil_account(records: Records, pupil_id: str) -> Account | None:
    return records.accounts.get(kind=AccountKind.PUPIL.value, owner_id=pupil_id)


def _rows(records: Records, now: datetime) -> list[AccountRow]:
    schools = {e.uai: e.nom for e in records.establishments.all()}
    accounts = {(a.kind, a.owner_id): a for a in records.accounts.all()}
    pupils = {p.id: p for p in records.pupils.all()}
    guardians = {g.id: g for g in records.guardians.all()}
    # A guardian belongs to every establishment where one of their children is.
    classes_of: dict[tuple[str, str], set[str]] = {}
    for link in records.links.all():
        pupil = pupils.get(link.pupil_id)
        if pupil is not None and link.guardian_id in guardians:
            classes_of.setdefault((link.guardian_id, pupil.uai), set()).add(pupil.classe)
    rows = [
        _row(AccountKind.PUPIL, p, p.uai, (p.classe,), schools, accounts, now)
        for p in pupils.values()
    ]
    rows.extend(
        _row(
            AccountKind.GUARDIAN,
            guardians[guardian_id],
            code,
            tuple(sorted(classes, key=_class_key)),
            schools,
            accounts,
            now,
        )
        for (guardian_id, code), classes in classes_of.items()
    )
    rows.sort(
        key=lambda r: (
            r.uai,
            r.kind is AccountKind.GUARDIAN,
            tuple(_class_key(c) for c in r.classes),
            normalize_name(r.nom),
            normalize_name(r.prenom),
            r.person_id,
        )
    )
    return rows


def _row(
    kind: AccountKind,
    person: Pupil | Guardian,
    uai: str,
    classes: tuple[str, ...],
    schools: dict[str, str],
    accounts: dict[tuple[AccountKind, str], Account],
    now: datetime,
) -> AccountRow:
    account = accounts.get((kind, person.id))
    state = account_state(account, now)
    moments = [m for m in (account.activated_at, account.last_login_at) if m] if account else []
    return AccountRow(
        kind=kind,
        person_id=person.id,
        nom=person.nom,
        prenom=person.prenom,
        uai=uai,
        etablissement=schools.get(uai, uai),
        classes=classes,
        identifiant=account.identifiant if account else None,
        state=state,
        activated=account is not None and account.status is AccountStatus.ACTIVE,
        provisional_until=(
            printed_validity(account.provisional_until)
            if account is not None
            and account.status is AccountStatus.PROVISIONAL
            and account.provisional_until is not None
            else None
        ),
        last_activity_at=max(moments) if moments else None,
    )
