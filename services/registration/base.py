"""What every step of a registration needs: the services, and the registration its token opens."""

from __future__ import annotations

import random
import time
from datetime import datetime

from services.clock import Clock
from services.codes import code_digest, token_digest
from services.errors import AlreadyHasAccount, RegistrationEnded
from services.floor import Sleeper
from services.messaging import SmsGateway
from services.passwords import PasswordHasher
from services.settings import Settings
from services.throttle import PurgeSchedule, start_possible_at
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
        *,
        sleep: Sleeper = time.sleep,
    ) -> None:
        """``sleep``: pads ``start`` to ``neutral_answer_floor`` (``services.floor``)."""
        self._store = store
        self._settings = settings
        self._purges = PurgeSchedule(settings.purge_every)
        self._clock = clock
        self._rng = rng
        self._sms = sms
        self._hasher = hasher
        self._sleep = sleep
        # This session's registration starts: the service lives as long as the connection
        # (one process per SSH or web session), so its limit needs no store.
        self._session_starts: tuple[datetime, ...] = ()

    def _next_start_at(self, records: Records, guardian_id: str, phone: str) -> datetime | None:
        """From when this guardian can start a new registration from this session with this
        mobile (the limits ``start`` applies), or ``None`` if they can now."""
        now = self._clock.now()
        window = self._settings.start_window
        mobile_key = code_digest(self._store.secret_key(), "registration-start", phone)
        counted = records.start_throttles.get(key=mobile_key)
        limits = (
            (self._session_starts, self._settings.max_starts_per_session),
            (counted.started_at if counted else (), self._settings.max_starts_per_mobile),
            (
                tuple(r.created_at for r in records.registrations.find(guardian_id=guardian_id)),
                self._settings.max_live_registrations_per_guardian,
            ),
        )
        moments = [
            start_possible_at(tuple(t for t in times if now - t < window), limit, self._settings)
            for times, limit in limits
        ]
        return max((moment for moment in moments if moment is not None), default=None)

    def _open_registration(
        self, records: Records, token: str, *stages: RegistrationStage
    ) -> Registration:
        registration = records.registrations.get(token_hash=token_digest(token))
        if (
            registration is not None
            and registration.already_active
            and registration.stage is RegistrationStage.DONE
            and registration.identifiant is not None
            and self._clock.now() <= registration.expires_at
        ):
            # Only reached with the token after the right code: it tells nobody else anything.
            raise AlreadyHasAccount(registration.identifiant)
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
