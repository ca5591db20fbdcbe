"""Registration starts are limited (issue 13, item 5): per guardian, per mobile number and per
session, matched or not; what expired is purged by every start."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from services import ManualClock, Services
from services.errors import ErrorCode, NoMatch, ServiceError
from services.messaging import OutboxSmsGateway
from services.passwords import PasswordHasher
from services.registration import RegistrationService
from store import Records
from tests.services._registration import MARTIN, events

WRONG_NAME = ("Martine", "Sophie", MARTIN[2])
NOBODY = ("Inconnu", "Personne", "06 98 76 54 32")


def _too_many(services: Services, identity: tuple[str, str, str]) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        services.registration.start(*identity)
    assert caught.value.code is ErrorCode.START_TOO_MANY
    return caught.value


def _refused(services: Services, identity: tuple[str, str, str], times: int) -> None:
    for _ in range(times):
        with pytest.raises(NoMatch):
            services.registration.start(*identity)


def _new_session(services: Services) -> RegistrationService:
    """The registration service of another connection on the same data."""
    return RegistrationService(
        services.store,
        services.settings,
        services.clock,
        random.Random(7),
        OutboxSmsGateway(services.store.outbox, services.clock),
        PasswordHasher(services.settings.hashing),
    )


class TestPerGuardian:
    def test_three_registrations_in_progress_then_wait(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """A guardian may have 3 registrations in progress; the 4th start says how long to
        wait, and an hour later they may start again."""
        for _ in range(3):
            demo_services.registration.start(*MARTIN)
        clock.advance(timedelta(minutes=20))
        assert "Réessayez dans 40 minutes" in _too_many(demo_services, MARTIN).message
        clock.advance(timedelta(minutes=40))
        demo_services.registration.start(*MARTIN)

    def test_the_refusal_is_audited_with_its_reason(self, demo_services: Services) -> None:
        for _ in range(3):
            demo_services.registration.start(*MARTIN)
        _too_many(demo_services, MARTIN)
        refused = events(demo_services, "registration_refused")
        assert refused[-1]["detail"] == "limite de démarches en cours pour ce responsable"


class TestPerMobile:
    @pytest.mark.parametrize("identity", [WRONG_NAME, NOBODY], ids=["numero-connu", "inconnu"])
    def test_five_starts_per_number_matched_or_not(
        self, demo_services: Services, identity: tuple[str, str, str]
    ) -> None:
        """Five refused starts with one number, whether the school knows it or not, then the
        same « trop de demandes » for both: the limit tells nothing about the number."""
        _refused(demo_services, identity, 5)
        _too_many(demo_services, identity)

    def test_refused_starts_count_against_the_guardian_number(
        self, demo_services: Services
    ) -> None:
        """Wrong names typed with a guardian's number use up that number's starts."""
        _refused(demo_services, WRONG_NAME, 5)
        _too_many(demo_services, MARTIN)

    def test_the_number_is_not_stored_readable(self, demo_services: Services) -> None:
        _refused(demo_services, NOBODY, 1)
        stored = Records(demo_services.store.snapshot()).start_throttles.all()
        assert len(stored) == 1 and "98765432" not in stored[0].model_dump_json()


class TestPerSession:
    def test_ten_starts_per_session(self, demo_services: Services) -> None:
        """One connection may try ten numbers an hour; another connection is not held back."""
        for number in range(10):
            with pytest.raises(NoMatch):
                demo_services.registration.start("Inconnu", "Personne", f"06 98 76 54 {number:02d}")
        _too_many(demo_services, MARTIN)
        _new_session(demo_services).start(*MARTIN)


class TestPurge:
    def test_every_start_purges_what_expired(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Expired registrations, sending limits and start counts are removed by the next
        start, even a refused one."""
        started = demo_services.registration.start(*MARTIN)
        demo_services.registration.send_code(started.token)
        clock.advance(timedelta(hours=1, seconds=1))
        _refused(demo_services, NOBODY, 1)
        records = Records(demo_services.store.snapshot())
        assert records.registrations.count() == 0
        assert records.throttles.count() == 0
        assert records.start_throttles.count() == 1

    def test_reminders_and_reset_requests_purge_too(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Their counts per typed mobile and identifiant (matched or not) are purged as well,
        by any later request; that request leaves its own (with its code)."""
        demo_services.recovery.remind_identifiant(*NOBODY)
        demo_services.recovery.request_password_reset("x.inconnu1")
        assert Records(demo_services.store.snapshot()).start_throttles.count() == 2
        clock.advance(timedelta(hours=1))
        demo_services.recovery.request_password_reset("c.moreau1")
        (left,) = Records(demo_services.store.snapshot()).start_throttles.all()
        assert left.started_at == (clock.now(),) and left.code_hash is not None

    def test_a_long_run_of_starts_leaves_the_data_bounded(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Two hundred starts for one guardian, one every two minutes: only what the
        limits still need is kept."""
        for _ in range(200):
            clock.advance(timedelta(minutes=2))
            try:
                demo_services.registration.start(*MARTIN)
            except ServiceError as refused:
                assert refused.code is ErrorCode.START_TOO_MANY
        records = Records(demo_services.store.snapshot())
        assert (
            records.registrations.count()
            <= demo_services.settings.max_live_registrations_per_guardian
        )
        assert records.start_throttles.count() == 1
