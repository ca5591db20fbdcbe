"""Provisional credentials for pupils: the school issues an identifiant and a temporary
password, printed on a notice by ``services.notices``. Guardians never get any."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.admin.base import AdminBase
from services.admin.states import (
    STATE_LABELS,
    AccountState,
    account_state,
    class_key,
    pupil_account,
)
from services.errors import AdminRefused, ErrorCode
from services.formatting import day
from services.i18n import _
from services.identifiants import next_identifiant
from services.names import normalize_name
from services.pupils import (
    IssuedCredentials,
    new_provisional_password,
    normalize_provisional_password,
    provisional_validity,
)
from services.throttle import request_key, void_request_code
from store import Records
from store.records import Account, AccountKind, AccountStatus, Pupil

__all__ = ["IssueResult", "ProvisionalCredentials", "Skipped"]


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
class _Plan:
    pupil_id: str
    password: str
    password_hash: str


class ProvisionalCredentials(AdminBase):
    """The issuing part of ``AdminService``."""

    def issue_for_pupil(self, pupil_id: str) -> IssueResult:
        """New provisional credentials for one pupil; any earlier temporary password stops
        working. Refused (``AdminRefused``) for an unknown pupil or an activated account:
        that one needs « réinitialiser »."""
        records = Records(self._store.snapshot())
        pupil = records.pupils.get(id=pupil_id.strip())
        if pupil is None:
            raise AdminRefused(ErrorCode.NO_SUCH_PUPIL, pupil_id=pupil_id.strip())
        account = pupil_account(records, pupil.id)
        if account is not None and account.status is AccountStatus.ACTIVE:
            raise AdminRefused(
                ErrorCode.PUPIL_ALREADY_ACTIVATED,
                prenom=pupil.prenom,
                nom=pupil.nom,
                identifiant=account.identifiant,
            )
        return self._issue([pupil], "admin_issue", only_without_account=False)

    def issue_for_class(self, classe: str, *, uai: str | None = None) -> IssueResult:
        """Credentials for every pupil of a class who has none that works yet. Pupils whose
        notice is still valid, or whose account is active, are listed as skipped."""
        wanted = class_key(classe)
        pupils = [
            p
            for p in Records(self._store.snapshot()).pupils.all()
            if class_key(p.classe) == wanted and (uai is None or p.uai == uai)
        ]
        if not pupils:
            raise AdminRefused(ErrorCode.NO_PUPIL_IN_CLASS, classe=classe.strip())
        return self._issue(pupils, "admin_issue", only_without_account=True)

    def issue_for_all(self, *, uai: str | None = None) -> IssueResult:
        """Credentials for every pupil without a working account (of one establishment)."""
        records = Records(self._store.snapshot())
        now = self._clock.now()
        pupils = [
            p
            for p in records.pupils.all()
            if (uai is None or p.uai == uai)
            and account_state(pupil_account(records, p.id), now) is AccountState.NOT_ACTIVATED
        ]
        return self._issue(pupils, "admin_issue", only_without_account=True)

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
        secret = self._store.secret_key()
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
                reason = _skip_reason(account, now, event, only_without_account)
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
                if replaced:
                    # A « Mot de passe oublié » code sent for the old password ends with it.
                    void_request_code(records, request_key(secret, "reset", account.identifiant))
                account = account.model_copy(update=_provisional_update(account, plan, expires_at))
                changed.append(account)
                self._audit(
                    tx,
                    event,
                    account,
                    (
                        _(
                            "élève %(pupil)s, valable jusqu'au %(day)s, remplace le mot de passe "
                            "précédent"
                        )
                        if replaced
                        else _("élève %(pupil)s, valable jusqu'au %(day)s")
                    )
                    % {"pupil": pupil.id, "day": day(valid_until)},
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
    account: Account | None, now: datetime, event: str, only_without_account: bool
) -> str | None:
    """Why this pupil gets no new credentials now (the store may have changed since the
    selection was made), or ``None``."""
    state = account_state(account, now)
    if account is not None and account.status is AccountStatus.ACTIVE and event != "admin_reset":
        return _("compte %(identifiant)s déjà activé") % {"identifiant": account.identifiant}
    if only_without_account and state is not AccountState.NOT_ACTIVATED:
        assert account is not None
        if state is AccountState.PROVISIONAL:
            return _("identifiants provisoires déjà remis (%(identifiant)s)") % {
                "identifiant": account.identifiant
            }
        return _("compte %(identifiant)s %(state)s") % {
            "identifiant": account.identifiant,
            "state": _(STATE_LABELS[state]),
        }
    return None


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
        "reset_token_hash": None,
        "reset_token_expires_at": None,
    }


def _pupil_order(pupil: Pupil) -> tuple[str, str, str, str, str]:
    return (
        pupil.uai,
        class_key(pupil.classe),
        normalize_name(pupil.nom),
        normalize_name(pupil.prenom),
        pupil.id,
    )
