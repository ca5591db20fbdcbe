"""What every administration action needs: the store, the clock, the operator, the audit."""

from __future__ import annotations

import getpass
import os
import random

from services.clock import Clock
from services.passwords import PasswordHasher
from services.settings import Settings
from store import StoreBackend, TransactionView
from store.records import Account, AccountKind, AuditEvent

__all__ = ["AdminBase", "current_operator"]


def current_operator() -> str:
    """The OS user name, recorded with every administration action."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        # No login name and no passwd entry (a bare container): the uid still says who.
        return f"uid {os.getuid()}"


class AdminBase:
    """The services and the operator shared by the parts of ``AdminService``."""

    def __init__(
        self,
        store: StoreBackend,
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

    def _audit(self, tx: TransactionView, event: str, account: Account, detail: str) -> None:
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
