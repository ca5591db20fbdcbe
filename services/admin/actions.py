"""Actions on one account: « Déverrouiller » and « Réinitialiser »."""

from __future__ import annotations

from dataclasses import dataclass

from services.admin.provisional import ProvisionalCredentials
from services.admin.states import AccountState, account_state, find_account
from services.errors import AdminRefused, ErrorCode
from services.i18n import _
from services.pupils import IssuedCredentials
from store import Records
from store.records import AccountKind, RegistrationStage

__all__ = ["AccountActions", "GuardianResetDone", "PupilResetDone", "UnlockDone"]


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


class AccountActions(ProvisionalCredentials):
    """The part of ``AdminService`` that acts on one account, by its identifiant."""

    def unlock(self, identifiant: str) -> UnlockDone:
        """« Déverrouiller »: clear the lock, the login slowdown and the failure counters."""
        with self._store.transaction() as tx:
            records = Records(tx)
            account = find_account(records, identifiant)
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
                _("compte verrouillé") if was_locked else _("compteurs d'échecs remis à zéro"),
            )
        return UnlockDone(account.identifiant, was_locked)

    def reset(self, identifiant: str) -> PupilResetDone | GuardianResetDone:
        """« Réinitialiser ». A pupil: new provisional credentials (the old password and every
        open session stop working). A guardian: the account is removed and they register again
        by SMS; the school never hands out a guardian's password."""
        records = Records(self._store.snapshot())
        account = find_account(records, identifiant)
        if account.kind is AccountKind.GUARDIAN:
            return self._remove_guardian_account(account.identifiant)
        pupil = records.pupils.get(id=account.owner_id)
        if pupil is None:
            raise AdminRefused(ErrorCode.PUPIL_NO_LONGER_LISTED, identifiant=account.identifiant)
        result = self._issue([pupil], "admin_reset", only_without_account=False)
        if not result.issued:
            # The skip reason is already a sentence of the catalog.
            raise AdminRefused.relaying(result.skipped[0].reason)
        return PupilResetDone(result.issued[0])

    def _remove_guardian_account(self, identifiant: str) -> GuardianResetDone:
        with self._store.transaction() as tx:
            records = Records(tx)
            account = find_account(records, identifiant)
            records.accounts.delete(identifiant=account.identifiant)
            # A registration in progress was started against the old account: it must not
            # finish as if that account still existed.
            for registration in records.registrations.find(guardian_id=account.owner_id):
                if registration.stage not in (RegistrationStage.DONE, RegistrationStage.ABANDONED):
                    records.registrations.put(
                        registration.model_copy(update={"stage": RegistrationStage.ABANDONED})
                    )
            self._audit(
                tx,
                "admin_reset",
                account,
                _("compte supprimé : nouvelle auto-inscription par SMS"),
            )
        return GuardianResetDone(account.identifiant)
