"""What every step of a registration needs: the services, and the registration its token opens."""

from __future__ import annotations

import random
from datetime import datetime

from services.clock import Clock
from services.codes import token_digest
from services.errors import RegistrationEnded
from services.messaging import SmsGateway
from services.passwords import PasswordHasher
from services.settings import Settings
from services.throttle import PurgeSchedule
from store import Records, StoreBackend
from store.records import Account, AccountKind, Guardian, Registration, RegistrationStage

__all__ = ["RegistrationSteps", "guardian_account", "registered_guardian"]


class RegistrationSteps:
    """The services shared by the steps of ``RegistrationService``."""

    def __init__(
        self,
        store: StoreBackend,
        settings: Settings,
        clock: Clock,
        rng: random.Random,
        sms: SmsGateway,
        hasher: PasswordHasher,
    ) -> None:
        self._store = store
        self._settings = settings
        self._purges = PurgeSchedule(settings.purge_every)
        self._clock = clock
        self._rng = rng
        self._sms = sms
        self._hasher = hasher
        # This session's registration starts: the service lives as long as the connection
        # (one process per SSH or web session), so its limit needs no store.
        self._session_starts: tuple[datetime, ...] = ()

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


def registered_guardian(records: Records, guardian_id: str) -> Guardian:
    """The guardian a registration was opened for; gone from the school's data ends it."""
    guardian = records.guardians.get(id=guardian_id)
    if guardian is None:
        raise RegistrationEnded()
    return guardian


def guardian_account(records: Records, guardian_id: str) -> Account | None:
    return records.accounts.get(kind=AccountKind.GUARDIAN.value, owner_id=guardian_id)
