"""What the school sees of an account, and how an administration action finds one."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from services.errors import AdminRefused, ErrorCode
from services.i18n import N_
from store import Records
from store.records import Account, AccountKind, AccountStatus

__all__ = [
    "STATE_LABELS",
    "AccountState",
    "account_state",
    "class_key",
    "find_account",
    "pupil_account",
]


class AccountState(StrEnum):
    """What the school sees of an account (the values are the CLI's ``--etat`` choices)."""

    NOT_ACTIVATED = "non-active"
    PROVISIONAL = "provisoire"
    ACTIVE = "actif"
    LOCKED = "verrouille"


# Msgids: translated where they are shown.
STATE_LABELS = {
    AccountState.NOT_ACTIVATED: N_("non activé"),
    AccountState.PROVISIONAL: N_("identifiants provisoires remis"),
    AccountState.ACTIVE: N_("actif"),
    AccountState.LOCKED: N_("verrouillé"),
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


def class_key(classe: str) -> str:
    """A class as the school types it in a filter: case and surrounding spaces do not count."""
    return classe.strip().casefold()


def find_account(records: Records, identifiant: str) -> Account:
    """The account with this identifiant as typed (case and spaces aside), or ``AdminRefused``."""
    wanted = identifiant.strip().lower()
    account = records.accounts.get(identifiant=wanted) if wanted else None
    if account is None:
        raise AdminRefused(ErrorCode.NO_SUCH_ACCOUNT, identifiant=wanted or "(vide)")
    return account


def pupil_account(records: Records, pupil_id: str) -> Account | None:
    return records.accounts.get(kind=AccountKind.PUPIL.value, owner_id=pupil_id)
