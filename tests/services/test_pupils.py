"""Pupils' provisional credentials and their first login: login, identity check, new password."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta

import pytest

from services import ManualClock, Services
from services.errors import (
    BirthDateMismatch,
    FirstLoginEnded,
    InvalidInput,
    PasswordMismatch,
    PasswordRejected,
    PupilLoginRefused,
)
from services.login import LoginSession
from services.pupils import (
    PROVISIONAL_ALPHABET,
    FirstLogin,
    IssuedCredentials,
    new_provisional_password,
    normalize_provisional_password,
    provisional_validity,
)
from store import Records
from store.records import Account, AccountKind, AccountStatus
from tests.services._stored import data_text

INES = "E011"  # Inès Moreau, born 03/07/2011, CLG Frédéric Bazille, 3B
INES_BIRTH = "03/07/2011"
NEW_PASSWORD = "Girafe-Volante-83!"


def _issue(services: Services, pupil_id: str = INES) -> IssuedCredentials:
    result = services.admin.issue_for_pupil(pupil_id)
    assert len(result.issued) == 1
    return result.issued[0]


def _account(services: Services, identifiant: str) -> Account:
    account = Records(services.store.snapshot()).accounts.get(identifiant=identifiant)
    assert account is not None
    return account


def _first_login(services: Services, issued: IssuedCredentials) -> FirstLogin:
    started = services.pupils.login(issued.identifiant, issued.password)
    assert isinstance(started, FirstLogin)
    return started


def _refusal(services: Services, identifiant: str, password: str) -> PupilLoginRefused:
    with pytest.raises(PupilLoginRefused) as caught:
        services.pupils.login(identifiant, password)
    return caught.value


def _events(services: Services, name: str) -> list[dict[str, object]]:
    return [event for event in services.store.audit_log.read() if event["event"] == name]


class TestProvisionalPassword:
    def test_groups_from_an_unambiguous_alphabet(self) -> None:
        """Three groups of four, from letters and digits with no 0/O/1/l/I to misread."""
        rng = random.Random(7)
        for _ in range(200):
            password = new_provisional_password(rng)
            assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", password)
            assert not set(password) & set("0O1lI")
        assert len(set(PROVISIONAL_ALPHABET)) == 32
        assert not set(PROVISIONAL_ALPHABET) & set("0O1lI")

    def test_typed_form_ignores_case_spaces_and_dashes(self) -> None:
        """« k7pq m3xr 9ztw » and « K7PQ-M3XR-9ZTW » are the same password."""
        assert normalize_provisional_password(" k7pq m3xr–9ztw ") == "K7PQM3XR9ZTW"
        assert normalize_provisional_password("K7PQ-M3XR-9ZTW") == "K7PQM3XR9ZTW"

    def test_three_calendar_months_clamped_to_the_month_end(self) -> None:
        """30 November + 3 months is the last day of February; the printed day is honoured up
        to noon UTC the next day, so overseas time zones get the whole day too."""
        last_day, expires_at = provisional_validity(datetime(2026, 11, 30, 9, tzinfo=UTC), 3)
        assert last_day.isoformat() == "2027-02-28"
        assert expires_at == datetime(2027, 3, 1, 12, tzinfo=UTC)

    def test_only_the_hash_is_stored(self, demo_services: Services) -> None:
        """Neither the printed nor the typed form of the password is in the data file."""
        issued = _issue(demo_services)
        content = data_text(demo_services.store)
        assert issued.password not in content
        assert normalize_provisional_password(issued.password) not in content
        assert _account(demo_services, issued.identifiant).password_hash is not None


class TestFirstLogin:
    def test_whole_path_to_an_active_account(self, demo_services: Services) -> None:
        """Provisional login → date of birth → new password: the account is active, the session
        is open, the provisional password is dead and the new one logs in normally."""
        issued = _issue(demo_services)
        started = _first_login(demo_services, issued)
        assert (started.identifiant, started.nom, started.prenom) == ("i.moreau1", "Moreau", "Inès")

        demo_services.pupils.confirm_identity(started.token, INES_BIRTH)
        context = demo_services.pupils.password_context(started.token)
        assert (context.identifiant, context.prenom) == ("i.moreau1", "Inès")
        activated = demo_services.pupils.set_password(started.token, NEW_PASSWORD, NEW_PASSWORD)

        assert activated.session.kind is AccountKind.PUPIL
        assert demo_services.login.is_session_valid(activated.session)
        account = _account(demo_services, "i.moreau1")
        assert account.status is AccountStatus.ACTIVE
        assert account.activated_at == demo_services.clock.now()
        assert account.provisional_until is None
        _refusal(demo_services, issued.identifiant, issued.password)
        session = demo_services.pupils.login("i.moreau1", NEW_PASSWORD)
        assert isinstance(session, LoginSession)
        assert [c.pupil_id for c in session.children] == [INES]
        assert _events(demo_services, "account_activated")[-1]["identifiant"] == "i.moreau1"

    def test_optional_email_after_activation(self, demo_services: Services) -> None:
        """The session returned lets « Mon compte » record and confirm an e-mail address, which
        « Mot de passe oublié » can then use."""
        started = _first_login(demo_services, _issue(demo_services))
        demo_services.pupils.confirm_identity(started.token, INES_BIRTH)
        activated = demo_services.pupils.set_password(started.token, NEW_PASSWORD, NEW_PASSWORD)

        demo_services.account.set_email(activated.session, "ines.moreau@example.org")
        sent = demo_services.outbox.messages(channel="email", to="ines.moreau@example.org")
        code = re.search(r"\b([A-Z]{6})\b", sent[-1].text)
        assert code is not None
        demo_services.account.confirm_email(activated.session, code.group(1))

        account = _account(demo_services, "i.moreau1")
        assert (account.email, account.email_confirmed) == ("ines.moreau@example.org", True)

    def test_typed_in_lower_case_without_dashes(self, demo_services: Services) -> None:
        """The pupil may type the provisional password as they read it, case and dashes aside."""
        issued = _issue(demo_services)
        typed = issued.password.replace("-", " ").lower()
        assert isinstance(demo_services.pupils.login(issued.identifiant, typed), FirstLogin)

    def test_password_step_needs_the_identity_check(self, demo_services: Services) -> None:
        """Knowing the provisional password is not enough to choose the new one."""
        started = _first_login(demo_services, _issue(demo_services))
        with pytest.raises(FirstLoginEnded):
            demo_services.pupils.set_password(started.token, NEW_PASSWORD, NEW_PASSWORD)
        assert _account(demo_services, "i.moreau1").status is AccountStatus.PROVISIONAL

    def test_new_password_follows_the_policy_typed_twice(self, demo_services: Services) -> None:
        """A weak password, or two different entries, are refused and change nothing."""
        started = _first_login(demo_services, _issue(demo_services))
        demo_services.pupils.confirm_identity(started.token, INES_BIRTH)
        with pytest.raises(PasswordRejected):
            demo_services.pupils.set_password(started.token, "ines2011", "ines2011")
        with pytest.raises(PasswordMismatch):
            demo_services.pupils.set_password(started.token, NEW_PASSWORD, NEW_PASSWORD + "x")
        assert _account(demo_services, "i.moreau1").status is AccountStatus.PROVISIONAL

    def test_first_login_steps_expire(self, demo_services: Services, clock: ManualClock) -> None:
        """Past ``first_login_ttl`` the steps end; logging in again starts them over."""
        issued = _issue(demo_services)
        started = _first_login(demo_services, issued)
        clock.advance(demo_services.settings.first_login_ttl + timedelta(seconds=1))
        with pytest.raises(FirstLoginEnded):
            demo_services.pupils.confirm_identity(started.token, INES_BIRTH)
        again = _first_login(demo_services, issued)
        demo_services.pupils.confirm_identity(again.token, INES_BIRTH)


class TestIdentityCheck:
    def test_wrong_dates_count_down_then_void_the_password(self, demo_services: Services) -> None:
        """Each wrong date says how many tries are left; the last one voids the provisional
        password, so the notice alone is useless and the school must issue a new one."""
        issued = _issue(demo_services)
        started = _first_login(demo_services, issued)
        remaining = []
        for _ in range(2):
            with pytest.raises(BirthDateMismatch) as caught:
                demo_services.pupils.confirm_identity(started.token, "04/07/2011")
            remaining.append(caught.value.remaining)
        assert remaining == [2, 1]

        with pytest.raises(FirstLoginEnded) as ended:
            demo_services.pupils.confirm_identity(started.token, "04/07/2011")
        assert "contactez votre établissement" in ended.value.message.lower()
        _refusal(demo_services, issued.identifiant, issued.password)
        assert _account(demo_services, issued.identifiant).password_hash is None
        assert _events(demo_services, "provisional_voided")

    def test_failures_survive_a_new_login(self, demo_services: Services) -> None:
        """Logging in again does not give three fresh tries."""
        issued = _issue(demo_services)
        for _ in range(2):
            started = _first_login(demo_services, issued)
            with pytest.raises(BirthDateMismatch):
                demo_services.pupils.confirm_identity(started.token, "01/01/2011")
        started = _first_login(demo_services, issued)
        with pytest.raises(FirstLoginEnded):
            demo_services.pupils.confirm_identity(started.token, "01/01/2011")

    def test_unreadable_date_costs_nothing(self, demo_services: Services) -> None:
        """A date that does not exist or is not JJ/MM/AAAA is refused without counting."""
        issued = _issue(demo_services)
        started = _first_login(demo_services, issued)
        for typed in ("31/02/2011", "juillet 2011", ""):
            with pytest.raises(InvalidInput):
                demo_services.pupils.confirm_identity(started.token, typed)
        assert _account(demo_services, issued.identifiant).birth_check_failures == 0
        demo_services.pupils.confirm_identity(started.token, "3-7-2011")


class TestExpiry:
    def test_expired_after_three_months(self, demo_services: Services, clock: ManualClock) -> None:
        """Past the printed date, the right provisional password gets the generic refusal plus
        « contactez votre établissement », word for word the same as a wrong password's."""
        issued = _issue(demo_services)
        clock.advance(timedelta(days=31 + 30 + 31 + 2))

        expired = _refusal(demo_services, issued.identifiant, issued.password)
        wrong = _refusal(demo_services, issued.identifiant, "AAAA-BBBB-CCCC")
        unknown = _refusal(demo_services, "x.inconnu1", issued.password)

        assert "contactez votre établissement" in expired.message
        assert expired.message == wrong.message == unknown.message
        assert _events(demo_services, "login_failed")[0]["detail"] == (
            "mot de passe provisoire expiré"
        )

    def test_valid_through_the_printed_day(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Late in the evening of the last day printed on the notice, it still works."""
        issued = _issue(demo_services)
        last = issued.valid_until
        evening = datetime(last.year, last.month, last.day, 22, 30, tzinfo=UTC)
        clock.advance(evening - clock.now())
        assert isinstance(
            demo_services.pupils.login(issued.identifiant, issued.password), FirstLogin
        )


class TestReissue:
    def test_reissue_voids_the_previous_password(self, demo_services: Services) -> None:
        """A second notice keeps the identifiant; only its password works."""
        first = _issue(demo_services)
        second = _issue(demo_services)

        assert second.identifiant == first.identifiant
        assert second.password != first.password
        _refusal(demo_services, first.identifiant, first.password)
        assert isinstance(
            demo_services.pupils.login(second.identifiant, second.password), FirstLogin
        )

    def test_reissue_ends_a_first_login_in_progress(self, demo_services: Services) -> None:
        """Steps begun with the old password cannot be finished after a reissue."""
        started = _first_login(demo_services, _issue(demo_services))
        _issue(demo_services)
        with pytest.raises(FirstLoginEnded):
            demo_services.pupils.confirm_identity(started.token, INES_BIRTH)


class TestPupilLoginRefusals:
    def test_wrong_provisional_passwords_lock_the_account(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Guessing counts like any login: slowdown, then a lock during which even the right
        provisional password is refused."""
        issued = _issue(demo_services)
        for _ in range(demo_services.settings.login_lock_after):
            refusal = _refusal(demo_services, issued.identifiant, "AAAA-BBBB-CCCC")
            if refusal.retry_after:
                clock.advance(timedelta(seconds=refusal.retry_after))
        assert _account(demo_services, issued.identifiant).locked_until is not None
        _refusal(demo_services, issued.identifiant, issued.password)

    def test_active_pupil_refusal_says_the_same(self, demo_services: Services) -> None:
        """Once active, a wrong password under « Élève » gets the same sentence as an unknown
        identifiant: nothing tells a provisional account from an active one."""
        started = _first_login(demo_services, _issue(demo_services))
        demo_services.pupils.confirm_identity(started.token, INES_BIRTH)
        demo_services.pupils.set_password(started.token, NEW_PASSWORD, NEW_PASSWORD)
        provisional = _issue(demo_services, "E013")

        active_wrong = _refusal(demo_services, "i.moreau1", "Pas-Le-Bon-1!")
        provisional_wrong = _refusal(demo_services, provisional.identifiant, "Pas-Le-Bon-1!")
        assert active_wrong.message == provisional_wrong.message
