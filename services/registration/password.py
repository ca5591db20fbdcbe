"""Step 7 of the guide: the identifiant to write down and the password that activates the
account."""

from __future__ import annotations

from dataclasses import dataclass

from services.audit import record_event
from services.errors import ErrorCode, RegistrationEnded
from services.passwords import PasswordContext, require_acceptable_password
from services.registration.base import RegistrationSteps, guardian_account, registered_guardian
from services.registration.children import ChildView, children_to_confirm, link_state
from store import Records
from store.records import AccountStatus, LinkState, RegistrationStage

__all__ = ["AccountActivated", "PasswordStep"]


@dataclass(frozen=True)
class AccountActivated:
    identifiant: str
    nom: str
    prenom: str
    children: tuple[ChildView, ...]


class PasswordStep(RegistrationSteps):
    """The last part of ``RegistrationService``: the account becomes active."""

    def password_context(self, token: str) -> PasswordContext:
        """What the live checklist needs to judge a password (identifiant, nom, prénom)."""
        records = Records(self._store.snapshot())
        registration = self._open_registration(records, token, RegistrationStage.CHILDREN_CONFIRMED)
        guardian = registered_guardian(records, registration.guardian_id)
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
            account = guardian_account(records, registration.guardian_id)
            # A FranceConnect first use ends with FranceConnectService.complete, never here.
            if account is None or registration.franceconnect_sub is not None:
                raise RegistrationEnded()
            if account.status is AccountStatus.ACTIVE:
                # Another registration of the same guardian finished first: this one must not
                # overwrite the password chosen there.
                raise RegistrationEnded(ErrorCode.ALREADY_ACTIVATED)
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
                if link_state(records, registration.guardian_id, child.pupil_id)
                is LinkState.CONFIRMED
            )
        return AccountActivated(account.identifiant, context.nom, context.prenom, children)
