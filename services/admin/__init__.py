"""The school's administration of accounts: listing, provisional credentials, follow-up.

Pupils get their first credentials from the school (identifiant + temporary password, printed
on a notice by ``services.notices``); guardians never do: they register themselves by SMS, and
« réinitialiser » a guardian only removes the account so they register again. Every action is
audited with the operator (the OS user running the tool).

One module per kind of work: ``listing`` reads, ``provisional`` issues credentials,
``actions`` unlocks and resets; ``AdminService`` is all of them over one store.
"""

from __future__ import annotations

from services.admin.actions import AccountActions, GuardianResetDone, PupilResetDone, UnlockDone
from services.admin.base import current_operator
from services.admin.listing import (
    AccountListing,
    AccountRow,
    DisputedLink,
    EstablishmentStats,
    GroupStats,
    Rate,
)
from services.admin.provisional import IssueResult, Skipped
from services.admin.states import STATE_LABELS, AccountState, account_state

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


class AdminService(AccountListing, AccountActions):
    """Everything the school's staff can read and do, each action audited with ``operator``."""
