"""Login for both profiles: the one generic refusal, the growing wait, the lock, sessions."""

from __future__ import annotations

from datetime import timedelta

import bcrypt
import pytest

from services import ManualClock, Services
from services.demo import DEMO_ACTIVE_PASSWORD
from services.errors import LOGIN_REFUSED_MESSAGE, InvalidInput, LoginRefused, WrongProfile
from services.formatting import hour
from services.login import LoginService
from services.passwords import PasswordHasher
from store import Records
from store.records import Account, AccountKind, AccountStatus, Link, LinkState
from tests.services._stored import audit_text

GUARDIAN = AccountKind.GUARDIAN
PUPIL = AccountKind.PUPIL
IDENTIFIANT = "c.moreau1"
PUPIL_IDENTIFIANT = "i.moreau1"
PUPIL_PASSWORD = "Violette-Bleue-27"


def _account(services: Services, identifiant: str = IDENTIFIANT) -> Account:
    account = Records(services.store.snapshot()).accounts.get(identifiant=identifiant)
    assert account is not None
    return account


def _put_account(services: Services, account: Account) -> None:
    with services.store.transaction() as tx:
        Records(tx).accounts.put(account)


def _add_pupil_account(services: Services) -> None:
    """Inès Moreau (E011) with an active pupil account."""
    _put_account(
        services,
        Account(
            identifiant=PUPIL_IDENTIFIANT,
            kind=PUPIL,
            owner_id="E011",
            status=AccountStatus.ACTIVE,
            password_hash=PasswordHasher(services.settings.hashing).hash(PUPIL_PASSWORD),
            created_at=services.clock.now(),
        ),
    )


def _fail(services: Services, identifiant: str = IDENTIFIANT) -> LoginRefused:
    with pytest.raises(LoginRefused) as caught:
        services.login.login(identifiant, "Mauvais-Mot-2-Passe", profile=GUARDIAN)
    return caught.value


def _fail_waiting(
    services: Services, clock: ManualClock, times: int, identifiant: str = IDENTIFIANT
) -> list[int | None]:
    """``times`` wrong passwords, each after the wait the previous one imposed."""
    waits = []
    for _ in range(times):
        refusal = _fail(services, identifiant)
        waits.append(refusal.retry_after)
        if refusal.retry_after:
            clock.advance(timedelta(seconds=refusal.retry_after))
    return waits


def _events(services: Services, name: str) -> list[dict[str, object]]:
    return [event for event in services.store.audit_log.read() if event["event"] == name]


class TestLoginSucceeds:
    def test_guardian_gets_name_and_confirmed_children(self, demo_services: Services) -> None:
        """A guardian's session carries their name and the pupils whose link they confirmed."""
        session = demo_services.login.login(IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=GUARDIAN)
        assert (session.nom, session.prenom) == ("Moreau", "Claire")
        assert session.kind is GUARDIAN
        assert [(c.prenom, c.nom, c.etablissement) for c in session.children] == [
            ("Inès", "Moreau", "CLG Frédéric Bazille")
        ]

    def test_pending_links_are_not_children_of_the_session(self, demo_services: Services) -> None:
        """Only confirmed links appear: a link still pending is not shown as a child."""
        with demo_services.store.transaction() as tx:
            Records(tx).links.put(
                Link(guardian_id="R010", pupil_id="E013", state=LinkState.PENDING)
            )
        session = demo_services.login.login(IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=GUARDIAN)
        assert [c.pupil_id for c in session.children] == ["E011"]

    def test_pupil_gets_themselves(self, demo_services: Services) -> None:
        """A pupil's session lists the pupil as its only child."""
        _add_pupil_account(demo_services)
        session = demo_services.login.login(PUPIL_IDENTIFIANT, PUPIL_PASSWORD, profile=PUPIL)
        assert (session.nom, session.prenom, session.kind) == ("Moreau", "Inès", PUPIL)
        assert [c.pupil_id for c in session.children] == ["E011"]

    def test_identifiant_ignores_case_and_surrounding_spaces(self, demo_services: Services) -> None:
        """« C.Moreau1 » typed with spaces logs into c.moreau1."""
        session = demo_services.login.login("  C.Moreau1 ", DEMO_ACTIVE_PASSWORD, profile=GUARDIAN)
        assert session.identifiant == IDENTIFIANT

    def test_success_is_recorded_without_the_password(self, demo_services: Services) -> None:
        """login_succeeded is audited, last_login_at is set, the password is nowhere in the log."""
        demo_services.login.login(IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=GUARDIAN)
        assert _events(demo_services, "login_succeeded")[0]["identifiant"] == IDENTIFIANT
        assert _account(demo_services).last_login_at == demo_services.clock.now()
        assert DEMO_ACTIVE_PASSWORD not in audit_text(demo_services.store)

    def test_bcrypt_hash_is_verified_and_upgraded_to_argon2(self, demo_services: Services) -> None:
        """An account migrated with a bcrypt hash logs in, and its hash becomes argon2."""
        legacy = bcrypt.hashpw(DEMO_ACTIVE_PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
        _put_account(
            demo_services,
            _account(demo_services).model_copy(update={"password_hash": legacy}),
        )
        demo_services.login.login(IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=GUARDIAN)
        upgraded = _account(demo_services).password_hash
        assert upgraded is not None and upgraded.startswith("$argon2")
        demo_services.login.login(IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=GUARDIAN)


class TestGenericRefusal:
    def test_unknown_and_wrong_say_the_same(self, demo_services: Services) -> None:
        """Unknown identifiant and wrong password give one identical message."""
        unknown = _fail(demo_services, "personne.inconnue1")
        wrong = _fail(demo_services)
        assert unknown.message == wrong.message == LOGIN_REFUSED_MESSAGE
        assert unknown.retry_after is None and wrong.retry_after is None

    def test_unknown_identifiant_costs_a_password_check(self, demo_services: Services) -> None:
        """An unknown identifiant spends the time of a real check (dummy_verify), so timing
        does not tell which identifiants exist."""
        calls: list[str] = []

        class SpyHasher(PasswordHasher):
            def dummy_verify(self) -> None:
                calls.append("dummy")
                super().dummy_verify()

        login = LoginService(
            demo_services.store,
            demo_services.settings,
            demo_services.clock,
            SpyHasher(demo_services.settings.hashing),
        )
        with pytest.raises(LoginRefused):
            login.login("personne.inconnue1", "Nimporte-quoi-1", profile=GUARDIAN)
        assert calls == ["dummy"]

    def test_reasons_go_to_the_audit_log(self, demo_services: Services) -> None:
        """The audit log says why each try failed; the person is never told."""
        _fail(demo_services, "personne.inconnue1")
        _fail(demo_services)
        details = [event["detail"] for event in _events(demo_services, "login_failed")]
        assert details == ["identifiant inconnu (échec 1)", "mot de passe erroné (échec 1)"]

    def test_account_not_yet_activated_is_refused_generically(
        self, demo_services: Services
    ) -> None:
        """An account still waiting for its password cannot be logged into."""
        _put_account(
            demo_services,
            _account(demo_services).model_copy(
                update={"status": AccountStatus.PENDING_PASSWORD, "password_hash": None}
            ),
        )
        with pytest.raises(LoginRefused):
            demo_services.login.login(IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=GUARDIAN)

    def test_right_password_under_the_other_profile(self, demo_services: Services) -> None:
        """A guardian who picked « Élève » is told to change profile, and nothing is counted."""
        with pytest.raises(WrongProfile) as caught:
            demo_services.login.login(IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=PUPIL)
        assert "Représentant légal" in caught.value.message
        assert _account(demo_services).failed_logins == 0

    def test_wrong_password_under_the_other_profile_stays_generic(
        self, demo_services: Services
    ) -> None:
        """Without the right password the profile is not revealed."""
        with pytest.raises(LoginRefused):
            demo_services.login.login(IDENTIFIANT, "Mauvais-Mot-2-Passe", profile=PUPIL)

    @pytest.mark.parametrize(
        ("identifiant", "password", "field"),
        [("", "x", "identifiant"), ("c.moreau1", "", "password"), ("a" * 81, "x", "identifiant")],
    )
    def test_empty_or_overlong_fields(
        self, demo_services: Services, identifiant: str, password: str, field: str
    ) -> None:
        """An empty or overlong field is pointed out, and is not a counted failure."""
        with pytest.raises(InvalidInput) as caught:
            demo_services.login.login(identifiant, password, profile=GUARDIAN)
        assert caught.value.field == field
        assert _account(demo_services).failed_logins == 0


class TestGrowingWait:
    def test_wait_starts_at_the_third_failure_and_doubles_up_to_the_cap(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Failures 1–2 wait nothing; then 5 s, 10 s, 20 s… never more than 5 minutes."""
        waits = _fail_waiting(demo_services, clock, 9)
        assert waits == [None, None, 5, 10, 20, 40, 80, 160, 300]

    def test_refusal_carries_the_wait_hint(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """The third failure tells the person how long to wait, in the promised words."""
        _fail_waiting(demo_services, clock, 2)
        refusal = _fail(demo_services)
        assert refusal.message.endswith(" Patientez 5 secondes avant de réessayer.")

    def test_early_try_is_refused_with_the_time_left_and_not_counted(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """During the wait even the right password is refused, with the seconds left, and the
        early try adds no failure."""
        _fail_waiting(demo_services, clock, 2)
        _fail(demo_services)
        clock.advance(timedelta(seconds=2))
        with pytest.raises(LoginRefused) as caught:
            demo_services.login.login(IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=GUARDIAN)
        assert caught.value.retry_after == 3
        assert "Patientez 3 secondes" in caught.value.message
        assert _account(demo_services).failed_logins == 3

    def test_success_after_the_wait_resets_the_count(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Once the wait is over the right password works, and the next failures start from 0."""
        _fail_waiting(demo_services, clock, 4)
        demo_services.login.login(IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=GUARDIAN)
        account = _account(demo_services)
        assert (account.failed_logins, account.login_not_before) == (0, None)
        assert _fail_waiting(demo_services, clock, 2) == [None, None]


class TestLock:
    def test_tenth_failure_locks_for_fifteen_minutes(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """At 10 consecutive failures the account locks: the right password is refused for
        15 minutes, saying until when, then accepted."""
        _fail_waiting(demo_services, clock, 10)
        until = clock.now() + timedelta(minutes=15)
        assert _account(demo_services).locked_until == until
        assert len(_events(demo_services, "login_locked")) == 1
        clock.advance(timedelta(minutes=14, seconds=59))
        with pytest.raises(LoginRefused) as caught:
            demo_services.login.login(IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=GUARDIAN)
        assert caught.value.retry_after is None
        assert caught.value.message == (
            f"Trop d'essais erronés : cet identifiant est verrouillé jusqu'à {hour(until)}. "
            "Sans attendre : « Mot de passe oublié ? »."
        )
        clock.advance(timedelta(seconds=1))
        demo_services.login.login(IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=GUARDIAN)
        assert _account(demo_services).locked_until is None

    def test_tries_during_the_lock_do_not_extend_it(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Wrong passwords typed while locked are not counted and do not push the end back."""
        _fail_waiting(demo_services, clock, 10)
        locked_until = _account(demo_services).locked_until
        for _ in range(5):
            _fail(demo_services)
        assert _account(demo_services).locked_until == locked_until

    def test_after_the_lock_the_slowdown_starts_over(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """When the lock ends the count starts again: two free tries, then 5 s."""
        _fail_waiting(demo_services, clock, 10)
        clock.advance(timedelta(minutes=15))
        assert _fail_waiting(demo_services, clock, 3) == [None, None, 5]


class TestUnknownIdentifiant:
    """An identifiant that is no account's meets what a real one meets (issue 13, item 4):
    otherwise the third try would tell which identifiants exist."""

    def test_same_waits_and_lock_as_a_real_account(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Ten failures with an unknown identifiant: the same waits, then the same lock, said
        in the same words, as ten with a real one."""
        unknown = _fail_waiting(demo_services, clock, 10, "personne.inconnue1")
        unknown_locked = _fail(demo_services, "personne.inconnue1")
        real = _fail_waiting(demo_services, clock, 10)
        real_locked = _fail(demo_services)
        assert unknown == real == [None, None, 5, 10, 20, 40, 80, 160, 300, None]
        assert unknown_locked.locked_until is not None and real_locked.locked_until is not None
        assert unknown_locked.message.replace(
            hour(unknown_locked.locked_until), "HH"
        ) == real_locked.message.replace(hour(real_locked.locked_until), "HH")
        assert len(_events(demo_services, "login_locked")) == 2

    def test_lock_ends_after_fifteen_minutes(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """The unknown identifiant's lock ends like an account's: the count starts over."""
        _fail_waiting(demo_services, clock, 10, "personne.inconnue1")
        clock.advance(timedelta(minutes=15))
        assert _fail_waiting(demo_services, clock, 3, "personne.inconnue1") == [None, None, 5]

    def test_counted_under_the_typed_identifiant_normalised(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Case and surrounding spaces do not make a new identifiant to count."""
        _fail_waiting(demo_services, clock, 2, "Personne.Inconnue1")
        assert _fail(demo_services, "  personne.inconnue1 ").retry_after == 5

    def test_count_forgotten_after_an_hour_for_both(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Two failures an hour ago no longer count, for a real account as for an unknown
        identifiant; the unknown one's count is gone from the stored data."""
        _fail_waiting(demo_services, clock, 2, "personne.inconnue1")
        _fail_waiting(demo_services, clock, 2)
        clock.advance(timedelta(hours=1))
        _fail(demo_services, "autre.inconnu1")
        assert Records(demo_services.store.snapshot()).login_throttles.count() == 1
        assert _fail(demo_services, "personne.inconnue1").retry_after is None
        assert _fail(demo_services).retry_after is None

    def test_typed_identifiant_is_not_stored_readable(self, demo_services: Services) -> None:
        """People type passwords in the identifiant field: the count keeps only a keyed hash."""
        _fail(demo_services, "Secret-Tape-Ici-9")
        stored = Records(demo_services.store.snapshot()).login_throttles.all()
        assert len(stored) == 1 and "secret" not in stored[0].model_dump_json().lower()
        assert "secret" not in audit_text(demo_services.store).lower()


class TestSessions:
    def test_session_is_valid_until_the_password_changes(self, demo_services: Services) -> None:
        """A fresh session is valid; once the account's session epoch moves it is not."""
        session = demo_services.login.login(IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=GUARDIAN)
        assert demo_services.login.is_session_valid(session)
        account = _account(demo_services)
        _put_account(
            demo_services,
            account.model_copy(update={"session_epoch": account.session_epoch + 1}),
        )
        assert not demo_services.login.is_session_valid(session)
